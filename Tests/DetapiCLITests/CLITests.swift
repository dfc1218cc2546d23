import Foundation
import MockCluster
import Testing

@Suite("detapi executable: output and exit codes", .enabled(if: CLI.binary != nil, "the detapi binary is not built; run swift build first"))
struct CLITests {
    static let fullSpec = CLI.root.deletingLastPathComponent().appendingPathComponent("shared/specs/determined-0.38.1.swagger.json").path
    static var hasFullSpec: Bool { FileManager.default.fileExists(atPath: fullSpec) }

    @Test("call pretty-prints JSON; --curl hides the token; a refused connection exits 3 naming the URL")
    func call() async throws {
        var c = MockConfiguration()
        c.port = 0
        c.quiet = true
        let mock = try await MockServer.start(c)
        do {
            try await checkCall(mock)
        } catch {
            await mock.stop()
            throw error
        }
        await mock.stop()
    }

    private func checkCall(_ mock: MockServer) async throws {
        let login = try await CLI.run([
            "call", "POST", "/api/v1/auth/login", "--master", mock.baseURL, "-d", #"{"username":"determined","password":""}"#,
        ])
        #expect(login.status == 0)
        #expect(login.stdout.hasPrefix("{\n  \"token\": \"v2.public."))
        let parts = login.stdout.split(separator: "\"")
        try #require(parts.count > 3, "login printed: \(login.stdout) \(login.stderr)")
        let token = parts[3]
        let listed = try await CLI.run(
            ["call", "GET", "/api/v1/experiments?limit=1", "-v", "--curl"],
            environment: ["DET_MASTER": mock.baseURL, "DET_TOKEN": String(token)])
        #expect(listed.status == 0)
        #expect(listed.stdout.contains("\"pagination\": {"))
        #expect(listed.stderr.contains("< HTTP/1.1 200"))
        #expect(listed.stderr.contains("\"Authorization: Bearer $DET_TOKEN\""))
        #expect(!listed.stderr.contains(String(token)), "the token never reaches the terminal")
        let failing = try await CLI.run(["call", "GET", "/api/v1/experiments", "--master", mock.baseURL, "--fail"])
        #expect(failing.status == 1 && failing.stdout.contains("token missing"))
        let refused = try await CLI.run(["call", "GET", "http://127.0.0.1:1/x.json"])
        #expect(refused.status == 3)
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(refused.stderr.contains("http://127.0.0.1:1/x.json"))
        let usage = try await CLI.run(["call", "GET", "/x"])
        #expect(usage.status == 2 && usage.stderr.contains("DET_MASTER"))
        let bad = try await CLI.run(["call"])
        #expect(bad.status == 2, "ArgumentParser's usage errors exit 2, not 64")
    }

    @Test("spec ops and show on the full Determined spec", .enabled(if: CLITests.hasFullSpec, "../shared spec not found; skipped"))
    func spec() async throws {
        let ops = try await CLI.run(["spec", "ops", "--spec", Self.fullSpec])
        #expect(ops.status == 0)
        #expect(ops.stdout.hasSuffix("266 operations in 22 tags\n"))
        let show = try await CLI.run(["spec", "show", "GetExperiments", "--spec", Self.fullSpec])
        #expect(show.stdout.contains("Parameters (19)"))
        let typo = try await CLI.run(["spec", "show", "GetExperimnts", "--spec", Self.fullSpec])
        #expect(typo.status == 2 && typo.stderr.contains("did you mean 'GetExperiments'"))
        let lint = try await CLI.run(["spec", "lint", "--spec", Self.fullSpec])
        #expect(lint.status == 0 && lint.stdout.contains("#/externalDocs/url: warning"))
    }

    @Test("run --mock: the built-in scenarios pass, also in parallel and repeated; a typo exits 2 with file:line")
    func run() async throws {
        let parallel = try await CLI.run(["run", "--mock", "--jobs", "4", "--repeat", "3", "--report", "none"])
        #expect(parallel.status == 0, "\(parallel.stdout)")
        #expect(parallel.stdout.contains("12 of 12 scenarios passed"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-typo-\(UUID().uuidString).yaml").path
        try "name: typo\nsteps:\n  - name: list\n    operation: GetExperimnts\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let typo = try await CLI.run(["run", file, "--mock"])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("\(file):3:5: step 'list': no operation 'GetExperimnts'"))
        #expect(typo.stderr.contains("did you mean 'GetExperiments'?"))
    }

    @Test("validate: 0 for a valid body, 1 with the pointer for a broken one, 2 for unreadable input")
    func validate() async throws {
        let valid =
            #"{"experiments":[{"id":1,"name":"x","startTime":"2026-01-01T00:00:00Z","state":"STATE_COMPLETED","archived":false,"numTrials":1,"username":"u","jobId":"j","searcherType":"single","projectId":1,"originalConfig":"","projectOwnerId":1,"config":{}}],"pagination":{"offset":0,"limit":1,"startIndex":0,"endIndex":1,"total":1}}"#
        let ok = try await CLI.run(["validate", "--op", "GetExperiments", "-"], stdin: valid)
        #expect(ok.status == 0 && ok.stdout.hasPrefix("valid: GetExperiments 200"))
        let broken = valid.replacingOccurrences(of: #""id":1,"name""#, with: #""id":"1","name""#)
        let bad = try await CLI.run(["validate", "--op", "GetExperiments", "-"], stdin: broken)
        #expect(bad.status == 1)
        #expect(bad.stdout.hasPrefix(#"/experiments/0/id: expected integer, found string "1""#))
        let garbage = try await CLI.run(["validate", "--op", "GetExperiments", "-"], stdin: "{\"a\":")
        #expect(garbage.status == 2 && garbage.stderr.contains("<stdin>:1:6"))
    }
}
