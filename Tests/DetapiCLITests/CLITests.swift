import Foundation
import JSON
import MockCluster
import MockClusterTesting
import OpenAPI
import Testing

@Suite("detapi executable: output and exit codes")
struct CLITests {
    static let fullSpec = CLI.root.deletingLastPathComponent().appendingPathComponent("shared/specs/determined-0.38.1.swagger.json").path
    static var hasFullSpec: Bool { FileManager.default.fileExists(atPath: fullSpec) }

    @Test("call pretty-prints JSON; --curl hides the token; a refused connection exits 3 naming the URL")
    func call() async throws {
        try await withMockCluster { mock in try await checkCall(mock) }
    }

    @Test(
        "call by operation: parameters typed by the spec, the body on stdout, the verdict on stderr; a drifting master exits 1 naming the pointer"
    )
    func callByOperation() async throws {
        let token = try await withMockCluster { mock in
            let login = try await CLI.run(["call", "Login", "--master", mock.baseURL, "-d", #"{"username":"determined","password":""}"#])
            #expect(login.status == 0, "\(login.stderr)")
            let token = try #require(login.stdout.split(separator: "\"").drop { $0 != "token" }.dropFirst(2).first.map(String.init))
            let env = ["DET_MASTER": mock.baseURL, "DET_TOKEN": token]
            let listed = try await CLI.run(["call", "getexperiments", "archived=true", "limit=1"], environment: env)
            #expect(listed.status == 0, "\(listed.stderr)")
            let body = try JSONValue(parsing: Array(listed.stdout.utf8))
            let experiments = body["experiments"]?.arrayValue ?? []
            #expect(experiments.count == 1 && experiments.allSatisfy { $0["archived"] == true }, "\(listed.stdout.prefix(300))")
            #expect(listed.stderr.hasPrefix("✓ valid: GetExperiments 200"), "\(listed.stderr)")
            #expect(!listed.stderr.contains(token))
            let typo = try await CLI.run(["call", "GetExperimnts"], environment: env)
            #expect(typo.status == 2 && typo.stderr.contains("did you mean 'GetExperiments'"))
            let missing = try await CLI.run(["call", "GetExperiment"], environment: env)
            #expect(missing.status == 2 && missing.stderr.contains("needs the path parameter 'experimentId'"), "\(missing.stderr)")
            let unknown = try await CLI.run(["call", "GetExperiments", "limt=1"], environment: env)
            #expect(unknown.status == 2 && unknown.stderr.contains("did you mean 'limit'?"), "\(unknown.stderr)")
            let typed = try await CLI.run(["call", "GetExperiments", "limit=one"], environment: env)
            #expect(typed.status == 2 && typed.stderr.contains("limit is an integer"), "\(typed.stderr)")
            return token
        }
        #expect(token.count > 20)
        try await withMockCluster({ $0.drift = true }) { mock in
            let env = ["DET_MASTER": mock.baseURL, "DET_USER": "determined"]
            let login = try await CLI.run(
                ["call", "Login", "-d", #"{"username":"determined","password":""}"#, "--no-validate"], environment: env)
            let token = try #require(login.stdout.split(separator: "\"").drop { $0 != "token" }.dropFirst(2).first.map(String.init))
            let drifted = try await CLI.run(["call", "GetExperiments", "limit=1"], environment: env.merging(["DET_TOKEN": token]) { $1 })
            #expect(drifted.status == 1, "\(drifted.stderr)")
            #expect(drifted.stderr.contains("schema: /experiments/0"), "\(drifted.stderr)")
            #expect(drifted.stdout.contains("\"experiments\""), "the body is still printed")
            let unchecked = try await CLI.run(
                ["call", "GetExperiments", "limit=1", "--no-validate"], environment: env.merging(["DET_TOKEN": token]) { $1 })
            #expect(unchecked.status == 0 && unchecked.stderr.isEmpty, "\(unchecked.stderr)")
        }
    }

    @Test("durations and timeouts: inf, nan, empty and inverted values exit 2 with one line and no trap")
    func badDurations() async throws {
        let cases: [[String]] = [
            ["call", "GET", "http://127.0.0.1:1/", "--timeout", "inf"],
            ["call", "GET", "http://127.0.0.1:1/", "--connect-timeout", "nan"],
            ["call", "GET", "http://127.0.0.1:1/", "--timeout", "-1"],
            ["call", "GET", "http://127.0.0.1:1/", "--timeout", "100000"],
            ["mock", "--latency", ""],
            ["mock", "--latency", "5s-1s"],
            ["mock", "--token-ttl", "inf"],
            ["mock", "--fail-rate", "nan"],
        ]
        for arguments in cases {
            let result = try await CLI.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.status) \(result.stderr)")
            #expect(!result.stderr.contains("Swift runtime failure") && !result.stderr.contains("Stack dump"), "\(arguments)")
            #expect(result.stderr.contains("--"), "names the option: \(result.stderr)")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-inf-\(UUID().uuidString).yaml").path
        try """
        name: inf
        steps:
          - name: poll
            operation: GetMaster
            retry: {until: {json: $.version, exists: true}, timeout: inf}
        """.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let scenario = try await CLI.run(["run", file, "--mock"])
        #expect(scenario.status == 2 && scenario.stderr.contains("\(file):5:"), "\(scenario.stderr)")
        #expect(scenario.stderr.contains("'timeout'"), "\(scenario.stderr)")
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
        #expect(listed.stderr.contains("< X-Detapi-Mock: modelled"), "the mock says which answers it models")
        #expect(listed.stderr.contains("\"Authorization: Bearer $DET_TOKEN\""))
        #expect(!listed.stderr.contains(String(token)), "the token never reaches the terminal")
        let failing = try await CLI.run(
            ["call", "GET", "/api/v1/experiments", "--master", mock.baseURL, "-H", "Authorization: Bearer not-a-token", "--fail"])
        #expect(failing.status == 1 && failing.stderr.contains("status 401"), "\(failing.stderr)")
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
        #expect(parallel.stdout.contains("21 of 21 scenarios passed"))
        #expect(parallel.stderr.contains("7 scenarios × 3 runs"))
        let quiet = try await CLI.run(["run", "--mock", "--quiet", "--report", "none"])
        #expect(quiet.status == 0 && quiet.stdout.contains("7 of 7 scenarios passed"))
        #expect(!quiet.stdout.contains("✓"), "--quiet prints no passing step")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-typo-\(UUID().uuidString).yaml").path
        try "name: typo\nsteps:\n  - name: list\n    operation: GetExperimnts\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let typo = try await CLI.run(["run", file, "--mock"])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("\(file):3:5: step 'list': no operation 'GetExperimnts'"))
        #expect(typo.stderr.contains("did you mean 'GetExperiments'?"))
        let notAFolder = try await CLI.run(["run", "--mock", "--out", "\(file)/reports"])
        #expect(notAFolder.status == 2 && notAFolder.stderr.contains("\(file) is a file, not a folder"))
        #expect(notAFolder.stdout.isEmpty, "the check comes before any scenario runs")
    }

    @Test(
        "run, call, explore and conform with a distinctive password and token: neither appears in any byte written (console, every report, baseline, saved scenarios)"
    )
    func secretsNeverWritten() async throws {
        let password = "Zebra-Quartz-9137"
        try await withMockCluster({ $0.password = password }) { mock in try await checkSecrets(mock, password: password) }
    }

    private func checkSecrets(_ mock: MockServer, password: String) async throws {
        let login = try await CLI.run(
            [
                "call", "POST", "/api/v1/auth/login", "--master", mock.baseURL, "--raw", "-d",
                #"{"username":"determined","password":"\#(password)"}"#,
            ])
        let token = try #require(login.stdout.split(separator: "\"").drop { $0 != "token" }.dropFirst(2).first.map(String.init))
        #expect(token.count > 20)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-secrets-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let flagship = CLI.root.appendingPathComponent("specs/scenarios/unarchive.yaml").path
        let run = try await CLI.run(
            ["run", flagship, "--master", mock.baseURL, "--out", dir], environment: ["DET_PASS": password, "DET_TOKEN": token])
        let dryRun = try await CLI.run(["run", flagship, "--dry-run"], environment: ["DET_PASS": password, "DET_TOKEN": token])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        // conform with every report, a baseline and saved failing cases; call with its repro and verbose exchange.
        let env = ["DET_PASS": password, "DET_TOKEN": token, "XDG_CACHE_HOME": dir + "/cache"]
        let conform = try await CLI.run(
            [
                "conform", "--master", mock.baseURL, "--strict", "--op", "GetUsers", "--op", "GetMe", "--out", dir + "/conform",
                "--save-failures", dir + "/failing", "--baseline", dir + "/baseline.json", "--update-baseline",
            ], environment: env)
        #expect(conform.status == 0, "\(conform.stdout)\(conform.stderr)")
        let call = try await CLI.run(
            ["call", "GetMe", "--curl", "-v"], environment: env.merging(["DET_MASTER": mock.baseURL]) { a, _ in a })
        // explore in script mode: log in, send, show the repro and the variables, save the request as a scenario.
        let explore = try await CLI.run(
            ["explore", "--master", mock.baseURL], environment: env.merging(["XDG_STATE_HOME": dir + "/state"]) { _, b in b },
            stdin: "login determined\ntry GetMe\nlast curl\nlast headers\nvars\nenv\nsave \(dir)/explored.yaml\n")
        #expect(explore.status == 0, "\(explore.stdout)\(explore.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/explored.yaml"), "\(explore.stdout)\(explore.stderr)")
        var written = run.stdout + run.stderr + dryRun.stdout + dryRun.stderr + conform.stdout + conform.stderr + call.stdout + call.stderr
        written += explore.stdout + explore.stderr
        let html = (try? String(contentsOfFile: dir + "/report.html", encoding: .utf8)) ?? ""
        #expect(html.contains("X-Detapi-Mock: modelled"), "the HTML report shows the mock's header with each answer")
        // Files that can hold a credential (reports, the baseline) are the user's alone.
        for report in [
            "junit.xml", "report.html", "report.json", "conform/junit.xml", "conform/report.html", "conform/report.json", "baseline.json",
        ] {
            let mode = (try FileManager.default.attributesOfItem(atPath: "\(dir)/\(report)")[.posixPermissions] as? Int) ?? 0
            #expect(mode == 0o600, "\(report) is \(String(mode, radix: 8))")
        }
        #expect(call.stderr.contains("Bearer"), "the verbose exchange shows the scheme, masked")
        let files = FileManager.default.enumerator(atPath: dir)?.compactMap { $0 as? String } ?? []
        for file in files {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: "\(dir)/\(file)", isDirectory: &isFolder), !isFolder.boolValue else { continue }
            written += String(decoding: FileManager.default.contents(atPath: "\(dir)/\(file)") ?? Data(), as: UTF8.self)
        }
        #expect(files.contains { $0.hasPrefix("failing/") } && files.contains("baseline.json") && files.contains("conform/report.html"))
        #expect(files.contains("explored.yaml"))
        #expect(written.contains("<testsuite ") && written.contains("\"tool\": \"detapi\"") && written.contains("<!DOCTYPE html>"))
        #expect(!written.contains(password), "the password is never written")
        #expect(!written.contains(token), "the given token is never written")
        #expect(!written.contains("v2.public."), "no token the scenario captured is written either")
    }

    static let tlsTools = ["/usr/bin/openssl", "/usr/bin/python3"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(
        "TLS as a staging cluster has it: --cacert trusts a private CA, --cert/--key answer a client-certificate demand, -k skips the check; each failure says what to pass",
        .enabled(if: CLITests.tlsTools, "openssl or python3 missing (scripts/install-deps.sh installs them); skipped"))
    func tls() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cert = "\(dir)/cert.pem"
        let key = "\(dir)/key.pem"
        let made = try await CLI.runTool(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            ])
        #expect(made == 0)
        // The server trusts its own certificate as the client CA, so the same pair serves as the client's.
        let server = try CLI.startServer(
            "/usr/bin/python3", [CLI.root.appendingPathComponent("Tests/DetapiCLITests/Fixtures/tls_server.py").path, cert, key, cert])
        defer { server.terminate() }
        let url = "https://127.0.0.1:\(server.port)/tls-check"
        let trusted = try await CLI.run(["call", "GET", url, "--cacert", cert, "--cert", cert, "--key", key])
        #expect(trusted.status == 0 && trusted.stdout.contains("\"tls\": true"), "\(trusted.stderr)")
        let insecure = try await CLI.run(["call", "GET", url, "-k", "--cert", cert, "--key", key])
        #expect(insecure.status == 0)
        let untrusted = try await CLI.run(["call", "GET", url, "--cert", cert, "--key", key])
        #expect(untrusted.status == 3 && untrusted.stderr.contains("pass --cacert FILE"), "\(untrusted.stderr)")
        let noClientCertificate = try await CLI.run(["call", "GET", url, "--cacert", cert])
        #expect(noClientCertificate.status == 3 && noClientCertificate.stderr.contains("pass --cert FILE and --key FILE"))
        // The spec fetch is a request like the others: the same private CA and client certificate.
        let base = "https://127.0.0.1:\(server.port)"
        let fetched = try await CLI.run([
            "call", "TLSCheck", "--spec", base + "/spec.json", "--master", base, "--cacert", cert, "--cert", cert, "--key", key,
        ])
        #expect(fetched.status == 0 && fetched.stdout.contains("\"tls\": true"), "\(fetched.stderr)")
        let fetchUntrusted = try await CLI.run([
            "call", "TLSCheck", "--spec", base + "/spec.json", "--master", base, "--cert", cert, "--key", key,
        ])
        #expect(fetchUntrusted.status != 0 && fetchUntrusted.stderr.contains("--cacert"), "\(fetchUntrusted.stderr)")
    }

    @Test("--shard splits the built-in scenarios across jobs, and report merge joins the shards into the same reports")
    func shardAndMerge() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-shards-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var names: [String] = []
        for i in 1...3 {
            let shard = try await CLI.run(["run", "--mock", "--shard", "\(i)/3", "--report", "json", "--out", "\(dir)/shard-\(i)"])
            #expect(shard.status == 0, "\(shard.stderr)")
            names += shard.stdout.split(separator: "\n").filter { $0.contains("(specs/scenarios/") }.map(String.init)
        }
        #expect(names.count == 7 && Set(names).count == 7, "every built-in scenario ran in exactly one shard: \(names)")
        let merge = try await CLI.run(
            [
                "report", "merge", "\(dir)/shard-1/report.json", "\(dir)/shard-2/report.json", "\(dir)/shard-3/report.json", "--out",
                "\(dir)/all",
            ])
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(merge.stdout.contains("7 of 7 scenarios passed"))
        let junit = try String(contentsOfFile: "\(dir)/all/junit.xml", encoding: .utf8)
        #expect(junit.components(separatedBy: "<testsuite ").count - 1 == 7)
        #expect(FileManager.default.fileExists(atPath: "\(dir)/all/report.html"))

        let empty = try await CLI.run(["run", "--mock", "--shard", "8/8", "--report", "json", "--out", "\(dir)/empty"])
        #expect(empty.status == 0 && empty.stderr.contains("shard 8/8 holds none of the 7 scenarios"))
        let bad = try await CLI.run(["run", "--mock", "--shard", "4/3"])
        #expect(bad.status == 2 && bad.stderr.contains("write i/n with 1 ≤ i ≤ n"))

        try
            #"{"tool":"detapi","format":1,"master":"m","spec":"s","shard":null,"scenarios":[{"name":"x","file":"f","skippedReason":null,"steps":[{"name":1}]}]}"#
            .write(toFile: "\(dir)/broken.json", atomically: true, encoding: .utf8)
        let broken = try await CLI.run(["report", "merge", "\(dir)/broken.json", "--out", "\(dir)/never"])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("\(dir)/broken.json: /scenarios/0/steps/0: missing field 'outcome'"))
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/never"), "nothing written after a bad input")
        let missing = try await CLI.run(["report", "merge", "\(dir)/nope.json"])
        #expect(missing.status == 2 && missing.stderr.contains("nope.json: no such file"))
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

@Suite("detapi conform")
struct ConformCLITests {
    static let xsd = CLI.root.deletingLastPathComponent().appendingPathComponent("shared/testdata/junit/junit-10.xsd").path

    static func folder(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("detapi-\(name)-\(UUID().uuidString)").path
    }

    @Test("conform --mock covers every GET operation and exits 0 with the known master bugs apart; --strict fails on them; JUnit validates")
    func mock() async throws {
        let dir = Self.folder("conform")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try await CLI.run(["conform", "--mock", "--out", dir])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("coverage: 32 of 33 GET/HEAD operations reached with a documented 2xx"), "\(result.stdout)")
        #expect(
            result.stdout.contains(
                "\n  GetUsers  not_a_server_error (limit=-1): status 500: the server failed"))
        let junit = try String(contentsOfFile: dir + "/junit.xml", encoding: .utf8)
        #expect(junit.contains("classname=\"GetExperiment\""))
        #expect(junit.contains("<system-out>known master bug: not_a_server_error (limit=-1)"))
        if FileManager.default.fileExists(atPath: Self.xsd), FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint") {
            #expect(try await CLI.runTool("/usr/bin/xmllint", ["--noout", "--schema", Self.xsd, dir + "/junit.xml"]) == 0)
        }
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        #expect(html.contains("<table class=\"matrix\" id=\"coverage\">") && html.contains("title=\"not_a_server_error: known\""))
        let json = try JSONValue(parsing: Array(try String(contentsOfFile: dir + "/report.json", encoding: .utf8).utf8))
        #expect(json["conform"]?["reached"]?.intValue == 32)
        let strict = try await CLI.run(["conform", "--mock", "--strict", "--report", "none"])
        #expect(strict.status == 1, "\(strict.stdout)")
        #expect(strict.stdout.contains("not_a_server_error (limit=-1"), "every failing value is listed after the first")
        let none = try await CLI.run(["conform", "--mock", "--op", "NoSuchOp", "--report", "none"])
        #expect(none.status == 2 && none.stderr.contains("no GET, HEAD or --safe-op operation matches"))
        let typo = try await CLI.run(["conform", "--mock", "--checks", "ignored_aut", "--report", "none"])
        #expect(typo.status == 2 && typo.stderr.contains("did you mean 'ignored_auth'"), "\(typo.stderr)")
    }

    @Test("--update-baseline writes the findings; a second run with --baseline exits 0 and shows them apart")
    func baseline() async throws {
        let dir = Self.folder("baseline")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let file = dir + "/baseline.json"
        let missing = try await CLI.run(["conform", "--mock", "--strict", "--baseline", file, "--report", "none"])
        #expect(missing.status == 2 && missing.stderr.contains("\(file): no such baseline file"), "\(missing.stderr)")
        let update = try await CLI.run(["conform", "--mock", "--strict", "--baseline", file, "--update-baseline", "--report", "none"])
        #expect(update.status == 0 && update.stderr.contains("wrote 14 accepted findings into \(file)"), "\(update.stderr)")
        let second = try await CLI.run(["conform", "--mock", "--strict", "--baseline", file, "--report", "none"])
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.contains("baselined findings (accepted in --baseline):\n"))
        #expect(second.stdout.contains("\n  GetUsers  not_a_server_error (limit=-1"), "\(second.stdout.suffix(1500))")
        try "{\"findings\": [{\"operation\": \"GetUsers\", \"check\": \"not_a_server_eror\"}]}".write(
            toFile: file, atomically: true, encoding: .utf8)
        let bad = try await CLI.run(["conform", "--mock", "--baseline", file, "--report", "none"])
        #expect(bad.status == 2 && bad.stderr.contains("\(file): /findings/0/check: unknown check"), "\(bad.stderr)")
    }

    @Test("--save-failures writes scenarios that detapi run replays, failing the same way; files are never overwritten")
    func saveFailures() async throws {
        let dir = Self.folder("saved")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for _ in 0..<2 {
            let result = try await CLI.run([
                "conform", "--mock", "--strict", "--op", "GetUsers", "--save-failures", dir, "--report", "none",
            ])
            #expect(result.status == 1 && result.stderr.contains("wrote 1 failing case into \(dir)"), "\(result.stderr)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(files == ["GetUsers-not_a_server_error-2.yaml", "GetUsers-not_a_server_error.yaml"])
        let replay = try await CLI.run(["run", "--mock", dir + "/GetUsers-not_a_server_error.yaml", "--report", "none"])
        #expect(replay.status == 1, "\(replay.stdout)\(replay.stderr)")
        #expect(replay.stdout.contains("status 500"), "\(replay.stdout)")
    }

    @Test(
        "full spec: drift fails response_schema_conformance with pointers; the error envelope passes only with the built-in overlay",
        .enabled(if: CLITests.hasFullSpec, "../shared spec not found; skipped"))
    func fullSpec() async throws {
        let model = try SpecLoader.load(path: CLITests.fullSpec)
        try await withMockCluster({ $0.spec = model }) { mock in
            let clean = try await CLI.run(["conform", "--master", mock.baseURL, "--spec", CLITests.fullSpec, "--report", "none"])
            #expect(clean.status == 0, "\(clean.stdout.suffix(3000))")
            #expect(!clean.stdout.contains("      response_schema_conformance"), "no schema finding")
            #expect(
                clean.stdout.contains("coverage: 113 of 114 operations reached with a documented 2xx (of 266 in the spec)"),
                "the GETs and Determined's search POSTs; as determined, GetAccessTokens only gets 403")
            let raw = try await CLI.run([
                "conform", "--master", mock.baseURL, "--spec", CLITests.fullSpec, "--no-builtin-overlay", "--op", "GetUsers", "--report",
                "none",
            ])
            #expect(raw.status == 1)
            #expect(
                raw.stdout.contains("response_schema_conformance (without credentials; also an invalid token;")
                    && raw.stdout.contains("more): /error: expected string"), "\(raw.stdout)")
        }
        try await withMockCluster({
            $0.spec = model; $0.drift = true
        }) { mock in
            let drift = try await CLI.run(["conform", "--master", mock.baseURL, "--spec", CLITests.fullSpec, "--report", "none"])
            #expect(drift.status == 1)
            let failed = drift.stdout.split(separator: "\n").filter { $0.hasPrefix("  ✗ ") }
            #expect(failed.count > 20, "\(drift.stdout.suffix(2000))")
            #expect(drift.stdout.contains("      response_schema_conformance: /"), "\(drift.stdout.suffix(2000))")
        }
    }
}

@Suite("the spec a master serves")
struct ClusterSpecCLITests {
    @Test(
        "spec ops --master lists the master's 266 operations and says where the spec came from; a repeat run uses the cache",
        .enabled(if: CLITests.hasFullSpec, "../shared spec not found; skipped"))
    func fromMaster() async throws {
        let model = try SpecLoader.load(path: CLITests.fullSpec)
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-cache-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: cache) }
        try await withMockCluster({ $0.spec = model }) { mock in
            let first = try await CLI.run(["spec", "ops", "--master", mock.baseURL], environment: ["XDG_CACHE_HOME": cache])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("266 operations in 22 tags\n"))
            #expect(
                first.stdout.contains("spec: \(mock.baseURL)/api/v1/api.swagger.json (served by the master)\n"),
                "\(first.stdout.suffix(200))")
            let second = try await CLI.run(["spec", "info"], environment: ["XDG_CACHE_HOME": cache, "DET_MASTER": mock.baseURL])
            #expect(second.stdout.contains("(served by the master; cached copy, not modified)"), "\(second.stdout)")
            let builtin = try await CLI.run(["spec", "info", "--master", mock.baseURL, "--spec", "builtin"])
            #expect(builtin.stdout.contains("operations:  83"), "\(builtin.stdout)")
        }
    }

    @Test("a master that serves no spec: the built-in one, and one line saying so")
    func fallback() async throws {
        let result = try await CLI.run(["spec", "info", "--master", "http://127.0.0.1:9"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("detapi: no spec from the master ("), "\(result.stderr)")
        #expect(result.stderr.contains("using the built-in spec"))
        #expect(result.stdout.contains("(built-in: the master serves no spec)"))
    }
}

@Suite("detapi against the mock's trials, logs and edits")
struct TrialCLITests {
    @Test(
        "call describes experiment 2's trials and workloads, lists checkpoints, reads logs, edits and reads back, lists models and jobs: each valid"
    )
    func calls() async throws {
        try await withMockCluster { mock in
            let login = try await CLI.run(["call", "Login", "-d", #"{"username":"admin","password":""}"#, "--master", mock.baseURL])
            let token = try #require(try JSONValue(parsing: Array(login.stdout.utf8))["token"]?.stringValue)
            let env = ["DET_MASTER": mock.baseURL, "DET_TOKEN": token]
            for words in [
                ["GetExperimentTrials", "experimentId=2"], ["GetTrialWorkloads", "trialId=200"], ["GetExperimentCheckpoints", "id=2"],
                ["TrialLogs", "trialId=200"], ["PatchExperiment", "experiment.id=2", "-d", #"{"description":"set by a test"}"#],
                ["PutExperimentLabel", "experimentId=2", "label=from-test"], ["GetModels"], ["GetJobsV2"], ["GetResourcePools"],
                ["GetTasks"],
            ] {
                let result = try await CLI.run(["call"] + words, environment: env)
                #expect(result.status == 0 && result.stderr.contains("✓ valid: \(words[0]) 200"), "\(words): \(result.stderr)")
            }
            let logs = try await CLI.run(["call", "TrialLogs", "trialId=200"], environment: env)
            let lines = logs.stdout.split(separator: "\n")
            #expect(
                lines.count == 12 && lines.allSatisfy { $0.hasPrefix(#"{"result":{"#) },
                "printed as the stream's lines: \(logs.stdout.prefix(300))")
            let read = try await CLI.run(["call", "GetExperiment", "experimentId=2"], environment: env)
            #expect(
                read.stdout.contains(#""description": "set by a test""#) && read.stdout.contains(#""from-test""#),
                "\(read.stdout.prefix(600))")
        }
    }

    static let logsScenario = """
        name: trial logs
        steps:
          - name: read the first trial's logs
            operation: TrialLogs
            path: {trialId: 200}
            query: {follow: false}
            expect: {status: 200}
        """

    @Test("run validates every line of a TrialLogs stream; a stream that ends in an error chunk fails the step with its message")
    func stream() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-stream-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.logsScenario.write(toFile: dir + "/logs.yaml", atomically: true, encoding: .utf8)
        try await withMockCluster { mock in
            let ok = try await CLI.run(["run", dir + "/logs.yaml", "--master", mock.baseURL, "--report", "json", "--out", dir])
            #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        }
        try await withMockCluster({ $0.streamErrorAfter = 2 }) { mock in
            let broken = try await CLI.run(["run", dir + "/logs.yaml", "--master", mock.baseURL, "--report", "none"])
            #expect(broken.status == 1)
            #expect(broken.stdout.contains("/2/error: the stream ended in an error (HTTP 500): log stream interrupted"), "\(broken.stdout)")
        }
    }
}
