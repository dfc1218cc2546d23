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

    /// Waits (bounded: 400 polls 25 ms apart) until experiment 2 is unarchived; false if it never was.
    static func waitUnarchived(_ client: HTTPClient, _ base: String, _ token: String) async throws -> Bool {
        for _ in 0..<400 {
            if try await archived(client, base, token) == false { return true }
            try await Task.sleep(for: .milliseconds(25))
        }
        return false
    }

    /// The admin's token on the mock.
    static func adminToken(_ client: HTTPClient, _ base: String) async throws -> String {
        let login = try await client.send(
            HTTPRequest(method: .post, url: base + "/api/v1/auth/login", body: Array(#"{"username":"admin","password":""}"#.utf8)))
        return try #require(try JSONValue(parsing: login.body)["token"]?.stringValue)
    }

    @Test("SIGTERM after the flagship unarchived its experiment: the rest is skipped, finally archives it again")
    func sigterm() async throws {
        if let staleness = CLI.staleness { throw CLI.StaleBinary(description: staleness) }
        try await withMockCluster({ $0.latency = 0.15...0.15 }) { mock in
            let client = HTTPClient()
            let token = try await Self.adminToken(client, mock.baseURL)
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
            #expect(try await Self.waitUnarchived(client, mock.baseURL, token), "the scenario never unarchived the experiment")
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

    /// Starts `detapi` with `arguments`; its stdout and stderr go to one pipe read by `Output`.
    static func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> (Process, Output) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binaryPath)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CACHE_HOME"] = CLI.cacheHome
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        return (process, Output(pipe.fileHandleForReading))
    }

    /// What a child process printed so far, read on its own thread, so a test can wait for a line.
    final class Output: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        private var ended = false

        init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                while true {
                    let chunk = handle.availableData
                    lock.withLock {
                        if chunk.isEmpty { ended = true } else { data.append(chunk) }
                    }
                    if chunk.isEmpty { return }
                }
            }
        }

        var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }

        /// Waits (bounded: 2,000 checks 10 ms apart) until the output holds `needle` or the process closed it.
        func wait(for needle: String) async throws -> Bool {
            for _ in 0..<2000 {
                let (now, done) = lock.withLock { (String(decoding: data, as: UTF8.self), ended) }
                if now.contains(needle) { return true }
                if done { return false }
                try await Task.sleep(for: .milliseconds(10))
            }
            return false
        }

        /// Waits for the process to exit and returns everything it printed with its exit status.
        func finish(_ process: Process) async -> (String, Int32) {
            await withCheckedContinuation { (c: CheckedContinuation<(String, Int32), Never>) in
                Thread.detachNewThread {
                    process.waitUntilExit()
                    c.resume(returning: (self.text, process.terminationStatus))
                }
            }
        }
    }

    @Test("SIGTERM during a poll: finally re-archives, the reports say interrupted, exit 143")
    func sigtermDuringPoll() async throws {
        if let staleness = CLI.staleness { throw CLI.StaleBinary(description: staleness) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-sigterm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // The flagship, with a poll that waits for a state the experiment never reaches, and a second scenario
        // that cannot start before the first ends (--jobs 1).
        let flagship = try String(contentsOf: CLI.root.appendingPathComponent("specs/scenarios/unarchive.yaml"), encoding: .utf8)
            .replacingOccurrences(
                of: "retry: {until: {json: $.experiment.archived, equals: false}, timeout: 10s, interval: 250ms}",
                with: "retry: {until: {json: $.experiment.state, equals: STATE_NEVER}, timeout: 120s, interval: 50ms}")
        #expect(flagship.contains("STATE_NEVER"))
        try flagship.write(to: dir.appendingPathComponent("a-poll.yaml"), atomically: true, encoding: .utf8)
        try "name: later\nsteps:\n  - operation: GetMaster\n    auth: none\n".write(
            to: dir.appendingPathComponent("b-later.yaml"), atomically: true, encoding: .utf8)
        try await withMockCluster { mock in
            let client = HTTPClient()
            let token = try await Self.adminToken(client, mock.baseURL)
            #expect(try await Self.archived(client, mock.baseURL, token) == true)
            let out = dir.appendingPathComponent("reports").path
            let (process, output) = try Self.start([
                "run", dir.path, "--master", mock.baseURL, "--jobs", "1", "--out", out, "--report", "junit,html,json",
            ])
            // The poll step has begun once its first request was answered with the experiment unarchived.
            #expect(try await Self.waitUnarchived(client, mock.baseURL, token), "the scenario never unarchived the experiment")
            kill(process.processIdentifier, SIGTERM)
            let (text, status) = await output.finish(process)
            #expect(status == 143, "\(text)")
            #expect(text.contains("interrupted while polling"), "\(text)")
            #expect(text.contains("✓ finally: archive it again"), "\(text)")
            #expect(
                text.contains("interrupted by SIGTERM: the remaining steps were skipped and finally steps ran; 1 scenario did not start"))
            #expect(try await Self.archived(client, mock.baseURL, token) == true, "the cluster is left as found")

            let junit = try String(contentsOfFile: out + "/junit.xml", encoding: .utf8)
            #expect(junit.contains(#"<property name="interrupted" value="interrupted by SIGTERM"#))
            #expect(junit.contains(#"<testsuite name="interrupted by SIGTERM""#))
            let xsd = CLI.root.deletingLastPathComponent().appendingPathComponent("shared/testdata/junit/junit-10.xsd").path
            if FileManager.default.fileExists(atPath: xsd), FileManager.default.fileExists(atPath: "/usr/bin/xmllint") {
                #expect(try await CLI.runTool("/usr/bin/xmllint", ["--noout", "--schema", xsd, out + "/junit.xml"]) == 0)
            }
            let json = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))))
            #expect(json["interrupted"]?["signal"]?.stringValue == "SIGTERM")
            #expect(json["interrupted"]?["notStarted"] == 1)
            let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
            #expect(html.contains(#"id="interrupted""#) && html.contains("interrupted by SIGTERM"))
        }
    }

    @Test("a second Ctrl-C exits at once with 130, without waiting for the request in flight")
    func secondSignalExitsAtOnce() async throws {
        if let staleness = CLI.staleness { throw CLI.StaleBinary(description: staleness) }
        // Every answer takes 8 s: the run can only end early by exiting.
        try await withMockCluster({ $0.latency = 8...8 }) { mock in
            let (process, output) = try Self.start([
                "run", CLI.root.appendingPathComponent("specs/scenarios/unarchive.yaml").path, "--master", mock.baseURL, "--report", "none",
                "--spec", "builtin",
            ])
            #expect(try await output.wait(for: "detapi run: 1 scenario"), "\(output.text)")
            kill(process.processIdentifier, SIGINT)
            #expect(try await output.wait(for: "Ctrl-C: skipping the remaining steps"), "\(output.text)")
            kill(process.processIdentifier, SIGINT)
            let (text, status) = await output.finish(process)
            #expect(status == 130, "\(text)")
            #expect(!text.contains("scenarios passed"), "the run did not wait for the login's answer: \(text)")
        }
    }

    @Test("SIGTERM during conform: the sweep stops, the reports say interrupted, exit 143")
    func conformInterrupted() async throws {
        if let staleness = CLI.staleness { throw CLI.StaleBinary(description: staleness) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-conform-term-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        // 50 ms an answer: the sweep of every GET operation takes far longer than the wait for its banner.
        try await withMockCluster({ $0.latency = 0.05...0.05 }) { mock in
            let out = dir.appendingPathComponent("reports").path
            let (process, output) = try Self.start([
                "conform", "--master", mock.baseURL, "--spec", "builtin", "--workers", "1", "--out", out, "--report", "junit,json",
            ])
            #expect(try await output.wait(for: "detapi conform: "), "\(output.text)")
            kill(process.processIdentifier, SIGTERM)
            let (text, status) = await output.finish(process)
            #expect(status == 143, "\(text)")
            #expect(text.contains("interrupted by SIGTERM"), "\(text)")
            let json = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))))
            #expect(json["interrupted"]?["signal"]?.stringValue == "SIGTERM")
            #expect(json["conform"]?["stoppedEarly"]?.stringValue == "interrupted", "\(json["conform"]?["stoppedEarly"] ?? .null)")
            let junit = try String(contentsOfFile: out + "/junit.xml", encoding: .utf8)
            #expect(junit.contains(#"<property name="interrupted""#))
        }
    }
}
