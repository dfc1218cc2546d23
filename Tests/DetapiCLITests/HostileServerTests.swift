import Foundation
import JSON
import Testing

/// `detapi run` against a server that misbehaves in every way the issue lists: each case is one scenario
/// whose step fails once, clearly (a transport failure where the transport broke), the run goes on with the
/// next scenario, and every report is complete and valid.
@Suite("detapi run against a hostile server")
struct HostileServerTests {
    /// The operations of the test spec: each path answers as `HostileServerTests.answer` says.
    static let cases = [
        "ok", "invalid-json", "truncated-chunked", "big", "drip", "many-headers", "bad-utf8", "wrong-type", "no-type", "loop",
        "reset", "http10", "storm", "unauthorized", "deep",
    ]

    static func spec() -> String {
        var paths: [String: JSONValue] = [:]
        for name in cases {
            paths["/\(name)"] = [
                "get": [
                    "operationId": .string(name), "produces": ["application/json"],
                    "responses": [
                        "200": ["description": "ok", "schema": ["$ref": "#/definitions/Ok"]],
                        "default": ["description": "error", "schema": ["$ref": "#/definitions/Error"]],
                    ],
                ]
            ]
        }
        let spec: JSONValue = [
            "swagger": "2.0", "info": ["title": "hostile", "version": "1"],
            "paths": .object(JSONObject(paths.sorted { $0.key < $1.key }.map { .init(key: $0.key, value: $0.value) })),
            "definitions": [
                "Ok": ["type": "object", "required": ["ok"], "properties": ["ok": ["type": "boolean"], "s": ["type": "string"]]],
                "Error": ["type": "object", "properties": ["error": ["type": "string"]]],
            ],
        ]
        return JSONWriter(style: .pretty).string(spec)
    }

    /// How the server answers each path (`count`: the how-many-th time it was asked).
    static func answer(_ path: String, _ count: Int) -> HostileServer.Answer {
        let ok = Array(#"{"ok":true}"#.utf8)
        switch path {
        case "/invalid-json": return .bytes(HostileServer.answer(200, Array(#"{"ok": tru"#.utf8)))
        case "/truncated-chunked":
            return .bytes(
                Array(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n{\"ok\":true,\"s\":\"abc"
                        .utf8))
        case "/big":
            return .bytes(
                HostileServer.answer(200, Array(#"{"ok":true,"s":""#.utf8) + [UInt8](repeating: 97, count: 2 << 20) + Array(#""}"#.utf8)))
        case "/drip":
            return .drip(
                head: Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n".utf8),
                interval: .milliseconds(50))
        case "/many-headers": return .bytes(HostileServer.answer(200, ok, headers: (0..<10_000).map { "X-Header-\($0): value \($0)" }))
        case "/bad-utf8":
            return .bytes(HostileServer.answer(200, Array(#"{"ok":true,"s":""#.utf8) + [0xFF, 0xFE, 0x41] + Array(#""}"#.utf8)))
        case "/wrong-type": return .bytes(HostileServer.answer(200, ok, contentType: "text/html"))
        case "/no-type": return .bytes(HostileServer.answer(200, ok, contentType: nil))
        case "/loop": return .bytes(HostileServer.answer(302, [], contentType: nil, headers: ["Location: /loop"]))
        case "/reset":
            return .reset(Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"ok\":true,".utf8))
        case "/http10": return .bytes(Array("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"ok\":true}".utf8))
        case "/storm": return .bytes(HostileServer.answer(503, Array(#"{"error":"overloaded"}"#.utf8), headers: ["Retry-After: 1"]))
        case "/deep":
            return .bytes(
                HostileServer.answer(200, Array((String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)).utf8)))
        case "/unauthorized": return .bytes(HostileServer.answer(401, Array(#"{"error":"token expired"}"#.utf8)))
        default: return .bytes(HostileServer.answer(200, ok))
        }
    }

    /// One scenario per case; the 401 one has steps before and after it, the storm one polls.
    static func scenario(_ name: String) -> String {
        switch name {
        case "unauthorized":
            return """
                name: unauthorized
                steps:
                  - {name: before, operation: ok, auth: none, expect: {status: 200}}
                  - {name: rejected, operation: unauthorized, auth: none, expect: {status: 200}}
                  - {name: after, operation: ok, auth: none, expect: {status: 200}}
                """
        case "storm":
            return """
                name: storm
                steps:
                  - name: poll through 503s
                    operation: storm
                    auth: none
                    retry: {until: {json: $.ok, equals: true}, timeout: 2500ms, interval: 100ms}
                    expect: {status: 200}
                """
        default:
            return "name: \(name)\nsteps:\n  - {name: \(name), operation: \(name), auth: none, expect: {status: 200}}\n"
        }
    }

    struct Run {
        let status: Int32
        let output: String
        let report: JSONValue
        let out: String
    }

    static func run(_ server: HostileServer, _ dir: URL, jobs: Int = 4, maxBody: String = "1M") async throws -> Run {
        let out = dir.appendingPathComponent("reports-\(UUID().uuidString)").path
        let result = try await CLI.run(
            [
                "run", dir.appendingPathComponent("scenarios").path, "--spec", dir.appendingPathComponent("spec.json").path, "--master",
                server.baseURL, "--timeout", "1.5", "-L", "--max-body", maxBody, "--jobs", String(jobs), "--out", out, "--report",
                "junit,html,json",
            ])
        let report = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))))
        return Run(status: result.status, output: result.stdout + result.stderr, report: report, out: out)
    }

    /// The failing step of scenario `name`: its outcome (`failed`/`error`) and its first failure's kind and text.
    static func failure(_ report: JSONValue, _ name: String) -> (outcome: String, kind: String, text: String)? {
        guard case .array(let scenarios)? = report["scenarios"],
            let scenario = scenarios.first(where: { $0["name"]?.stringValue == name }), case .array(let steps)? = scenario["steps"],
            let step = steps.first(where: { $0["outcome"]?.stringValue != "passed" && $0["outcome"]?.stringValue != "skipped" })
        else { return nil }
        var first: JSONValue? = step["error"] == .null ? nil : step["error"]
        if first == nil, case .array(let failures)? = step["failures"] { first = failures.first }
        return (step["outcome"]?.stringValue ?? "", first?["kind"]?.stringValue ?? "", first?["text"]?.stringValue ?? "")
    }

    @Test("every hostile answer is one clear step failure; the run goes on; the reports are complete and valid; exit 3")
    func hostile() async throws {
        if let staleness = CLI.staleness { throw CLI.StaleBinary(description: staleness) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("scenarios"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.spec().write(to: dir.appendingPathComponent("spec.json"), atomically: true, encoding: .utf8)
        for name in Self.cases where name != "ok" && name != "deep" {
            try Self.scenario(name).write(to: dir.appendingPathComponent("scenarios/\(name).yaml"), atomically: true, encoding: .utf8)
        }
        let server = try HostileServer(script: Self.answer)
        defer { server.stop() }
        let run = try await Self.run(server, dir)
        #expect(run.status == 3, "a broken transport is exit 3: \(run.output)")
        #expect(run.report["summary"]?["scenarios"] == 13, "every scenario ran and is reported")

        let expected: [(String, String, String)] = [
            ("truncated-chunked", "transport", "connection lost"),
            ("big", "transport", "response body larger than 1048576 bytes"),
            ("drip", "transport", "timed out"),
            ("loop", "transport", "too many redirects"),
            ("reset", "transport", "connection lost"),
            ("invalid-json", "content-type", "is not JSON (line 1, column 11: unexpected end of input"),
            ("bad-utf8", "content-type", "UTF-8"),
            ("wrong-type", "content-type", "content type text/html for wrong-type 200, expected JSON"),
            ("no-type", "content-type", "no Content-Type header"),
            ("storm", "status", "status 503 (overloaded), expected 200"),
            ("unauthorized", "status", "status 401 (token expired), expected 200; the credentials were refused"),
        ]
        for (name, kind, text) in expected {
            let found = Self.failure(run.report, name)
            #expect(found?.kind == kind, "\(name): \(String(describing: found))")
            #expect(found?.text.contains(text) == true, "\(name): \(String(describing: found))")
        }
        // Legitimate, if unusual: HTTP/1.0 with the body ended by the close, and 10,000 headers.
        #expect(Self.failure(run.report, "http10") == nil, "\(run.output)")
        #expect(Self.failure(run.report, "many-headers") == nil || Self.failure(run.report, "many-headers")?.kind == "transport")
        // The 401 fails its own step only; the step after it is skipped, not lost.
        #expect(run.output.contains("✗ rejected"), "\(run.output)")
        let storm = server.requests.filter { $0.path == "/storm" }.map(\.at)
        #expect(storm.count >= 2)
        // Retry-After was honoured: attempts a second apart (not the 100 ms interval), the last one at the deadline.
        #expect(storm.count == 4, "\(storm.map { storm[0].duration(to: $0) })")
        for (a, b) in zip(storm, storm.dropFirst()).dropLast() { #expect(a.duration(to: b) >= .milliseconds(950)) }
        #expect(run.output.contains("gave up polling after 2.5s"), "\(run.output)")

        let xsd = CLI.root.deletingLastPathComponent().appendingPathComponent("shared/testdata/junit/junit-10.xsd").path
        if FileManager.default.fileExists(atPath: xsd), FileManager.default.fileExists(atPath: "/usr/bin/xmllint") {
            #expect(try await CLI.runTool("/usr/bin/xmllint", ["--noout", "--schema", xsd, run.out + "/junit.xml"]) == 0)
        }
        let junit = try String(contentsOfFile: run.out + "/junit.xml", encoding: .utf8)
        #expect(junit.components(separatedBy: "<testsuite ").count - 1 == 13)
        #expect(FileManager.default.fileExists(atPath: run.out + "/report.html"))

        // --max-body raises the limit: the same big answer now passes.
        let bigger = try await Self.run(server, dir, maxBody: "4M")
        #expect(Self.failure(bigger.report, "big") == nil, "\(bigger.output)")
    }

    @Test("8 scenarios at once whose answers nest 5,000 deep: each fails with the depth, none hangs the pool, the run ends")
    func deepAnswers() async throws {
        if let staleness = CLI.staleness { throw CLI.StaleBinary(description: staleness) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-deep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("scenarios"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.spec().write(to: dir.appendingPathComponent("spec.json"), atomically: true, encoding: .utf8)
        for i in 1...8 {
            try "name: deep \(i)\nsteps:\n  - {name: deep, operation: deep, auth: none, expect: {status: 200}}\n".write(
                to: dir.appendingPathComponent("scenarios/deep-\(i).yaml"), atomically: true, encoding: .utf8)
        }
        let server = try HostileServer(script: Self.answer)
        defer { server.stop() }
        let run = try await Self.run(server, dir, jobs: 8)
        #expect(run.status == 1, "\(run.output)")
        #expect(run.report["summary"]?["scenarios"] == 8)
        for i in 1...8 {
            let found = Self.failure(run.report, "deep \(i)")
            #expect(
                found?.text.contains("the 200 body of deep nests deeper than 512 levels (line 1, column 513)") == true,
                "\(String(describing: found))")
        }
    }
}
