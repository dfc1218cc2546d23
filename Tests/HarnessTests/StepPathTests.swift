import Foundation
import HTTP
import Harness
import JSON
import MockCluster
import MockClusterTesting
import OpenAPI
import Reports
import Synchronization
import Testing

/// The step path's pieces on their own (the poller, parameter checks, captures, exit codes, typed reasons) and the
/// fail-closed rules they make, end to end against the mock.
@Suite("The step path: fail closed")
struct StepPathTests {
    static let model = try! SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source)
    static let here = SourceLocation(file: "t.yaml", line: 1, column: 1)

    // MARK: Poller

    static func retry(_ until: JSONAssertion.Check, failIf: JSONAssertion.Check? = nil, timeout: Double = 2) throws -> Retry {
        let path = try JSONPath("$.state")
        var r = Retry(
            until: JSONAssertion(path: path, check: until, location: here),
            failIf: failIf.map { JSONAssertion(path: path, check: $0, location: here) }, timeout: timeout, interval: 0.5)
        r.backoff = 2
        r.maxInterval = 1
        return r
    }

    @Test("the poller waits with backoff, honours Retry-After, never waits past the deadline, and stops for fail_if at once")
    func poller() throws {
        let start = ContinuousClock.now
        let pending: JSONValue = ["state": "PENDING"]
        var p = Poller(retry: try Self.retry(.equals("DONE"), failIf: .equals("ERROR")), start: start)
        #expect(p.next(json: { pending }, status: 200, headers: [:], now: start, interrupted: false) == .wait(.milliseconds(500)))
        #expect(
            p.next(json: { pending }, status: 200, headers: [:], now: start + .milliseconds(500), interrupted: false)
                == .wait(.seconds(1)), "backoff 2, capped at max_interval")
        #expect(
            p.next(json: { pending }, status: 503, headers: ["Retry-After": "30"], now: start + .milliseconds(1500), interrupted: false)
                == .wait(.milliseconds(500)), "Retry-After is longer, but only 0.5 s is left before the deadline")
        #expect(p.next(json: { pending }, status: 200, headers: [:], now: start + .seconds(2), interrupted: false) == .stop(.deadline))
        #expect(p.attempts == 4)

        var q = Poller(retry: try Self.retry(.equals("DONE"), failIf: .equals("ERROR")), start: start)
        #expect(q.next(json: { ["state": "ERROR"] }, status: 200, headers: [:], now: start, interrupted: false) == .stop(.failIf))
        var r = Poller(retry: try Self.retry(.equals("DONE")), start: start)
        #expect(r.next(json: { ["state": "DONE"] }, status: 200, headers: [:], now: start, interrupted: false) == .stop(.done))
        var s = Poller(retry: try Self.retry(.equals("DONE")), start: start)
        #expect(s.next(json: { pending }, status: 200, headers: [:], now: start, interrupted: true) == .stop(.interrupted))
        var once = Poller(retry: nil, start: start)
        var read = false
        #expect(
            once.next(
                json: {
                    read = true
                    return pending
                }, status: 500, headers: [:], now: start, interrupted: false) == .stop(.done))
        #expect(!read, "a step without retry never builds the answer's tree for polling")
    }

    // MARK: Parameter values

    @Test("parameter values are checked by type, format and enum; templates wait for expansion")
    func parameterValues() throws {
        let op = try #require(Self.model.operation(id: "GetExperiments"))
        let limit = try #require(op.parameters.first { $0.name == "limit" })
        let archived = try #require(op.parameters.first { $0.name == "archived" })
        let states = try #require(op.parameters.first { $0.name == "states" })
        #expect(ParameterCheck.check("ten", limit)?.description == "limit=ten: query parameter limit is an integer")
        #expect(ParameterCheck.check(10, limit) == nil)
        #expect(ParameterCheck.check("10", limit) == nil, "query values are text: \"10\" is an integer")
        #expect(ParameterCheck.check(1.5, limit)?.wanted == .integer)
        #expect(ParameterCheck.check("maybe", archived)?.wanted == .boolean)
        #expect(ParameterCheck.check(true, archived) == nil)
        #expect(ParameterCheck.check("{{n}}", limit) == nil)
        #expect(ParameterCheck.check(["STATE_ACTIVE", "STATE_PAUSED"], states) == nil)
        guard case .oneOf(let allowed)? = ParameterCheck.check(["STATE_ACTIVE", "STATE_NAPPING"], states)?.wanted else {
            Issue.record("an unknown state is not one of the enum")
            return
        }
        #expect(allowed.contains("STATE_PAUSED"))
    }

    static func checkFailure(_ text: String) -> HarnessError? {
        do {
            let scenario = try ScenarioParser.parse(text, file: "s.yaml")
            try ScenarioChecker(model: model).check(scenario, predefined: ["token"])
            return nil
        } catch {
            return error
        }
    }

    @Test("a literal value that cannot be its parameter's type is an error at its own line and column, before anything is sent")
    func literalValues() throws {
        let ten = try #require(
            Self.checkFailure(
                """
                name: typed
                steps:
                  - name: list
                    operation: GetExperiments
                    query: {archived: true, limit: ten}
                """))
        #expect(ten.description.hasPrefix("s.yaml:5:"), "\(ten)")
        #expect(ten.description.contains("limit=ten: query parameter limit is an integer"), "\(ten)")
        let maybe = try #require(
            Self.checkFailure(
                """
                name: typed
                steps:
                  - name: list
                    operation: GetExperiments
                    query:
                      archived: maybe
                """))
        #expect(maybe.description.hasPrefix("s.yaml:6:17"), "\(maybe)")
        #expect(maybe.description.contains("archived is true or false"))
        #expect(
            Self.checkFailure(
                """
                name: negative
                steps:
                  - name: list
                    operation: GetExperiments
                    query: {limit: ten}
                    request_check: off
                    expect: {status: 400}
                """) == nil, "request_check: off lets a negative test send it")
        #expect(Self.checkFailure("name: x\nsteps:\n  - {operation: GetMaster, request_check: maybe}")?.description.contains("on") == true)
    }

    // MARK: Against the mock

    /// Runs `text` against a mock, recording every request the mock got.
    static func run(_ text: String, keepGoing: Bool = false, configure: @escaping (inout MockConfiguration) -> Void = { _ in }) async throws
        -> (ScenarioResult, [String])
    {
        let seen = Mutex<[String]>([])
        return try await withMockCluster({ c in
            configure(&c)
            let inner = c.injectUnavailable
            c.injectUnavailable = { method, path in
                seen.withLock { $0.append("\(method) \(path)") }
                return inner?(method, path) ?? false
            }
        }) { mock in
            var options = Runner.Options(master: mock.baseURL)
            options.keepGoing = keepGoing
            let runner = Runner(model: model, client: HTTPClient(), options: options)
            let result = await runner.run(try ScenarioParser.parse(text, file: "s.yaml"))
            return (result, seen.withLock { $0 })
        }
    }

    @Test("a step without expect.status passes only on a 2xx: a 503 and a 500 fail with 'expected 2xx'; asking for them passes")
    func expectsSuccess() async throws {
        let plain = """
            name: plain
            steps:
              - {name: master info, operation: GetMaster}
              - {name: list, operation: GetExperiments, auth: none}
            """
        let (failing, _) = try await Self.run(plain, keepGoing: true) { $0.failRate = 1 }
        #expect(failing.steps.map(\.outcome) == [.failed, .failed], "\(failing.steps.map(\.failures))")
        for step in failing.steps {
            let line = step.failures.map(FailureText.line).joined()
            #expect(line.contains("expected 2xx (a step without expect.status expects success)"), "\(line)")
        }
        #expect(ExitStatus.run([failing]) == .checkFailed)
        let asked = """
            name: asked
            steps:
              - {name: master info, operation: GetMaster, expect: {status: [500, 503]}}
              - {name: list, operation: GetExperiments, auth: none, expect: {status: [500, 503]}}
            """
        let (passing, _) = try await Self.run(asked) { $0.failRate = 1 }
        #expect(!passing.failed, "\(passing.steps.map(\.failures))")
        let (notFound, _) = try await Self.run("name: nf\nsteps:\n  - {operation: GetExperiment, path: {experimentId: 99999}}")
        #expect(notFound.failed, "a 404 no longer passes")
    }

    @Test("a templated value that cannot be its type fails the step unsent; request_check: off sends it and 400 passes when asked")
    func templatedValues() async throws {
        let (bad, seen) = try await Self.run(
            """
            name: templated
            vars: {n: ten}
            steps:
              - {name: list, operation: GetExperiments, query: {limit: "{{n}}"}}
            """)
        let step = try #require(bad.steps.first)
        #expect(step.outcome == .failed && step.status == nil)
        #expect(step.failures.first?.kind == .request)
        #expect(step.failures.first.map(FailureText.line)?.contains("limit=ten: query parameter limit is an integer") == true)
        #expect(!seen.contains { $0.hasPrefix("GET /api/v1/experiments") }, "nothing was sent: \(seen)")
        let (negative, sent) = try await Self.run(
            """
            name: negative
            vars: {n: ten}
            steps:
              - {name: list, operation: GetExperiments, query: {limit: "{{n}}"}, request_check: off, expect: {status: 400}}
            """)
        #expect(!negative.failed, "\(negative.steps.map(\.failures))")
        #expect(sent.contains { $0.hasPrefix("GET /api/v1/experiments") })
    }

    @Test("on_failure: continue goes on after a failed step; the default skips the rest and still runs finally")
    func keepGoing() async throws {
        let text = """
            name: drift
            steps:
              - {name: not there, operation: GetExperiment, path: {experimentId: 99999}, on_failure: continue}
              - {name: master, operation: GetMaster}
              - {name: not there either, operation: GetExperiment, path: {experimentId: 99998}}
              - {name: skipped, operation: GetMaster}
            finally:
              - {name: cleanup, operation: GetMaster}
            """
        let (result, _) = try await Self.run(text)
        #expect(result.steps.map(\.outcome) == [.failed, .passed, .failed, .skipped("an earlier step failed"), .passed])
        let (all, _) = try await Self.run(text, keepGoing: true)
        #expect(all.steps.map(\.outcome) == [.failed, .passed, .failed, .passed, .passed], "--keep-going: every step runs")
    }

    @Test("a numeric check may take a template, typed when the step runs")
    func templatedBounds() async throws {
        let (result, _) = try await Self.run(
            """
            name: bounds
            steps:
              - {name: first page, operation: GetExperiments, query: {limit: 1, orderBy: ORDER_BY_ASC, sortBy: SORT_BY_ID}, capture: {first: "$.experiments[0].id"}}
              - name: next page
                operation: GetExperiments
                query: {limit: 1, offset: 1, orderBy: ORDER_BY_ASC, sortBy: SORT_BY_ID}
                expect: {json: {"$.experiments[0].id": {gt: "{{first}}"}, "$.experiments": {length_lte: "{{first}}"}}}
              - name: a bound that is no number
                operation: GetMaster
                expect: {json: {$.version: {gt: "{{word}}"}}}
            vars: {word: many}
            """)
        #expect(result.steps[0].outcome == .passed && result.steps[1].outcome == .passed, "\(result.steps.map(\.failures))")
        let words = result.steps[2].failures.map(FailureText.line).joined()
        #expect(result.steps[2].outcome == .failed && words.contains("is \"many\" when the step runs, not a number"), "\(words)")
        #expect(throws: HarnessError.self, "a literal that is no number is still refused at its line") {
            try ScenarioParser.parse("name: x\nsteps:\n  - {operation: GetMaster, expect: {json: {$.a: {gt: many}}}}", file: "x.yaml")
        }
    }

    // MARK: Captures, exit codes, reasons

    @Test("captures fill variables; one that finds nothing fails unless the step already failed or may skip")
    func captures() throws {
        let response = HTTPResponse(status: 200, headers: ["X-Id": "7"], body: [])
        let json: JSONValue = ["a": ["id": 3]]
        let captures = [
            Capture(name: "id", source: .json(try JSONPath("$.a.id")), secret: false),
            Capture(name: "hdr", source: .header("X-Id"), secret: false),
            Capture(name: "gone", source: .json(try JSONPath("$.b")), secret: false),
        ]
        var vars = Variables()
        let failures = Captures.apply(captures, json: { json }, response: response, quiet: false, to: &vars)
        #expect(vars.values["id"] == 3 && vars.values["hdr"] == "7")
        #expect(failures.map(\.reason) == [.captureMissing(name: "gone")])
        var quiet = Variables()
        #expect(Captures.apply(captures, json: { json }, response: response, quiet: true, to: &quiet).isEmpty)
        #expect(quiet.values["gone"] == .null)
    }

    @Test("exit codes are decided in one place")
    func exitStatus() {
        func step(_ outcome: StepResult.Outcome, status: Int? = 200, failures: [CheckFailure] = []) -> StepResult {
            var s = StepResult(name: "s", operationID: "Op", method: "GET", url: "", status: status, milliseconds: 0, outcome: outcome)
            s.failures = failures
            return s
        }
        let passed = ScenarioResult(name: "a", file: "", steps: [step(.passed)])
        let failed = ScenarioResult(name: "b", file: "", steps: [step(.failed)])
        let down = ScenarioResult(name: "c", file: "", steps: [step(.error(CheckFailure(.transport, reason: .transport("refused"))))])
        #expect(ExitStatus.run([passed]) == .ok && ExitStatus.run([passed, failed]) == .checkFailed)
        #expect(ExitStatus.run([failed, down]) == .unreachable)
        #expect(ExitStatus.run([passed], signal: "SIGTERM").code == 143 && ExitStatus.run([failed], signal: "SIGINT").code == 130)
        #expect(ExitStatus.conform([passed], coverageMet: false) == .checkFailed)
        #expect(ExitStatus.merge([passed], shardsRefused: true) == .checkFailed && ExitStatus.merge([passed], shardsRefused: false) == .ok)
        let notSent = CheckFailure(
            .request, reason: .parameterValue(ParameterProblem(location: "query", name: "limit", value: "x", wanted: .integer)))
        #expect(ExitStatus.call(step(.failed, status: nil, failures: [notSent]), validated: true, failOnHTTPError: false) == .usage)
        #expect(ExitStatus.call(step(.failed, status: 404), validated: true, failOnHTTPError: false) == .checkFailed)
        #expect(ExitStatus.call(step(.passed, status: 404), validated: false, failOnHTTPError: false) == .ok)
        #expect(ExitStatus.call(step(.passed, status: 404), validated: false, failOnHTTPError: true) == .checkFailed)
    }

    @Test("a reason survives report.json and redaction keeps its shape")
    func reasons() throws {
        let reasons: [CheckFailure.Reason] = [
            .unexpectedStatus(status: 401, expected: ["2xx"], serverWords: "bad token SECRET", implicit: true, refused: .token),
            .pollingGaveUp(seconds: 10, interrupted: false, last: .assertion(found: "\"A\"", wanted: "equal \"B\"")),
            .parameterValue(ParameterProblem(location: "query", name: "states", value: "X", wanted: .oneOf(["A", "B"]))),
        ]
        for reason in reasons {
            #expect(CheckFailure.Reason(json: reason.json) == reason)
        }
        let hidden = reasons[0].mapText { $0.replacingOccurrences(of: "SECRET", with: "***") }
        #expect(
            FailureText.sentence(hidden)
                == "status 401 (bad token ***), expected 2xx (a step without expect.status expects success); the credentials were refused (a token that expired or was revoked?)"
        )
        let login = CheckFailure.Reason.unexpectedStatus(status: 401, expected: ["200"], serverWords: nil, implicit: false, refused: .login)
        #expect(!FailureText.sentence(login).contains("expired"), "a refused login is not an expired token")
    }
}

@Suite("Which spec a command reads")
struct SpecSelectionTests {
    @Test("--spec, DETAPI_SPEC, builtin, a URL, a master's own spec, and the built-in one by default")
    func resolve() {
        func pick(_ spec: String?, master: String? = nil, env: [String: String] = [:]) -> SpecSelection.Source {
            SpecSelection.resolve(spec: spec, overlays: [], noBuiltInOverlay: false, master: master, environment: env).source
        }
        #expect(pick(nil) == .builtIn)
        #expect(pick(nil, master: "http://m:8080") == .served(master: "http://m:8080"))
        #expect(pick("builtin", master: "http://m:8080") == .builtIn)
        #expect(pick("a.yaml", master: "http://m:8080") == .file("a.yaml"))
        #expect(pick("https://x/spec.json") == .url("https://x/spec.json"))
        #expect(pick(nil, master: "http://m", env: ["DETAPI_SPEC": "env.json"]) == .file("env.json"))
        #expect(pick(nil, master: "http://m", env: ["DETAPI_SPEC": ""]) == .served(master: "http://m"), "an empty DETAPI_SPEC is unset")
        let overlays = SpecSelection.resolve(
            spec: nil, overlays: [], noBuiltInOverlay: true, master: nil, environment: ["DETAPI_OVERLAY": "a.yaml:b.yaml"])
        #expect(overlays.overlays == ["a.yaml", "b.yaml"] && !overlays.builtInOverlay)
    }

    @Test("the guess from a raw command line agrees with what the parsed options resolve to")
    func guess() {
        func guess(_ words: [String], env: [String: String] = [:]) -> SpecSelection.Source? {
            SpecSelection.guess(arguments: ["detapi"] + words, environment: env)?.source
        }
        #expect(guess(["run", "--mock"], env: ["DET_MASTER": "http://m"]) == .builtIn, "--mock never reads a master's spec")
        #expect(guess(["run", "x.yaml"], env: ["DET_MASTER": "http://m"]) == .served(master: "http://m"))
        #expect(guess(["call", "GetMaster", "--master=http://a", "--master", "http://b"]) == .served(master: "http://b"), "the last wins")
        #expect(guess(["conform", "--spec", "s.json", "--master", "http://m"]) == .file("s.json"))
        #expect(guess(["spec", "info", "--spec=builtin"]) == .builtIn)
        #expect(guess(["mock", "--port", "8080"], env: ["DET_MASTER": "http://m"]) == .builtIn)
        #expect(guess(["validate", "--op", "GetMaster"], env: ["DET_MASTER": "http://m"]) == .builtIn)
        #expect(guess(["report", "merge", "a.json"]) == nil, "report reads no spec")
        #expect(guess(["call", "GET", "/x", "--", "--spec", "nope"]) == .builtIn, "nothing after -- is an option")
        #expect(SpecSelection.guess(arguments: ["detapi", "run", "--overlay", "o.yaml"], environment: [:])?.overlays == ["o.yaml"])
    }
}

@Suite("A mistyped command")
struct SubcommandNameTests {
    @Test("names the nearest command; leaves commands, options, paths and far words alone")
    func suggestions() {
        #expect(SubcommandName.suggestion(for: "rnu") == "run")
        #expect(SubcommandName.suggestion(for: "Run") == "run")
        #expect(SubcommandName.suggestion(for: "conform") == nil && SubcommandName.suggestion(for: "--mock") == nil)
        #expect(SubcommandName.suggestion(for: "xyzzyq") == nil && SubcommandName.suggestion(for: "./run") == nil)
    }
}
