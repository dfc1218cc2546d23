import Foundation
import HTTP
import Harness
import MockCluster
import OpenAPI
import Reports
import Testing

@Suite("Reports")
struct ReportTests {
    static let xsd = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/testdata/junit/junit-10.xsd").path

    func results(drift: Bool) async throws -> [ScenarioResult] {
        var c = MockConfiguration()
        c.port = 0
        c.quiet = true
        c.drift = drift
        let mock = try await MockServer.start(c)
        let model = try SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source)
        let runner = Runner(model: model, client: HTTPClient(), options: .init(master: mock.baseURL))
        var out: [ScenarioResult] = []
        for source in EmbeddedScenarios.all { out.append(await runner.run(try ScenarioParser.parse(source.text, file: source.file))) }
        await mock.stop()
        return out
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
                #expect(xml.contains("<failure type=\"contract\" message=\"schema: /experiments/0"))
                #expect(xml.contains("repro: curl"))
                #expect(!xml.contains("v2.public."), "no token in the report")
            } else {
                #expect(!xml.contains("<failure"))
                #expect(xml.contains("classname=\"UnarchiveExperiment\""))
            }
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
