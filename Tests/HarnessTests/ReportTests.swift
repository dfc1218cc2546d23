import Foundation
import HTTP
import Harness
import JSON
import MockCluster
import MockClusterTesting
import OpenAPI
import Reports
import Testing

@Suite("Reports")
struct ReportTests {
    static let xsd = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/testdata/junit/junit-10.xsd").path

    func results(drift: Bool) async throws -> [ScenarioResult] {
        try await withMockCluster({ $0.drift = drift }) { mock in
            let model = try SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source)
            let runner = Runner(model: model, client: HTTPClient(), options: .init(master: mock.baseURL))
            var out: [ScenarioResult] = []
            for source in EmbeddedScenarios.all { out.append(await runner.run(try ScenarioParser.parse(source.text, file: source.file))) }
            return out
        }
    }

    @Test(
        "JUnit XML validates against junit-10.xsd, passing and failing",
        .enabled(
            if: FileManager.default.fileExists(atPath: "/usr/bin/xmllint") && FileManager.default.fileExists(atPath: ReportTests.xsd),
            "xmllint (libxml2-utils) or ../shared/testdata/junit/junit-10.xsd missing; skipped"))
    func junitValidates() async throws {
        for drift in [false, true] {
            let xml = JUnitReport.render(try await results(drift: drift))
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-junit-\(UUID().uuidString).xml").path
            try ReportWriter.write(xml, to: file)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let (status, output) = try await Self.xmllint(file)
            #expect(status == 0, "xmllint: \(output)")
            if drift {
                #expect(xml.contains("<failure type=\"schema\" message=\"schema: /experiments/0"))
                #expect(xml.contains("repro: curl"))
                #expect(!xml.contains("v2.public."), "no token in the report")
            } else {
                #expect(!xml.contains("<failure"))
                #expect(xml.contains("classname=\"UnarchiveExperiment\""))
            }
        }
    }

    @Test("a format-1 report.json (failures as strings) still reads: the same lines, kind unclassified")
    func formatOne() async throws {
        let run = RunRecord(results: try await results(drift: true), master: "http://m", spec: "s.json", shard: nil)
        // Rewrite today's file into the format-1 shape: failures as their lines, no `error` objects.
        func downgrade(_ v: JSONValue) -> JSONValue {
            guard case .object(var o) = v else { return v.arrayValue.map { .array($0.map(downgrade)) } ?? v }
            if let failures = o["failures"]?.arrayValue { o["failures"] = .array(failures.map { $0["text"] ?? .null }) }
            o["error"] = nil
            if o["format"] != nil { o["format"] = 1 }
            for m in o where m.key != "failures" { o[m.key] = downgrade(m.value) }
            return .object(o)
        }
        let old = JSONWriter().string(downgrade(JSONReport.render(run)))
        #expect(old.contains(#""format":1"#) && !old.contains(#""kind":"schema""#))
        let back = try JSONReportReader.read(Array(old.utf8), file: "old.json")
        let lines = back.results.flatMap(\.steps).flatMap(\.failures)
        #expect(!lines.isEmpty && lines.allSatisfy { $0.kind == .unclassified })
        #expect(lines.map(FailureText.line) == run.results.flatMap(\.steps).flatMap(\.failures).map(FailureText.line))
    }

    @Test("report.json reads back into the same run: JUnit and HTML rendered from it are the same as from the run")
    func jsonRoundTrip() async throws {
        let run = RunRecord(results: try await results(drift: true), master: "http://m", spec: "s.json", shard: "2/3")
        let text = JSONWriter(style: .pretty).string(JSONReport.render(run))
        let back = try JSONReportReader.read(Array(text.utf8), file: "report.json")
        #expect(back.shard == "2/3" && back.master == "http://m" && back.results.count == run.results.count)
        #expect(JUnitReport.render(back.results) == JUnitReport.render(run.results))
        #expect(JSONWriter(style: .pretty).string(JSONReport.render(back)) == text)
        let failing = try #require(back.results.flatMap(\.steps).first { $0.outcome == .failed })
        #expect(failing.violations.first?.instancePointer.description.hasPrefix("/experiments/0") == true)
        #expect(failing.responseHeaders["Content-Type"] == "application/json")
        #expect(failing.requestHeaders["Authorization"] == "Bearer ***")

        let newer = text.replacingOccurrences(of: #""format": \#(JSONReport.format)"#, with: #""format": 9"#)
        #expect(throws: JSONReportReader.ReadError.self) { try JSONReportReader.read(Array(newer.utf8), file: "r.json") }
        do {
            _ = try JSONReportReader.read(Array(#"{"tool":"other"}"#.utf8), file: "r.json")
            Issue.record("a foreign file was read")
        } catch {
            #expect(error.description == #"r.json: not a detapi JSON report (no "tool": "detapi" at the top)"#)
        }
    }

    static func xmllint(_ file: String) async throws -> (Int32, String) {
        try await withCheckedThrowingContinuation { c in
            Thread.detachNewThread {
                do {
                    let p = Process()
                    p.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
                    p.arguments = ["--noout", "--schema", xsd, file]
                    let pipe = Pipe()
                    p.standardError = pipe
                    p.standardOutput = pipe
                    try p.run()
                    let data = pipe.fileHandleForReading.readDataToEndOfFile()
                    p.waitUntilExit()
                    c.resume(returning: (p.terminationStatus, String(decoding: data, as: UTF8.self)))
                } catch {
                    c.resume(throwing: error)
                }
            }
        }
    }
}

@Suite("Console")
struct ConsoleReportTests {
    @Test("GitHub annotations point at the failing step's file and line, escaped as workflow commands need")
    func annotations() {
        var failing = StepResult(
            name: "list, then check", operationID: "GetExperiments", method: "GET", url: "http://h/x", milliseconds: 1, outcome: .failed)
        failing.failures = [
            CheckFailure(
                violation: .init(
                    instancePointer: try! JSONPointer(parsing: "/experiments/0/id"), schemaLocation: "", keyword: "type",
                    message: "expected integer")),
            CheckFailure(.expectation, reason: .assertion(found: "100% sure", wanted: "be 50% sure")),
        ]
        failing.file = "checks/list.yaml"
        failing.line = 12
        let ok = StepResult(name: "ok", operationID: "GetMe", method: "GET", url: "http://h/me", milliseconds: 1, outcome: .passed)
        let text = ConsoleReport.githubAnnotations(ScenarioResult(name: "lists", file: "checks/list.yaml", steps: [ok, failing]))
        #expect(
            text
                == "::error file=checks/list.yaml,line=12,title=lists%3A list%2C then check::schema: /experiments/0/id: expected integer%0A100%25 sure, expected it to be 50%25 sure\n"
        )
    }
}

@Suite("HTML report")
struct HTMLReportTests {
    @Test("summary counts, a row's data per step, and server text escaped: a body with <script> cannot run")
    func html() throws {
        var failing = StepResult(
            name: "list <b>bold</b>", operationID: "GetExperiments", method: "GET", url: "http://h/api/v1/experiments", milliseconds: 3.5,
            outcome: .failed)
        failing.status = 200
        failing.failures = [
            CheckFailure(
                .schema, at: .body(pointer: "/experiments/0/id"),
                reason: .schema(message: "expected integer, found string \"<script>alert(1)</script>\""))
        ]
        failing.responseBody = #"{"name":"</script><script>alert(2)</script>"}"#
        let passing = StepResult(
            name: "log in", operationID: "Login", method: "POST", url: "http://h/api/v1/auth/login", milliseconds: 1.2, outcome: .passed)
        let skipped = StepResult(
            name: "later", operationID: "", method: "", url: "", milliseconds: 0, outcome: .skipped("no archived experiment"))
        let result = ScenarioResult(name: "s1", file: "s1.yaml", steps: [passing, failing, skipped])
        let html = try HTMLReport.render(RunRecord(results: [result], master: "http://h", spec: "spec.json"))
        #expect(html.contains(#"<span class="passed-count" id="passed">1 passed</span>"#))
        #expect(html.contains(#"<span class="failed-count" id="failed">1 failed</span>"#))
        #expect(html.contains(#"<span class="skipped-count" id="skipped">1 skipped</span>"#))
        #expect(html.contains(#"data-first="0" data-count="3""#))
        #expect(html.components(separatedBy: #""kind":"#).count - 1 == 3)
        #expect(!html.contains("<script>alert"), "no live script from server text")
        #expect(!html.contains("<b>bold</b>"))
        #expect(html.contains(#"list \u003cb\u003ebold"#))
        #expect(html.contains(#"\u003cscript\u003ealert(2)"#))
        #expect(!html.contains("http://") || !html.contains("src=\"http"), "nothing is fetched")
    }
}

@Suite("HTML report in a browser")
struct HTMLBrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(
        "headless Chromium renders the summary, a row per step, the first failure opened with its schema error marked in the body, and a hostile body adds no element",
        .enabled(if: HTMLBrowserTests.chromium != nil, "chromium is not installed (scripts/install-deps.sh installs it); skipped"))
    func rendered() async throws {
        var failing = StepResult(
            name: "list", operationID: "GetExperiments", method: "GET", url: "http://h/x", milliseconds: 2, outcome: .failed)
        failing.failures = [CheckFailure(.schema, at: .body(pointer: "/a"), reason: .schema(message: #""<img src=x onerror=alert(1)>""#))]
        failing.responseBody = #"{"note":"<script>document.body.setAttribute('data-pwned','1')</script>","items":[{"id":"7"}]}"#
        failing.violations = [
            SchemaViolation(
                instancePointer: JSONPointer(tokens: ["items", "0", "id"]), schemaLocation: "#/x", keyword: "type",
                message: "expected integer, found string \"7\"")
        ]
        let steps = [
            StepResult(name: "ok", operationID: "Login", method: "POST", url: "http://h/l", milliseconds: 1, outcome: .passed), failing,
            StepResult(name: "later", operationID: "", method: "", url: "", milliseconds: 0, outcome: .skipped("reason")),
        ]
        let html = try HTMLReport.render(
            RunRecord(results: [ScenarioResult(name: "s", file: "s.yaml", steps: steps)], master: "http://h", spec: "spec"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-\(UUID().uuidString).html").path
        try ReportWriter.write(html, to: file)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let dom = try await Self.dumpDOM(file)
        #expect(dom.contains(#"id="passed">1 passed</span>"#))
        #expect(dom.contains(#"id="failed">1 failed</span>"#))
        #expect(dom.contains(#"id="skipped">1 skipped</span>"#))
        #expect(dom.components(separatedBy: "<tr class=\"step ").count - 1 == 3, "one row per step")
        #expect(dom.contains(#"<span class="mark">      "id": "7"<span class="why">   ← expected integer, found string "7"</span></span>"#))
        #expect(dom.contains("&lt;script&gt;document.body"), "the body is shown as text")
        #expect(dom.contains("data-ready-ms="))
        #expect(!dom.contains(#"data-pwned="1""#), "a script in a response body never runs")
        #expect(!dom.contains("<img src=\"x\""), "markup in a failure message stays text")
    }

    static func dumpDOM(_ file: String) async throws -> String {
        try await withCheckedThrowingContinuation { c in
            Thread.detachNewThread {
                do {
                    let p = Process()
                    p.executableURL = URL(fileURLWithPath: chromium!)
                    p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://" + file]
                    let out = Pipe()
                    p.standardOutput = out
                    p.standardError = FileHandle.nullDevice
                    try p.run()
                    let data = out.fileHandleForReading.readDataToEndOfFile()
                    p.waitUntilExit()
                    c.resume(returning: String(decoding: data, as: UTF8.self))
                } catch {
                    c.resume(throwing: error)
                }
            }
        }
    }
}
