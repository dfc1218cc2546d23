import Foundation
import Testing

/// Every command that reads a file, given what people give by mistake.
///
/// A missing path, a folder, an empty file, binary garbage, a 1 GB file: each is exit 2 and one line that names the path (and the line and
/// column where there is one); the 1 GB file is refused by its size without being read.
@Suite("hostile files")
struct HostileFileTests {
    /// A folder holding the hostile files: `missing.json` (absent), `folder.yaml/`, `empty.yaml`,
    /// `garbage.bin`, and `huge.json` (1 GiB, sparse: made at once, never read).
    static func files() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-files-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent("folder.yaml"), withIntermediateDirectories: true)
        try Data().write(to: dir.appendingPathComponent("empty.yaml"))
        var garbage = [UInt8](repeating: 0, count: 4096)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in garbage.indices {
            state = state &* 6_364_136_223_846_793_005 &+ 1
            garbage[i] = UInt8(truncatingIfNeeded: state >> 33) | 0x80
        }
        try Data(garbage).write(to: dir.appendingPathComponent("garbage.bin"))
        fm.createFile(atPath: dir.appendingPathComponent("huge.json").path, contents: nil)
        let handle = try FileHandle(forWritingTo: dir.appendingPathComponent("huge.json"))
        try handle.truncate(atOffset: 1 << 30)
        try handle.close()
        return dir
    }

    /// `{}` replaced by the hostile file's path in each command.
    static let commands: [[String]] = [
        ["run", "{}", "--mock", "--report", "none"],
        ["spec", "info", "--spec", "{}"],
        ["spec", "info", "--overlay", "{}"],
        ["validate", "--op", "GetMaster", "{}"],
        ["report", "merge", "{}", "--out", "merged"],
        ["conform", "--mock", "--baseline", "{}", "--report", "none"],
        ["conform", "--mock", "--overlay", "{}", "--report", "none"],
        ["mock", "--port", "0", "--state", "{}"],
    ]

    /// What each file must make the message say (besides naming it).
    static let expected: [(file: String, says: [String])] = [
        ("missing.json", ["no such"]),
        ("folder.yaml", ["folder"]),
        ("empty.yaml", []),
        ("garbage.bin", []),
        ("huge.json", ["1.0 GiB", "not read"]),
    ]

    @Test("missing, folder, empty, binary and 1 GB files: exit 2, one line naming the path", arguments: commands)
    func hostile(_ command: [String]) async throws {
        if let staleness = CLI.staleness { throw CLI.StaleBinary(description: staleness) }
        let dir = try Self.files()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A missing --state file is where the mock will keep its state: it starts (and serves) then.
        for (file, says) in Self.expected where !(command[0] == "mock" && file == "missing.json") {
            let path = dir.appendingPathComponent(file).path
            let result = try await CLI.run(command.map { $0 == "{}" ? path : $0 })
            let line = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            let shown = "\(command.joined(separator: " ")) with \(file): \(result.status) \(result.stderr)"
            #expect(result.status == 2, "\(shown)")
            #expect(line.contains(path), "names the path: \(shown)")
            #expect(!line.contains("\n"), "one line: \(shown)")
            for word in says { #expect(line.contains(word), "\(shown)") }
            if file == "empty.yaml" || file == "garbage.bin", !line.contains("folder"), command[0] != "spec" || command[2] == "--spec" {
                // A parser's complaint carries where it stopped, except "not UTF-8 text", which has no place.
                #expect(line.contains(":1:") || line.contains("line 1") || line.contains("UTF-8") || line.contains("empty"), "\(shown)")
            }
        }
    }

    @Test("a file where a folder belongs: --out and --save-failures say so, exit 2")
    func fileForFolder() async throws {
        if let staleness = CLI.staleness { throw CLI.StaleBinary(description: staleness) }
        let dir = try Self.files()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("empty.yaml").path
        let run = try await CLI.run(["run", "--mock", "--out", file])
        #expect(run.status == 2)
        #expect(run.stderr.contains("\(file) is a file, not a folder"), "\(run.stderr)")
        let conform = try await CLI.run(["conform", "--mock", "--save-failures", file, "--strict", "--report", "none"])
        #expect(conform.status == 2, "\(conform.stderr)")
        #expect(conform.stderr.contains(file), "\(conform.stderr)")
    }

    @Test("cyclic includes and cyclic $refs are exit 2 naming the cycle")
    func cycles() async throws {
        if let staleness = CLI.staleness { throw CLI.StaleBinary(description: staleness) }
        let dir = try Self.files()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "name: a\ninclude: [b.yaml]\nsteps:\n  - operation: GetMaster\n".write(
            to: dir.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try "name: b\ninclude: [./a.yaml]\nsteps:\n  - operation: GetMaster\n".write(
            to: dir.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        let a = dir.appendingPathComponent("a.yaml").path
        let run = try await CLI.run(["run", a, "--mock"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("b.yaml:2:11: include cycle: \(a) → \(dir.path)/b.yaml → \(dir.path)/./a.yaml"), "\(run.stderr)")

        let spec = #"""
            {"swagger":"2.0","info":{"title":"t","version":"1"},
             "definitions":{"A":{"$ref":"#/definitions/B"},"B":{"$ref":"#/definitions/A"}},
             "paths":{"/x":{"get":{"operationId":"X","responses":{"200":{"description":"ok","schema":{"$ref":"#/definitions/A"}}}}}}}
            """#
        let specPath = dir.appendingPathComponent("cyclic.json").path
        try spec.write(toFile: specPath, atomically: true, encoding: .utf8)
        try "{}".write(toFile: dir.appendingPathComponent("body.json").path, atomically: true, encoding: .utf8)
        let validate = try await CLI.run(["validate", "--spec", specPath, "--op", "X", dir.appendingPathComponent("body.json").path])
        #expect(validate.status == 2)
        #expect(
            validate.stderr.contains("\(specPath)#/definitions/A: schemas refer to each other in a loop that never reaches a value"),
            "\(validate.stderr)")
        let lint = try await CLI.run(["spec", "lint", "--spec", specPath])
        #expect(lint.status == 1, "lint reports the loop as an error: \(lint.stdout)")
    }

    @Test("a spec of 10,000 operations over a 500-schema reference chain loads: spec info and spec ops work")
    func tenThousandOperations() async throws {
        if let staleness = CLI.staleness { throw CLI.StaleBinary(description: staleness) }
        let dir = try Self.files()
        defer { try? FileManager.default.removeItem(at: dir) }
        var paths: [String] = []
        for i in 0..<10_000 {
            paths.append(
                ##""/api/v1/things\##(i)/{id}":{"get":{"operationId":"GetThing\##(i)","tags":["tag\##(i % 50)"],"parameters":[{"name":"id","in":"path","required":true,"type":"integer"}],"responses":{"200":{"description":"ok","schema":{"$ref":"#/definitions/Thing\##(i % 500)"}}}}}"##
            )
        }
        let definitions = (0..<500).map {
            ##""Thing\##($0)":{"type":"object","required":["id"],"properties":{"id":{"type":"integer"},"next":{"$ref":"#/definitions/Thing\##(($0 + 1) % 500)"}}}"##
        }
        let spec =
            #"{"swagger":"2.0","info":{"title":"big","version":"1"},"paths":{"# + paths.joined(separator: ",") + #"},"definitions":{"#
            + definitions.joined(separator: ",") + "}}"
        let path = dir.appendingPathComponent("ops10k.json").path
        try spec.write(toFile: path, atomically: true, encoding: .utf8)
        let info = try await CLI.run(["spec", "info", "--spec", path])
        #expect(info.status == 0, "\(info.stderr)")
        #expect(info.stdout.contains("operations:  10000"), "\(info.stdout)")
        let ops = try await CLI.run(["spec", "ops", "--spec", path, "--tag", "tag7"])
        #expect(ops.status == 0, "\(ops.stderr)")
        #expect(ops.stdout.contains("GetThing9957"), "\(ops.stdout.prefix(500))")
    }
}
