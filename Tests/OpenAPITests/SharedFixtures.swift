import Foundation

/// Locates ../shared (read-only fixtures beside the clone); tests that need it are skipped, visibly, without it.
enum SharedFixtures {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    static var suite: URL { root.appendingPathComponent("testdata/JSON-Schema-Test-Suite") }
    static var determinedSpec: URL { root.appendingPathComponent("specs/determined-0.38.1.swagger.json") }

    static var hasSuite: Bool { FileManager.default.fileExists(atPath: suite.appendingPathComponent("tests").path) }
    static var hasDeterminedSpec: Bool { FileManager.default.fileExists(atPath: determinedSpec.path) }

    static func files(_ relative: String) -> [String] {
        let dir = suite.appendingPathComponent(relative)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { relative + "/" + $0 }
    }
}
