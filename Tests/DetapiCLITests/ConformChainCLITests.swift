import Foundation
import HTTP
import JSON
import MockCluster
import MockClusterTesting
import Testing

@Suite("detapi conform --allow-writes stopped mid-chain: SIGTERM cleans up, SIGKILL leaves a ledger --cleanup empties")
struct ConformChainCLITests {
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-chain-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Waits (bounded: 1,000 checks 10 ms apart) until the ledger names a created object.
    static func waitCreated(_ ledger: String) async throws -> Bool {
        for _ in 0..<1000 {
            if let text = try? String(contentsOfFile: ledger, encoding: .utf8), text.contains("\"created\"") { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    static func arguments(_ mock: MockServer, _ dir: String) -> [String] {
        [
            "conform", "--master", mock.baseURL, "--allow-writes", "--yes", "--tag", "Workspaces", "--tag", "Projects", "--combinations",
            "0",
            "--out", dir, "--report", "json",
        ]
    }

    @Test("--plan prints the chains and sends nothing")
    func plan() async throws {
        if let staleness = CLI.staleness { throw CLI.StaleBinary(description: staleness) }
        let result = try await CLI.run(["conform", "--plan", "--master", "http://127.0.0.1:9"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("scratch workspace: detapi-conform-"))
        #expect(result.stdout.contains("modelVersion: PostModelVersion (in its model)"))
        #expect(result.stdout.contains("PostUser") && result.stdout.contains("the API has no delete for it"))
    }

    /// A conform run stopped by `signal` once its ledger names a created object, against a mock with a state file:
    /// `after` gets the mock, the folder, the admin token, the state before the run, and what the run printed.
    static func stopped(
        by signal: Int32, after: (MockServer, String, String, Data, String, Int32) async throws -> Void
    ) async throws {
        if let staleness = CLI.staleness { throw CLI.StaleBinary(description: staleness) }
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let state = dir + "/state.json"
        try await withMockCluster({
            $0.stateFile = state
            $0.latency = 0.03...0.03
        }) { mock in
            let token = try await SignalTests.adminToken(HTTPClient(), mock.baseURL)
            let before = try Data(contentsOf: URL(fileURLWithPath: state))
            let (process, output) = try SignalTests.start(Self.arguments(mock, dir), environment: ["DET_TOKEN": token])
            #expect(try await Self.waitCreated(dir + "/conform-ledger.json"), "\(output.text)")
            kill(process.processIdentifier, signal)
            let (text, status) = await output.finish(process)
            try await after(mock, dir, token, before, text, status)
        }
    }

    @Test("SIGTERM while a chain's objects exist: they are deleted, exit 143, the mock's state file as before")
    func sigterm() async throws {
        try await Self.stopped(by: SIGTERM) { _, dir, _, before, text, status async throws in
            #expect(status == 143, "\(text)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/state.json")) == before, "left as found after SIGTERM: \(text)")
        }
    }

    @Test("SIGKILL while a chain's objects exist: conform --cleanup LEDGER deletes them, the state file as before")
    func sigkill() async throws {
        try await Self.stopped(by: SIGKILL) { mock, dir, token, before, _, _ async throws in
            let state = dir + "/state.json"
            #expect(try Data(contentsOf: URL(fileURLWithPath: state)) != before, "the killed run left its objects")
            let cleanup = try await CLI.run(
                ["conform", "--cleanup", dir + "/conform-ledger.json", "--master", mock.baseURL], environment: ["DET_TOKEN": token])
            #expect(cleanup.status == 0, "\(cleanup.stdout)\(cleanup.stderr)")
            #expect(cleanup.stdout.contains("✓ workspace detapi-conform-"), "\(cleanup.stdout)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: state)) == before, "left as found after --cleanup: \(cleanup.stdout)")
            let again = try await CLI.run(
                ["conform", "--cleanup", dir + "/conform-ledger.json", "--master", mock.baseURL], environment: ["DET_TOKEN": token])
            #expect(again.status == 0 && again.stderr.contains("0 objects deleted or already gone, 0 left"), "\(again.stderr)")
            let broken = try await CLI.run(["conform", "--cleanup", state, "--master", mock.baseURL])
            #expect(broken.status == 2 && broken.stderr.contains("not a ledger detapi conform wrote"), "\(broken.stderr)")
        }
    }

    /// Each operation's reached flag and check states, and each step's finding kinds, from a report.json.
    static func digest(_ path: String) throws -> (operations: [String: String], findings: [String: [String]], requests: Int?) {
        let report = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        var operations: [String: String] = [:]
        for o in report["conform"]?["operations"]?.arrayValue ?? [] where o["proof"] != true {
            let checks = (o["checks"]?.objectValue ?? JSONObject()).map { "\($0.key)=\($0.value.stringValue ?? "")" }.sorted()
            operations[o["operationId"]?.stringValue ?? ""] = "\(o["reached"]?.boolValue ?? false) \(checks.joined(separator: ","))"
        }
        var findings: [String: [String]] = [:]
        for s in report["scenarios"]?.arrayValue ?? [] {
            for step in s["steps"]?.arrayValue ?? [] {
                let kinds = (step["failures"]?.arrayValue ?? []).compactMap { $0["kind"]?.stringValue }.sorted()
                findings[step["operationId"]?.stringValue ?? "", default: []] += kinds
            }
        }
        return (operations, findings.mapValues { $0.sorted() }, report["conform"]?["requests"]?.intValue)
    }

    @Test("conform --shard 1/2 and 2/2 joined by report merge: the same operations, check states and findings as one run")
    func shards() async throws {
        if let staleness = CLI.staleness { throw CLI.StaleBinary(description: staleness) }
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let common = ["conform", "--mock", "--allow-writes", "--yes", "--report", "json", "--combinations", "10"]
        for shard in ["1", "2"] {
            let r = try await CLI.run(common + ["--shard", "\(shard)/2", "--out", "\(dir)/\(shard)"])
            #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        }
        let one = try await CLI.run(common + ["--out", "\(dir)/one"])
        #expect(one.status == 0, "\(one.stdout)\(one.stderr)")
        let merge = try await CLI.run([
            "report", "merge", "\(dir)/1/report.json", "\(dir)/2/report.json", "--out", "\(dir)/m", "--report", "json",
        ])
        #expect(merge.status == 0 && merge.stdout.contains("coverage: "), "\(merge.stdout)\(merge.stderr)")
        let single = try Self.digest("\(dir)/one/report.json")
        let merged = try Self.digest("\(dir)/m/report.json")
        let first = try Self.digest("\(dir)/1/report.json")
        #expect(!single.operations.isEmpty && first.operations.count < single.operations.count, "a shard sweeps part of the spec")
        #expect(merged.operations == single.operations)
        #expect(merged.findings == single.findings)
        #expect(merged.requests == single.requests)
    }
}
