import Foundation
import Harness
import Testing

@Suite("Embedded scenarios")
struct EmbeddedScenariosTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("specs/scenarios")

    @Test("EmbeddedScenarios.swift holds exactly specs/scenarios/*.yaml (run scripts/embed-scenarios.sh after editing them)")
    func matchesSource() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(EmbeddedScenarios.all.map(\.file) == files.map { "specs/scenarios/" + $0 })
        for entry in EmbeddedScenarios.all {
            let text = try String(
                contentsOfFile: Self.folder.deletingLastPathComponent().deletingLastPathComponent().path + "/" + entry.file, encoding: .utf8
            )
            #expect(entry.text == text, "\(entry.file) was edited without regenerating EmbeddedScenarios.swift")
        }
    }
}
