import HTTP
import Harness
import JSON
import MockCluster
import MockClusterTesting
import OpenAPI
import Reports
import Testing

@Suite("conform's sweep against the embedded mock")
struct SweepTests {
    static let model = try! SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source)

    func sweep(_ configure: @escaping (inout MockConfiguration) -> Void = { _ in }) async throws -> (Sweep, [ScenarioResult]) {
        try await withMockCluster(configure) { mock in
            let sweep = Sweep(model: Self.model, selection: .init())
            let runner = Runner(model: Self.model, client: HTTPClient(), options: .init(master: mock.baseURL))
            return (sweep, await sweep.run(with: runner))
        }
    }

    @Test("every GET operation is reached and passes; path parameters come from earlier lists")
    func clean() async throws {
        let (sweep, results) = try await sweep()
        let gets = Self.model.operations.filter { $0.method == "GET" }.map(\.id).sorted()
        #expect(sweep.operations.map(\.id).sorted() == gets)
        let steps = results.flatMap(\.steps)
        #expect(steps.map(\.operationID).sorted() == gets)
        let problems = steps.filter { $0.outcome != .passed }.map { "\($0.name): \(FailureText.lines($0.failures))" }
        #expect(problems.isEmpty, "\(problems)")
        let experiment = try #require(steps.first { $0.operationID == "GetExperiment" })
        #expect(experiment.url.hasSuffix("/api/v1/experiments/1"), "the first id of GetExperiments: \(experiment.url)")
        let projects = try #require(steps.first { $0.operationID == "GetWorkspaceProjects" })
        #expect(projects.url.hasSuffix("/api/v1/workspaces/1/projects"), "\(projects.url)")
        #expect(
            ConformReport.coverage(results, swept: sweep.operations.count, total: Self.model.operations.count).hasPrefix(
                "coverage: 12 of 12"))
    }

    @Test("a drifting master: every drifted operation fails response_schema_conformance at its pointer")
    func drift() async throws {
        let (_, results) = try await sweep { $0.drift = true }
        let failing = results.flatMap(\.steps).filter { $0.outcome == .failed }
        #expect(failing.count >= 8)
        #expect(failing.allSatisfy { $0.failures.contains { $0.kind == .schema } }, "\(failing.map(\.name))")
        #expect(RunVerdict(results) == .checkFailed)
    }

    @Test("an operation that answers without credentials is caught by ignored_auth")
    func ignoredAuth() async throws {
        let (_, results) = try await sweep { $0.unauthenticatedRoutes = ["GetUsers"] }
        let failing = results.flatMap(\.steps).filter { $0.outcome == .failed }
        let problems = failing.map { "\($0.name): \(FailureText.lines($0.failures))" }
        #expect(failing.map(\.operationID) == ["GetUsers"], "\(problems)")
        #expect(
            failing.first?.failures.first.map(FailureText.line)?.hasPrefix("ignored_auth: without credentials the answer is 200") == true)
    }
}
