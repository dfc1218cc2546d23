import Foundation
import HTTP
import Harness
import JSON
import MockCluster
import MockClusterTesting
import OpenAPI
import Reports
import Testing

@Suite("Runner against the embedded mock")
struct RunnerTests {
    static let model = try! SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source)

    func withRunner(
        password: String? = nil, drift: Bool = false, clock: ManualClock? = nil, transitionDelay: Double = 1,
        _ body: (Runner, MockServer) async throws -> Void
    ) async throws {
        try await withMockCluster({ c in
            c.password = password
            c.drift = drift
            c.transitionDelay = transitionDelay
            if let clock { c.clock = .manual(clock) }
        }) { mock in
            var options = Runner.Options(master: mock.baseURL, credentials: Credentials(password: password ?? ""))
            options.nulls = .optional
            try await body(Runner(model: Self.model, client: HTTPClient(), options: options), mock)
        }
    }

    static var flagship: Scenario {
        let source = EmbeddedScenarios.all.first { $0.file.hasSuffix("unarchive.yaml") }!
        return try! ScenarioParser.parse(source.text, file: source.file)
    }

    @Test("paginate sends every page (a line each) and all_pages gathers every id; a list longer than max_pages fails saying so")
    func paginate() async throws {
        let text = """
            name: pages
            steps:
              - name: list
                operation: GetExperiments
                query: {limit: 7}
                paginate: {max_pages: MAX}
                capture:
                  ids: {json: "$.experiments[*].id", all_pages: true}
              - name: all of them
                operation: GetExperiments
                query: {limit: 100}
                expect: {json: {"$.experiments[*].id": {in: "{{ids}}"}, "$.experiments": {length: 50}}}
            """
        try await withMockCluster { mock in
            let runner = Runner(model: Self.model, client: HTTPClient(), options: .init(master: mock.baseURL))
            let passed = await runner.run(try ScenarioParser.parse(text.replacingOccurrences(of: "MAX", with: "20"), file: "p.yaml"))
            #expect(!passed.failed, "\(passed.steps.map { "\($0.name): \($0.outcome)" })")
            #expect(
                passed.steps.map(\.name).prefix(8) == [
                    "list", "list (page 2)", "list (page 3)", "list (page 4)", "list (page 5)", "list (page 6)", "list (page 7)",
                    "list (page 8)",
                ])
            let capped = await runner.run(try ScenarioParser.parse(text.replacingOccurrences(of: "MAX", with: "3"), file: "p.yaml"))
            #expect(capped.failed && capped.steps.count == 4, "\(capped.steps.map(\.name))")
            #expect(capped.steps[2].failures.contains { FailureText.line($0).contains("max_pages 3") }, "\(capped.steps[2].failures)")
        }
        #expect(throws: HarnessError.self) {
            try ScenarioParser.parse("name: x\nsteps:\n  - operation: GetExperiments\n    paginate: {max_page: 2}\n", file: "x.yaml")
        }
    }

    @Test("the flagship passes and leaves the cluster as found")
    func flagship() async throws {
        try await withRunner { runner, mock in
            let result = await runner.run(Self.flagship)
            #expect(!result.failed, "\(result.steps.map { "\($0.name): \($0.outcome) \($0.failures)" })")
            #expect(result.steps.count == 6)
            #expect(result.steps.last?.isFinally == true && result.steps.last?.outcome == .passed)
            let client = HTTPClient()
            let login = try await client.send(
                HTTPRequest(
                    method: .post, url: mock.baseURL + "/api/v1/auth/login", body: Array(#"{"username":"admin","password":""}"#.utf8)))
            let token = try JSONValue(parsing: login.body)["token"]!.stringValue!
            let after = try await client.send(
                HTTPRequest(url: mock.baseURL + "/api/v1/experiments/2", headers: ["Authorization": "Bearer \(token)"]))
            #expect(try JSONValue(parsing: after.body)["experiment"]?["archived"] == true, "archived again in finally")
        }
    }

    /// Answers 503 (Retry-After: 1) to the first `failures` archive requests.
    final class ArchiveOutage: @unchecked Sendable {
        let failures: Int
        private let lock = NSLock()
        private(set) var seen = 0
        init(failures: Int) { self.failures = failures }
        func fail(_ method: String, _ path: String) -> Bool {
            guard method == "POST", path.hasSuffix("/archive") else { return false }
            return lock.withLock {
                seen += 1
                return seen <= failures
            }
        }
    }

    /// The flagship against a mock whose first `failures` archive requests answer 503: its result and the waits.
    func flagshipThroughOutage(_ outage: ArchiveOutage) async throws -> (ScenarioResult, [Duration]) {
        try await withMockCluster({ $0.injectUnavailable = { outage.fail($0, $1) } }) { mock in
            let (clock, waits) = RunClock.manual()
            var options = Runner.Options(master: mock.baseURL, credentials: Credentials(password: ""))
            options.clock = clock
            return (await Runner(model: Self.model, client: HTTPClient(), options: options).run(Self.flagship), waits.waits)
        }
    }

    @Test("a finally step rides out 503s: resent after Retry-After until it passes; the cluster is left as found")
    func finallyRetries() async throws {
        let outage = ArchiveOutage(failures: 2)
        let (result, waits) = try await flagshipThroughOutage(outage)
        let last = try #require(result.steps.last)
        #expect(last.isFinally && last.outcome == .passed, "\(last.outcome)")
        #expect(last.attempts == 3)
        #expect(waits == [.seconds(1), .seconds(1)], "Retry-After (1 s) is longer than the first backoffs (0.5 s, 1 s)")
        #expect(outage.seen == 3)
    }

    @Test("a finally step that keeps failing stops after 5 attempts and fails visibly")
    func finallyGivesUp() async throws {
        let outage = ArchiveOutage(failures: 100)
        let (result, waits) = try await flagshipThroughOutage(outage)
        let last = try #require(result.steps.last)
        #expect(last.isFinally && last.status == 503 && result.failed)
        #expect(last.attempts == 5 && outage.seen == 5)
        #expect(waits == [.seconds(1), .seconds(1), .seconds(2), .seconds(4)])
    }

    @Test("no archived experiment: the rest is skipped with the reason, finally does not run, nothing fails")
    func skip() async throws {
        let text = """
            name: skip
            steps:
              - name: find none
                operation: GetExperiments
                query: {archived: true, name: no-such-experiment}
                capture: {id: "$.experiments[0].id"}
                skip_rest_if: {json: $.experiments, empty: true, reason: no archived experiment on this cluster}
              - name: unarchive it
                operation: UnarchiveExperiment
                path: {id: "{{id}}"}
                capture: {done: {status: true}}
            finally:
              - name: put it back
                operation: ArchiveExperiment
                path: {id: "{{id}}"}
                when: "{{done}}"
            """
        try await withRunner { runner, _ in
            let result = await runner.run(try ScenarioParser.parse(text, file: "skip.yaml"))
            #expect(!result.failed)
            #expect(result.steps[1].outcome == .skipped("no archived experiment on this cluster"))
            #expect(result.steps[2].outcome == .skipped("'when' is false"))
        }
    }

    @Test("drifted bodies fail with the pointer of the broken field")
    func drift() async throws {
        try await withRunner(drift: true) { runner, _ in
            let result = await runner.run(Self.flagship)
            #expect(result.failed)
            let failing = result.steps.first { $0.outcome == .failed }
            #expect(
                failing?.failures.contains { $0.kind == .schema && $0.location == .body(pointer: "/experiments/0") } == true,
                "\(failing?.failures ?? [])")
        }
    }

    @Test("retry polls with backoff until the state changes; fail_if stops at once with the reason")
    func polling() async throws {
        let text = """
            name: poll
            steps:
              - name: log in as admin
                operation: Login
                auth: none
                body: {username: admin, password: ""}
                capture: {token: {json: $.token, secret: true}}
              - name: kill the running one
                operation: KillExperiment
                path: {id: 3}
              - name: wait for it to end
                operation: GetExperiment
                path: {experimentId: 3}
                retry: {until: {json: $.experiment.state, equals: STATE_CANCELED}, interval: 50ms, backoff: 2, max_interval: 200ms, timeout: 20s}
              - name: a state it can never reach
                operation: GetExperiment
                path: {experimentId: 3}
                retry:
                  until: {json: $.experiment.state, equals: STATE_COMPLETED}
                  fail_if: {json: $.experiment.state, in: [STATE_ERROR, STATE_CANCELED]}
                  timeout: 20s
            """
        // One manual time for both sides: each wait of the runner moves the mock's clock by as much, so the
        // 3 s STOPPING_KILLED state passes with no real time spent.
        let mockClock = ManualClock()
        let (clock, waits) = RunClock.manual()
        try await withMockCluster({ c in
            c.transitionDelay = 3
            c.clock = .manual(mockClock)
        }) { mock in
            var options = Runner.Options(master: mock.baseURL)
            options.clock = RunClock(
                now: clock.now,
                sleep: { d in
                    await clock.sleep(d)
                    mockClock.advance(by: d.seconds)
                })
            let runner = Runner(model: Self.model, client: HTTPClient(), options: options)
            let result = await runner.run(try ScenarioParser.parse(text, file: "poll.yaml"))
            let wait = result.steps[2]
            #expect(wait.outcome == .passed, "\(wait.failures)")
            #expect(wait.attempts > 1, "it polled")
            #expect(
                waits.waits.prefix(3) == [.milliseconds(50), .milliseconds(100), .milliseconds(200)],
                "backoff 2 from 50 ms, capped at 200 ms")
            #expect(waits.waits.reduce(.zero, +) >= .seconds(3), "it waited out the transition on the injected clock")
            #expect(wait.milliseconds >= 3000, "the step's time covers every attempt and wait")
            let never = result.steps[3]
            #expect(never.outcome == .failed && never.attempts == 1, "fail_if stops at the first answer")
            #expect(
                never.failures.first.map(FailureText.line)?.hasPrefix("stopped polling: $.experiment.state") == true, "\(never.failures)")
        }
    }

    @Test("a distinctive password and the token never appear in results")
    func redaction() async throws {
        let password = "Zebra-Quartz-9137"
        try await withRunner(password: password) { runner, _ in
            var scenario = Self.flagship
            scenario.vars = scenario.vars.map { v in
                var v = v
                if v.name == "password" { v.value = .string(password) }
                return v
            }
            let result = await runner.run(scenario)
            #expect(!result.failed, "\(result.steps.map(\.failures))")
            let run = RunRecord(results: [result], master: "http://m", spec: "s")
            // Every byte each report would write, and every field the console prints from.
            let everything =
                result.steps.map {
                    "\($0.url) \($0.curl) \($0.failures) \($0.requestHeaders) \($0.requestBody) \($0.responseHeaders) \($0.responseBody) \($0.outcome)"
                }.joined() + JUnitReport.render(run.results) + JSONWriter().string(JSONReport.render(run)) + (try HTMLReport.render(run))
            #expect(everything.contains("Bearer ***"), "the header is there, masked")
            #expect(!everything.contains(password))
            #expect(!everything.contains("v2.public."), "no token in any output")
        }
    }
}
