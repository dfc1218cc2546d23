import Foundation
import HTTP
import Harness
import JSON
import MockCluster
import MockClusterTesting
import OpenAPI
import Testing

@Suite("Embedded scenarios")
struct EmbeddedScenariosTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("specs/scenarios")

    @Test("EmbeddedScenarios.swift holds exactly specs/scenarios/*.yaml (run scripts/embed-scenarios.sh after editing them)")
    func matchesSource() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(EmbeddedScenarios.all.map(\.file) == files.map { "specs/scenarios/" + $0 })
        for entry in EmbeddedScenarios.all {
            let text = try String(
                contentsOfFile: Self.folder.deletingLastPathComponent().deletingLastPathComponent().path + "/" + entry.file, encoding: .utf8
            )
            #expect(entry.text == text, "\(entry.file) was edited without regenerating EmbeddedScenarios.swift")
        }
    }

    /// A runner against a fresh mock (built-in spec), with the admin's token for reading lists beside the run.
    static func withRunner(_ body: (MockServer, HTTPClient, Runner, String) async throws -> Void) async throws {
        try await withMockCluster { mock in
            let model = try SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source)
            let client = HTTPClient()
            let login = try await client.send(
                HTTPRequest(
                    method: "POST", url: mock.baseURL + "/api/v1/auth/login", body: Array(#"{"username":"admin","password":""}"#.utf8)))
            let token = try #require(try JSONValue(parsing: login.body)["token"]?.stringValue)
            try await body(mock, client, Runner(model: model, client: client, options: .init(master: mock.baseURL)), token)
        }
    }

    @Test("the workspace day moves an experiment into a new workspace's project and back, and leaves the lists as found")
    func workspaceDay() async throws {
        try await Self.withRunner { mock, client, runner, token in
            func lists() async throws -> String {
                var out = ""
                for path in ["/api/v1/workspaces", "/api/v1/workspaces/0/projects", "/api/v1/experiments?limit=-1"] {
                    var request = HTTPRequest(url: mock.baseURL + path)
                    request.headers.set("Authorization", "Bearer \(token)")
                    var value = try JSONValue(parsing: try await client.send(request).body)
                    // Durations of running experiments move with the clock; what matters is which rows are where.
                    if case .object(var o) = value, let rows = o["experiments"]?.arrayValue {
                        o["experiments"] = .array(rows.map { ["id": $0["id"] ?? .null, "projectId": $0["projectId"] ?? .null] })
                        value = .object(o)
                    }
                    out += JSONWriter().string(value) + "\n"
                }
                return out
            }
            let before = try await lists()
            let source = try #require(EmbeddedScenarios.all.first { $0.file.hasSuffix("workspace-day.yaml") })
            let result = await runner.run(try ScenarioParser.parse(source.text, file: source.file))
            #expect(result.steps.allSatisfy { $0.outcome == .passed }, "\(result.steps.map { ($0.name, $0.failures.count) })")
            #expect(result.steps.contains { $0.name == "it is in the new project and workspace" && $0.outcome == .passed })
            #expect(try await lists() == before, "the day leaves workspaces, projects and experiments as it found them")
        }
    }

    @Test("for_each: unarchive-each unarchives two experiments one by one (a line each), and finally archives both again")
    func unarchiveEach() async throws {
        try await Self.withRunner { mock, client, runner, token in
            func archived() async throws -> [Int] {
                var request = HTTPRequest(url: mock.baseURL + "/api/v1/experiments?archived=true&limit=-1")
                request.headers.set("Authorization", "Bearer \(token)")
                return (try JSONValue(parsing: try await client.send(request).body)["experiments"]?.arrayValue ?? []).compactMap {
                    $0["id"]?.intValue
                }
            }
            let before = try await archived()
            let source = try #require(EmbeddedScenarios.all.first { $0.file.hasSuffix("unarchive-each.yaml") })
            let result = await runner.run(try ScenarioParser.parse(source.text, file: source.file))
            #expect(!result.failed, "\(result.steps.map { "\($0.name): \($0.outcome)" })")
            let ids = before.prefix(2).map(String.init)
            #expect(result.steps.map(\.name).filter { $0.hasPrefix("unarchive [") } == ids.map { "unarchive [id=\($0)]" })
            #expect(result.steps.filter { $0.isFinally }.count == 2)
            #expect(try await archived() == before, "every experiment archived again")
        }
        #expect(throws: HarnessError.self) {
            let text =
                "name: x\nsteps:\n  - operation: GetExperiment\n    for_each: {var: id, in: \"{{nope}}\"}\n    path: {experimentId: \"{{id}}\"}\n"
            try ScenarioChecker(model: try SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source))
                .check(try ScenarioParser.parse(text, file: "x.yaml"), predefined: [])
        }
    }
}
