import Foundation
import Testing

@testable import OpenAPI

@Suite("Embedded meta-schemas")
struct EmbeddedMetaschemaTests {
    static let source = SharedFixtures.root.appendingPathComponent("testdata/metaschemas")
    static var hasSource: Bool { FileManager.default.fileExists(atPath: source.appendingPathComponent("draft4/schema.json").path) }

    /// The file each embedded URI was generated from (scripts/embed-metaschemas.sh).
    static func file(for uri: String) -> String {
        if uri.hasSuffix("draft-04/schema") { return "draft4/schema.json" }
        if uri.hasSuffix("2020-12/schema") { return "draft2020-12/schema.json" }
        return "draft2020-12/meta/" + (uri.split(separator: "/").last.map(String.init) ?? "") + ".json"
    }

    @Test(
        "EmbeddedMetaschemas.swift holds exactly ../shared/testdata/metaschemas (run scripts/embed-metaschemas.sh when it changes)",
        .enabled(if: hasSource, "../shared/testdata/metaschemas not found; skipped"))
    func matchesSource() throws {
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: Self.source.appendingPathComponent("draft2020-12/meta").path)
            .filter { $0.hasSuffix(".json") }
        #expect(EmbeddedMetaschemas.all.count == onDisk.count + 2, "every meta-schema file is embedded, and nothing else")
        for entry in EmbeddedMetaschemas.all {
            let path = Self.source.appendingPathComponent(Self.file(for: entry.uri)).path
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(entry.text == text, "\(entry.uri) differs from \(path)")
        }
    }
}
