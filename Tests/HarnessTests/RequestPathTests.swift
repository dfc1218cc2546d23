import Foundation
import HTTP
import Harness
import JSON
import MockCluster
import MockClusterTesting
import OpenAPI
import Reports
import Testing

@Suite("One request path: the plan, call and run build the same URL")
struct RequestPathTests {
    static let model = try! SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source)

    @Test("a path value with '/' and a query value with spaces and '&': the plan shows the URL run sends")
    func planMatchesSent() async throws {
        let text = """
            name: escapes
            steps:
              - name: one
                operation: GetExperiment
                path: {experimentId: "a/b c"}
                request_check: off
                expect: {status: [4xx, 5xx]}
              - name: list
                operation: GetExperiments
                query: {name: "x & y z", labels: [a b, c]}
            """
        let scenario = try ScenarioParser.parse(text, file: "e.yaml")
        let plan = Plan([scenario], model: Self.model)
        #expect(plan.entries[0].requests[0].target == "/api/v1/experiments/a%2Fb%20c")
        try await withMockCluster { mock in
            let runner = Runner(model: Self.model, client: HTTPClient(), options: .init(master: mock.baseURL))
            let result = await runner.run(scenario)
            for (step, planned) in zip(result.steps, plan.entries[0].requests) {
                #expect(step.url == mock.baseURL + planned.target, "plan \(planned.target) vs sent \(step.url)")
            }
            #expect(result.steps[1].url.contains("name=x%20%26%20y%20z"), "\(result.steps[1].url)")
        }
    }

    @Test("call words: parameters typed by the spec, arrays from repeated names, raw requests keep their path")
    func callLine() throws {
        let line = try CallLine(
            words: ["getexperiments", "archived=true", "limit=1", "labels=a", "labels=b"], model: Self.model, master: "h")
        #expect(line.step.operation == "GetExperiments")
        #expect(line.step.query.map(\.0) == ["archived", "limit", "labels"])
        #expect(line.step.query[0].1 == .bool(true) && line.step.query[1].1 == 1 && line.step.query[2].1 == ["a", "b"])
        let raw = try CallLine(words: ["get", "https://staging:8443/api/v1/experiments?limit=1"], model: Self.model, master: nil)
        #expect(raw.master == "https://staging:8443" && raw.step.request?.path == "/api/v1/experiments?limit=1")
        #expect(raw.step.request?.method == "GET")
        for bad in [
            ["GetExperiment"], ["GetExperiments", "limit=x"], ["GetExperiments", "nope=1"], ["Nope"], ["GetExperiments", "limit"],
        ] {
            #expect(throws: HarnessError.self, "\(bad)") { try CallLine(words: bad, model: Self.model, master: "h") }
        }
    }

    @Test("a raw request whose path matches an operation is validated as that operation, with its concrete path")
    func rawValidated() async throws {
        try await withMockCluster({ $0.drift = true }) { mock in
            var options = Runner.Options(master: mock.baseURL)
            options.autoLogin = true
            let runner = Runner(model: Self.model, client: HTTPClient(), options: options)
            var vars = Variables()
            let line = try CallLine(words: ["GET", "/api/v1/experiments?limit=1"], model: Self.model, master: mock.baseURL)
            let exchange = await runner.exchange(line.step, vars: &vars)
            #expect(exchange.operation?.id == "GetExperiments")
            #expect(exchange.result.url.hasSuffix("/api/v1/experiments?limit=1"))
            #expect(exchange.result.failures.contains { $0.kind == .schema }, "the drifting body is checked")
            #expect(RunVerdict([ScenarioResult(name: "c", file: "", steps: [exchange.result])]) == .checkFailed)
        }
    }

    @Test("a refused connection is a transport failure: exit 3 from the kind, <error type=\"transport\"> in JUnit")
    func transportKind() async throws {
        let runner = Runner(model: Self.model, client: HTTPClient(), options: .init(master: "http://127.0.0.1:1"))
        var vars = Variables()
        let step = try CallLine(words: ["GetMaster"], model: Self.model, master: "http://127.0.0.1:1").step
        let result = await runner.exchange(step, vars: &vars).result
        guard case .error(let failure) = result.outcome else {
            Issue.record("expected an error, got \(result.outcome)")
            return
        }
        #expect(failure.kind == .transport)
        let scenario = ScenarioResult(name: "c", file: "", steps: [result])
        #expect(RunVerdict([scenario]) == .unreachable)
        #expect(JUnitReport.render([scenario]).contains("<error type=\"transport\" message=\"transport: "))
    }

    @Test("a `matches` pattern that backtracks without end is stopped at its budget and says so; a plain one still matches")
    func boundedRegex() throws {
        let path = try JSONPath("$.name")
        let location = SourceLocation(file: "", line: 0, column: 0)
        let hostile: JSONValue = ["name": .string(String(repeating: "a", count: 48) + "!")]
        let slow = Checks.assert(JSONAssertion(path: path, check: .matches("^(a+)+$"), location: location), hostile)
        #expect(slow.map(FailureText.line)?.contains("took longer than") == true, "\(slow.map(FailureText.line) ?? "passed")")
        #expect(slow.map(FailureText.line)?.contains("49-character string") == true)
        #expect(Checks.assert(JSONAssertion(path: path, check: .matches("^a+!$"), location: location), hostile) == nil)
        let miss = Checks.assert(JSONAssertion(path: path, check: .matches("^b"), location: location), hostile)
        #expect(miss.map(FailureText.line)?.contains("expected it to match /^b/") == true)
    }

    @Test("expectations read as sentences; a body that is not JSON is one failure for all JSON expectations")
    func sentences() throws {
        let path = try JSONPath("$.a")
        let wrong = Checks.assert(JSONAssertion(path: path, check: .equals(1), location: .init(file: "", line: 0, column: 0)), ["a": 2])
        #expect(wrong.map(FailureText.line) == "$.a: 2, expected it to equal 1")
        let absent = Checks.assert(JSONAssertion(path: path, check: .equals(1), location: .init(file: "", line: 0, column: 0)), [:])
        #expect(absent.map(FailureText.line) == "$.a: absent, expected it to equal 1")
        var e = Expectation()
        e.json = (0..<3).map { _ in JSONAssertion(path: path, check: .exists, location: .init(file: "", line: 0, column: 0)) }
        let failures = Checks(model: Self.model, nulls: .optional).expectations(
            e, HTTPResponse(status: 200, body: Array("<html>".utf8)), nil)
        #expect(failures.count == 1)
        #expect(failures.first.map(FailureText.line)?.contains("these 3 JSON expectations could not be checked") == true)
    }
}
