import Foundation
import FuzzTargets
import Testing

/// The short fuzz run of the suite: every seed and every input that once crashed a target goes through it
/// again (bench/fuzz.sh runs libFuzzer for real).
@Suite struct FuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    static func inputs(_ kind: String, _ target: FuzzTarget) -> [URL] {
        let folder = root.appendingPathComponent(kind).appendingPathComponent(target.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func seedsAndCrashes(_ target: FuzzTarget) throws {
        let seeds = Self.inputs("seeds", target)
        #expect(seeds.count >= 4, "Tests/Fuzz/seeds/\(target.rawValue) holds the seed corpus")
        for file in seeds {
            // A seed the target rejects at once would start the fuzzer outside the code it is meant to reach.
            #expect(target.run(Array(try Data(contentsOf: file))), "\(file.lastPathComponent) gets past parsing")
        }
        for file in Self.inputs("crashes", target) {
            target.run(Array(try Data(contentsOf: file)))
        }
    }
}
