import Foundation
import HTTP
import JSON
import MockCluster
import MockClusterTesting
import Testing

/// `detapi run --repeat … --jobs 16` against a master that fails one request in ten and answers slowly: no
/// result is lost, `finally` puts every experiment back, and the reports add up. (bench/load-faults.sh runs
/// the full 200 repeats with 0–300 ms latency and measures memory.)
@Suite("load with faults")
struct LoadWithFaultsTests {
    /// The ids of the archived experiments, asked until the faulty mock answers (at most 50 tries).
    static func archivedIDs(_ client: HTTPClient, _ base: String) async throws -> [Int] {
        for _ in 0..<50 {
            let login = try await client.send(
                HTTPRequest(method: .post, url: base + "/api/v1/auth/login", body: Array(#"{"username":"admin","password":""}"#.utf8)))
            guard login.status == 200, let token = try JSONValue(parsing: login.body)["token"]?.stringValue else { continue }
            let list = try await client.send(
                HTTPRequest(url: base + "/api/v1/experiments?archived=true&limit=100", headers: ["Authorization": "Bearer \(token)"]))
            guard list.status == 200, case .array(let experiments)? = try JSONValue(parsing: list.body)["experiments"] else { continue }
            return experiments.compactMap { $0["id"]?.intValue }.sorted()
        }
        throw CocoaError(.fileReadUnknown)
    }

    @Test("30 repeats of the flagship and the auth scenario, --jobs 16, 10% failures: nothing lost, every experiment re-archived")
    func repeatWithFaults() async throws {
        if let staleness = CLI.staleness { throw CLI.StaleBinary(description: staleness) }
        try await withMockCluster({
            $0.failRate = 0.1
            $0.latency = 0...0.02
        }) { mock in
            let client = HTTPClient()
            let before = try await Self.archivedIDs(client, mock.baseURL)
            #expect(!before.isEmpty)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-load-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let scenarios = CLI.root.appendingPathComponent("specs/scenarios")
            let run = try await CLI.run([
                "run", scenarios.appendingPathComponent("unarchive.yaml").path, scenarios.appendingPathComponent("auth.yaml").path,
                "--master", mock.baseURL, "--spec", "builtin", "--repeat", "30", "--jobs", "16", "--out", dir, "--report", "junit,json",
            ])
            #expect(run.status == 0 || run.status == 1, "no crash and no transport failure: \(run.status) \(run.stderr)")
            let report = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/report.json"))))
            guard case .array(let results)? = report["scenarios"] else {
                Issue.record("no scenarios in the report")
                return
            }
            #expect(results.count == 60, "every repeat is reported")
            let steps = results.map { r -> Int in
                if case .array(let s)? = r["steps"] { return s.count }
                return 0
            }
            #expect(report["summary"]?["steps"]?.intValue == steps.reduce(0, +), "the summary counts every step reported")
            // Each scenario reports every step it has, run, failed or skipped (both have 6 with finally): none dropped.
            let expected = ["unarchive-experiment": 6, "auth": 6]
            for (r, n) in zip(results, steps) {
                #expect(expected[r["name"]?.stringValue ?? ""] == n, "\(r["name"] ?? .null): \(n) steps")
            }
            #expect(results.filter { $0["name"]?.stringValue == "auth" }.count == 30)
            // Where the experiment was unarchived, finally archived it again (retrying through the faults).
            var unarchived = 0
            for r in results where r["name"]?.stringValue == "unarchive-experiment" {
                guard case .array(let s)? = r["steps"] else { continue }
                let unarchive = s.first { $0["name"]?.stringValue == "unarchive it" }
                let finally = s.first { $0["finally"]?.boolValue == true }
                if unarchive?["outcome"]?.stringValue == "passed" {
                    unarchived += 1
                    #expect(finally?["outcome"]?.stringValue == "passed", "\(String(describing: finally))")
                }
            }
            #expect(unarchived > 0)
            let summary = run.stdout.split(separator: "\n").last { $0.contains("scenarios passed") }.map(String.init) ?? ""
            #expect(summary.contains("of 60 scenarios passed"), "\(summary)")
            #expect(try await Self.archivedIDs(client, mock.baseURL) == before, "the cluster ends with the archived set it started with")
        }
    }
}
