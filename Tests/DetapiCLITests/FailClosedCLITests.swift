import Foundation
import JSON
import MockCluster
import MockClusterTesting
import Testing

/// A green must mean "it conformed": every command, as a user runs it, fails where the server (or the input) is wrong.
@Suite("detapi fails closed")
struct FailClosedCLITests {
    static func folder(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("detapi-\(name)-\(UUID().uuidString)").path
    }

    @Test("call: a body that is not JSON or breaks the request schema is exit 2 unsent; a 404 is exit 1; DET_USER/DET_PASS log in")
    func call() async throws {
        try await withMockCluster { mock in
            let master = ["--master", mock.baseURL]
            let notJSON = try await CLI.run(["call", "Login", "-d", #"{"username": admin}"#] + master)
            #expect(notJSON.status == 2, "\(notJSON.stderr)")
            #expect(notJSON.stderr.contains("line 1, column 14"), "\(notJSON.stderr)")
            let wrongType = try await CLI.run(["call", "Login", "-d", #"{"username": 5}"#] + master)
            #expect(wrongType.status == 2 && wrongType.stderr.contains("/username"), "\(wrongType.stderr)")
            #expect(wrongType.stderr.contains("not sent"), "\(wrongType.stderr)")
            let raw = try await CLI.run(
                ["call", "Login", "-d", "username=admin", "--raw-body", "--content-type", "text/plain", "--no-validate", "-v"] + master)
            #expect(raw.status == 0 && raw.stderr.contains("Content-Type: text/plain"), "\(raw.stderr)")

            let env = ["DET_USER": "admin", "DET_PASS": ""]
            let me = try await CLI.run(["call", "GetMe"] + master, environment: env)
            #expect(me.status == 0 && me.stderr.contains("✓ valid: GetMe 200"), "\(me.stderr)")
            let missing = try await CLI.run(["call", "GetExperiment", "experimentId=99999"] + master, environment: env)
            #expect(missing.status == 1, "\(missing.stderr)")
            #expect(missing.stderr.contains("status 404"), "\(missing.stderr)")
            let refused = try await CLI.run(["call", "GetMe"] + master, environment: ["DET_USER": "nobody", "DET_PASS": "x"])
            #expect(refused.status == 2 && refused.stderr.contains("user from DET_USER, password from DET_PASS"), "\(refused.stderr)")
            #expect(!refused.stderr.contains("expired"), "a refused login is not an expired token")
        }
    }

    @Test("run against a master that fails every request: both steps fail with 'expected 2xx'; asking for 500/503 passes")
    func failingMaster() async throws {
        let dir = Self.folder("fail-rate")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try """
        name: plain
        steps:
          - {name: master info, operation: GetMaster}
          - {name: list, operation: GetExperiments, auth: none}
        """.write(toFile: dir + "/plain.yaml", atomically: true, encoding: .utf8)
        try """
        name: asked
        steps:
          - {name: master info, operation: GetMaster, expect: {status: [500, 503]}}
          - {name: list, operation: GetExperiments, auth: none, expect: {status: [500, 503]}}
        """.write(toFile: dir + "/asked.yaml", atomically: true, encoding: .utf8)
        try await withMockCluster({ $0.failRate = 1 }) { mock in
            let args = ["--master", mock.baseURL, "--spec", "builtin", "--report", "json"]
            let plain = try await CLI.run(["run", dir + "/plain.yaml", "--keep-going", "--out", dir + "/plain"] + args)
            #expect(plain.status == 1, "\(plain.stdout)")
            #expect(plain.stdout.components(separatedBy: "expected 2xx (a step without expect.status expects success)").count == 3)
            let asked = try await CLI.run(["run", dir + "/asked.yaml", "--out", dir + "/asked"] + args)
            #expect(asked.status == 0, "\(asked.stdout)")
            // One clock: the console's total is report.json's summary.milliseconds.
            let report = try JSONValue(parsing: Array(try String(contentsOfFile: dir + "/plain/report.json", encoding: .utf8).utf8))
            let ms = try #require(report["summary"]?["milliseconds"]?.doubleValue)
            #expect(plain.stdout.contains(String(format: " · %.2f s\n", ms / 1000)), "\(ms) ms vs \(plain.stdout)")
        }
    }

    @Test("a mistyped command is exit 2 naming the nearest one, not an unknown option")
    func mistypedCommand() async throws {
        let result = try await CLI.run(["rnu", "--mock"])
        #expect(result.status == 2 && result.stderr.contains("unknown command 'rnu'; did you mean 'run'?"), "\(result.stderr)")
    }

    @Test("a literal value of the wrong type is exit 2 with file:line:col; --dry-run says the same")
    func typedScenario() async throws {
        let dir = Self.folder("typed")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try """
        name: typed
        steps:
          - name: list
            operation: GetExperiments
            query: {limit: ten}
        """.write(toFile: dir + "/typed.yaml", atomically: true, encoding: .utf8)
        for extra in [[], ["--dry-run"]] {
            let result = try await CLI.run(["run", dir + "/typed.yaml", "--mock", "--report", "none"] + extra)
            #expect(result.status == 2, "\(result.stderr)")
            #expect(
                result.stderr.contains("typed.yaml:5:20") && result.stderr.contains("limit") && result.stderr.contains("integer"),
                "\(result.stderr)")
        }
    }

    @Test("report merge of shards 1/3 and 3/3 is exit 1 naming shard 2; --allow-partial merges and says partial")
    func partialMerge() async throws {
        let dir = Self.folder("partial")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for i in [1, 3] {
            let shard = try await CLI.run(["run", "--mock", "--shard", "\(i)/3", "--report", "json", "--out", "\(dir)/shard-\(i)"])
            #expect(shard.status == 0, "\(shard.stderr)")
        }
        let files = ["\(dir)/shard-1/report.json", "\(dir)/shard-3/report.json"]
        let refused = try await CLI.run(["report", "merge"] + files + ["--out", "\(dir)/merged"])
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("shard 2/3 missing"), "\(refused.stderr)")
        let junit = try String(contentsOfFile: "\(dir)/merged/junit.xml", encoding: .utf8)
        #expect(junit.contains("shard 2/3 missing") && junit.contains("<failure"))
        let html = try String(contentsOfFile: "\(dir)/merged/report.html", encoding: .utf8)
        #expect(html.contains("id=\"partial\"") && html.contains("shard 2/3 missing"))
        let allowed = try await CLI.run(["report", "merge"] + files + ["--allow-partial", "--out", "\(dir)/allowed"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        let report = try JSONValue(parsing: Array(try String(contentsOfFile: "\(dir)/allowed/report.json", encoding: .utf8).utf8))
        #expect(report["partial"]?["missing"] == [2] && report["partial"]?["allowed"] == true)
        let twice = try await CLI.run(["report", "merge", files[0], files[0], files[1], "--report", "none"])
        #expect(twice.status == 1 && twice.stderr.contains("shard 1/3 given twice"), "\(twice.stderr)")
    }

    @Test("conform: an operation that only got errors is not reached and its ignored_auth is not judged; --min-coverage fails below")
    func honestCoverage() async throws {
        let dir = Self.folder("coverage")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = ["DET_USER": "determined", "DET_PASS": ""]
        let result = try await CLI.run(["conform", "--mock", "--out", dir], environment: env)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let notReached = result.stdout.components(separatedBy: "not reached (no documented 2xx").last ?? ""
        #expect(notReached.contains("GetAccessTokens") && notReached.contains("403 ×"), "\(result.stdout)")
        #expect(result.stdout.contains(" operations passed · ") && result.stdout.contains(" requests · "), "\(result.stdout)")
        #expect(!result.stdout.contains("scenarios passed") && !result.stdout.contains("steps:"), "a sweep speaks of operations")
        let report = try JSONValue(parsing: Array(try String(contentsOfFile: dir + "/report.json", encoding: .utf8).utf8))
        let tokens = report["conform"]?["operations"]?.arrayValue?.first { $0["operationId"] == "GetAccessTokens" }
        #expect(tokens?["reached"] == false && tokens?["checks"]?["ignored_auth"] == "not judged", "\(String(describing: tokens))")
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        #expect(html.contains("not reached (403 ×"))
        let junit = try String(contentsOfFile: dir + "/junit.xml", encoding: .utf8)
        #expect(junit.contains("not reached (403 ×"))
        let strict = try await CLI.run(["conform", "--mock", "--min-coverage", "100%", "--report", "none"], environment: env)
        #expect(strict.status == 1 && strict.stderr.contains("below --min-coverage 100.0%"), "\(strict.stderr)")
        let bad = try await CLI.run(["conform", "--mock", "--min-coverage", "150%", "--report", "none"])
        #expect(bad.status == 2 && bad.stderr.contains("--min-coverage"), "\(bad.stderr)")
    }
}

/// The spec fetch is a request like the others, and a server that is not a Determined master is never swept
/// against Determined's operations.
@Suite("detapi reads another API's spec")
struct SpecFetchCLITests {
    static let spec = """
        {"swagger": "2.0", "info": {"title": "echo", "version": "1"}, "basePath": "/anything",
         "paths": {"/get": {"get": {"operationId": "getIt", "produces": ["application/json"],
           "responses": {"200": {"description": "ok", "schema": {"type": "object"}}}}}}}
        """

    @Test("a protected spec URL works with -H; ?token=SECRET never reaches the console or a report; basePath prefixes the call")
    func protectedSpec() async throws {
        try await withScriptedServer({ r in
            switch r.path {
            case "/spec.json":
                return r.header("X-Spec-Key") == "let-me-in" || r.query("token") == "SECRET-IN-URL"
                    ? .json(200, Self.spec) : .text(403, "<html>login</html>", type: "text/html")
            case "/anything/get": return .json(200, #"{"ok": true}"#)
            default: return .text(404, "<html>not here</html>", type: "text/html")
            }
        }) { server in
            let refused = try await CLI.run(["spec", "info", "--spec", server.baseURL + "/spec.json"])
            #expect(refused.status == 2 && refused.stderr.contains("HTTP 403"), "\(refused.stderr)")
            let withHeader = try await CLI.run(
                ["call", "getIt", "--spec", server.baseURL + "/spec.json", "-H", "X-Spec-Key: let-me-in", "--master", server.baseURL])
            #expect(withHeader.status == 0, "\(withHeader.stderr)")
            #expect(server.requests.last?.path == "/anything/get", "the spec's basePath: \(server.requests.map(\.path))")
            let dir = FailClosedCLITests.folder("spec-secret")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            try "name: s\nsteps:\n  - {operation: getIt}\n".write(toFile: dir + ".yaml", atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: dir + ".yaml") }
            let secretURL = server.baseURL + "/spec.json?token=SECRET-IN-URL"
            let run = try await CLI.run(["run", dir + ".yaml", "--spec", secretURL, "--master", server.baseURL, "--out", dir])
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            #expect(!(run.stdout + run.stderr).contains("SECRET-IN-URL"))
            for file in ["junit.xml", "report.json", "report.html"] {
                let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
                #expect(!text.contains("SECRET-IN-URL"), "\(file)")
                if file != "junit.xml" { #expect(text.contains("token=***"), "\(file) names the spec, masked") }
            }
        }
    }

    @Test("a master that serves no spec and is not a Determined master is exit 2 asking for --spec, with a hint for a path")
    func notDetermined() async throws {
        try await withScriptedServer({ _ in .text(404, "<html>no</html>", type: "text/html") }) { server in
            let plain = try await CLI.run(["conform", "--master", server.baseURL, "--report", "none"])
            #expect(plain.status == 2 && plain.stderr.contains("--spec FILE|URL"), "\(plain.stderr)")
            let path = try await CLI.run(["call", "GetMaster", "--master", server.baseURL + "/api/v1"])
            #expect(path.status == 2 && path.stderr.contains("--master has a path (/api/v1)"), "\(path.stderr)")
        }
        try await withScriptedServer({ r in
            r.path == "/api/v1/api.swagger.json" ? .text(200, "<html>sign in</html>", type: "text/html") : .text(404, "")
        }) { server in
            let sso = try await CLI.run(["spec", "info", "--master", server.baseURL])
            #expect(sso.status == 2, "\(sso.stderr)")
        }
    }
}

@Suite("conform rides out a server that drops one request")
struct DroppedRequestCLITests {
    @Test("a reset for one value is a not_a_server_error finding of that case; the sweep reaches the other operations; exit 1, not 3")
    func resetOneValue() async throws {
        let dir = FailClosedCLITests.folder("reset")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        {"swagger": "2.0", "info": {"title": "kv", "version": "1"}, "produces": ["application/json"],
         "paths": {
           "/a/{n}": {"get": {"operationId": "getA", "parameters": [{"name": "n", "in": "path", "required": true, "type": "integer"}],
                          "responses": {"200": {"description": "ok", "schema": {"type": "object"}},
                                        "400": {"description": "bad", "schema": {"type": "object"}}}}},
           "/b": {"get": {"operationId": "getB", "responses": {"200": {"description": "ok", "schema": {"type": "object"}}}}}}}
        """.write(toFile: dir + "/kv.json", atomically: true, encoding: .utf8)
        let server = try HostileServer { path, _ in
            if path == "/a/-1" { return .reset(HostileServer.answer(200, Array("{".utf8), length: false)) }
            if path.hasPrefix("/a/"), Int(path.dropFirst(3)) == nil { return .bytes(HostileServer.answer(400, Array("{}".utf8))) }
            return .bytes(HostileServer.answer(200, Array("{}".utf8)))
        }
        defer { server.stop() }
        let result = try await CLI.run([
            "conform", "--spec", dir + "/kv.json", "--master", "http://127.0.0.1:\(server.port)", "--report", "none", "--combinations", "0",
        ])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("not_a_server_error (n=-1"), "\(result.stdout)")
        #expect(result.stdout.contains("✓ getB"), "the sweep went on: \(result.stdout)")
    }
}

@Suite("conform sweeps read-only POSTs when named")
struct SafePostCLITests {
    @Test("a POST-only spec: exit 2 saying how to name read-only POSTs; with --safe-op the POST is swept with generated bodies")
    func postOnly() async throws {
        let dir = FailClosedCLITests.folder("kv")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        {"swagger": "2.0", "info": {"title": "kv", "version": "3"}, "consumes": ["application/json"], "produces": ["application/json"],
         "paths": {
           "/v3/kv/range": {"post": {"operationId": "KV_Range",
             "parameters": [{"name": "body", "in": "body", "required": true, "schema": {"$ref": "#/definitions/RangeRequest"}}],
             "responses": {"200": {"description": "ok", "schema": {"type": "object"}},
                           "400": {"description": "bad", "schema": {"type": "object"}}}}},
           "/v3/kv/put": {"post": {"operationId": "KV_Put",
             "parameters": [{"name": "body", "in": "body", "required": true, "schema": {"$ref": "#/definitions/RangeRequest"}}],
             "responses": {"200": {"description": "ok", "schema": {"type": "object"}}}}}},
         "definitions": {"RangeRequest": {"type": "object", "required": ["key"],
           "properties": {"key": {"type": "string"}, "limit": {"type": "integer"}}}}}
        """.write(toFile: dir + "/kv.json", atomically: true, encoding: .utf8)
        try await withScriptedServer({ r in
            // A gateway refuses a method a path does not have.
            if r.method != "POST" { return .json(405, #"{"error": "method not allowed"}"#) }
            guard r.path == "/v3/kv/range", let body = try? JSONValue(parsing: r.body), body["key"]?.stringValue != nil,
                body["limit"].map({ $0.intValue != nil }) ?? true
            else { return .json(400, #"{"error": "bad request"}"#) }
            return .json(200, #"{"kvs": []}"#)
        }) { server in
            let args = ["conform", "--spec", dir + "/kv.json", "--master", server.baseURL, "--report", "none"]
            let none = try await CLI.run(args)
            #expect(none.status == 2 && none.stderr.contains("--safe-op") && !none.stderr.contains("--tag"), "\(none.stderr)")
            let swept = try await CLI.run(args + ["--safe-op", "*Range"])
            #expect(swept.status == 0, "\(swept.stdout)\(swept.stderr)")
            #expect(swept.stdout.contains("✓ KV_Range") && !swept.stdout.contains("KV_Put"), "\(swept.stdout)")
            #expect(!server.requests.contains { $0.path == "/v3/kv/put" && $0.method == "POST" }, "a write is never sent")
            let bodies = server.requests.filter { $0.path == "/v3/kv/range" }.compactMap { try? JSONValue(parsing: $0.body) }
            #expect(bodies.contains { $0["key"]?.stringValue != nil }, "a body from the request schema")
            #expect(bodies.contains { $0["key"] == nil }, "the required key left out once")
            #expect(bodies.contains { $0["key"]?.intValue != nil }, "the key of the wrong type once")
        }
    }
}

@Suite("a stream that does not end")
struct EndlessStreamCLITests {
    @Test("call prints a follow=true stream as it arrives; --timeout cuts it with a line saying so and exit 0, not 3")
    func follow() async throws {
        // A server that sends two log lines at once and then keeps the stream open (a byte of whitespace now and then),
        // played from its own threads so that a busy test machine cannot delay the first lines.
        let lines =
            #"{"result":{"id":1,"trialId":300,"log":"step 1"}}"# + "\n" + #"{"result":{"id":2,"trialId":300,"log":"step 2"}}"# + "\n"
        let server = try HostileServer { _, _ in
            .drip(head: HostileServer.answer(200, Array(lines.utf8), length: false), interval: .milliseconds(50))
        }
        defer { server.stop() }
        let result = try await CLI.run([
            "call", "TrialLogs", "trialId=300", "follow=true", "--timeout", "2s", "--spec", "builtin", "--token", "t",
            "--master", "http://127.0.0.1:\(server.port)",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("step 1") && result.stdout.contains("step 2"), "the lines that arrived are shown: \(result.stdout)")
        #expect(result.stderr.contains("the stream was cut at --timeout"), "\(result.stderr)")
    }
}
