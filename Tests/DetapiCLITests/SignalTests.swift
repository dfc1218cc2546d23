import Foundation
import HTTP
import JSON
import MockCluster
import MockClusterTesting
import Testing

@Suite("detapi run cancelled by CI (SIGTERM)")
struct SignalTests {
    /// Experiment 2's `archived`, as the admin sees it.
    static func archived(_ client: HTTPClient, _ base: String, _ token: String) async throws -> Bool? {
        let answer = try await client.send(HTTPRequest(url: base + "/api/v1/experiments/2", headers: ["Authorization": "Bearer \(token)"]))
        return try JSONValue(parsing: answer.body)["experiment"]?["archived"]?.boolValue
    }

    @Test("SIGTERM after the flagship unarchived its experiment: the rest is skipped, finally archives it again")
    func sigterm() async throws {
        if let staleness = CLI.staleness { throw CLI.StaleBinary(description: staleness) }
        try await withMockCluster({ $0.latency = 0.15...0.15 }) { mock in
            let client = HTTPClient()
            let login = try await client.send(
                HTTPRequest(
                    method: .post, url: mock.baseURL + "/api/v1/auth/login", body: Array(#"{"username":"admin","password":""}"#.utf8)))
            let token = try #require(try JSONValue(parsing: login.body)["token"]?.stringValue)
            #expect(try await Self.archived(client, mock.baseURL, token) == true)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.binaryPath)
            process.arguments = [
                "run", CLI.root.appendingPathComponent("specs/scenarios/unarchive.yaml").path, "--master", mock.baseURL, "--report", "none",
            ]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = out
            try process.run()
            // Wait for the state change the scenario makes (bounded: 400 polls), then cancel as CI would.
            var unarchived = false
            for _ in 0..<400 where !unarchived {
                unarchived = try await Self.archived(client, mock.baseURL, token) == false
                if !unarchived { try await Task.sleep(for: .milliseconds(25)) }
            }
            #expect(unarchived, "the scenario never unarchived the experiment")
            kill(process.processIdentifier, SIGTERM)
            let output = try await withCheckedThrowingContinuation { (c: CheckedContinuation<String, any Error>) in
                Thread.detachNewThread {
                    let data = out.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    c.resume(returning: String(decoding: data, as: UTF8.self))
                }
            }
            #expect(output.contains("SIGTERM: skipping the remaining steps and running finally"), "\(output)")
            #expect(output.contains("✓ finally: archive it again"), "\(output)")
            #expect(try await Self.archived(client, mock.baseURL, token) == true, "the cluster is left as found")
        }
    }
}
