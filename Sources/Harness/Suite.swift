import Foundation
import JSON

/// The scenarios of one run: found (files, folders, or the built-in ones), parsed, selected by tag and name,
/// split into a shard and repeated; `Scheduler` then decides when each runs.
public struct Suite: Sendable {
    /// Every scenario that was found, in order: files sorted by path within each folder, as given.
    public var all: [Scenario]
    /// Those that pass `--tag`/`--grep`.
    public var selected: [Scenario]
    /// Those of this shard (all selected ones without `--shard`).
    public var scenarios: [Scenario]
    /// The order they run in: `scenarios` repeated `repeat` times.
    public var queue: [Scenario]

    /// What to run of the scenarios found.
    public struct Selection: Sendable {
        public var tags: [String] = []
        public var grep: String?
        public var shard: Shard?
        public var `repeat` = 1

        public init(tags: [String] = [], grep: String? = nil, shard: Shard? = nil, repeat: Int = 1) {
            self.tags = tags
            self.grep = grep
            self.shard = shard
            self.repeat = `repeat`
        }

        /// A scenario matches when it has one of the tags (or none were asked for) and its name contains the
        /// `grep` text, in any case.
        public func matches(_ s: Scenario) -> Bool {
            (tags.isEmpty || !Set(tags).isDisjoint(with: s.tags)) && (grep.map { s.name.lowercased().contains($0.lowercased()) } ?? true)
        }
    }

    /// Selects from parsed scenarios; nothing matching the selection is an error that says what was asked.
    public init(_ all: [Scenario], selection: Selection) throws(HarnessError) {
        self.all = all
        selected = all.filter(selection.matches)
        if selected.isEmpty {
            var asked: [String] = []
            if !selection.tags.isEmpty { asked.append("--tag \(selection.tags.joined(separator: ", "))") }
            if let grep = selection.grep { asked.append("--grep '\(grep)'") }
            let names = all.map(\.name).prefix(8).joined(separator: ", ")
            throw HarnessError(
                message: all.isEmpty
                    ? "no scenarios to run"
                    : "no scenario matches \(asked.joined(separator: " and ")) (there are \(all.count): \(names)\(all.count > 8 ? ", …" : ""))"
            )
        }
        // A shard can be empty (more shards than scenarios): it still writes its (empty) reports, so a merge
        // step finds every shard's file.
        let picked = selected
        scenarios =
            selection.shard.map { shard in picked.enumerated().filter { shard.holds(position: $0.offset) }.map(\.element) } ?? picked
        queue = Array(Array(repeating: scenarios, count: max(1, selection.repeat)).joined())
    }

    /// Reads and parses scenario files; no paths means the built-in scenarios.
    ///
    /// Each path is a file, or a folder whose `*.yaml`/`*.yml` files are read in name order. `include:` files are read relative to the includer, then
    /// from the built-in ones.
    public static func load(paths: [String], files: ScenarioFiles = .local) throws(HarnessError) -> [Scenario] {
        var sources: [(file: String, text: String)] = []
        if paths.isEmpty {
            sources = EmbeddedScenarios.all
        } else {
            for path in paths {
                switch files.kind(path) {
                case .missing: throw HarnessError(file: path, message: "no such file or folder")
                case .folder:
                    let names = files.list(path).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                    guard !names.isEmpty else { throw HarnessError(file: path, message: "a folder with no *.yaml or *.yml scenario files") }
                    for name in names {
                        let file = (path.hasSuffix("/") ? path : path + "/") + name
                        sources.append((file, try read(file, files)))
                    }
                case .file: sources.append((path, try read(path, files)))
                }
            }
        }
        var scenarios: [Scenario] = []
        for source in sources {
            scenarios.append(
                try ScenarioParser.parse(source.text, file: source.file) { path in
                    (try? files.text(path).get()) ?? EmbeddedScenarios.all.first { $0.file == path }?.text
                })
        }
        return scenarios
    }

    private static func read(_ file: String, _ files: ScenarioFiles) throws(HarnessError) -> String {
        switch files.text(file) {
        case .success(let text): return text
        case .failure(let failure): throw HarnessError(file: file, message: failure.message)
        }
    }
}

/// How `Suite.load` reads files: the real file system, or a dictionary in tests.
public struct ScenarioFiles: Sendable {
    public typealias Kind = InputFile.Kind
    public var kind: @Sendable (String) -> Kind
    public var list: @Sendable (String) -> [String]
    /// A scenario file's text, or why it cannot be one (missing, a folder, too large, not UTF-8).
    public var text: @Sendable (String) -> Result<String, InputFile.Failure>

    public init(
        kind: @escaping @Sendable (String) -> Kind, list: @escaping @Sendable (String) -> [String],
        text: @escaping @Sendable (String) -> Result<String, InputFile.Failure>
    ) {
        self.kind = kind
        self.list = list
        self.text = text
    }

    /// The file system.
    public static let local = ScenarioFiles(
        kind: InputFile.kind,
        list: { (try? FileManager.default.contentsOfDirectory(atPath: $0)) ?? [] },
        text: { InputFile.readText($0, what: "scenario", limit: ScenarioFiles.limit) })

    /// The largest scenario file read: 16 MiB.
    public static let limit = 16 << 20

    /// Files held in memory, by path (folders are the prefixes of the paths).
    public static func memory(_ files: [String: String]) -> ScenarioFiles {
        ScenarioFiles(
            kind: { path in
                if files[path] != nil { return .file }
                let prefix = path.hasSuffix("/") ? path : path + "/"
                return files.keys.contains { $0.hasPrefix(prefix) } ? .folder : .missing
            },
            list: { path in
                let prefix = path.hasSuffix("/") ? path : path + "/"
                return files.keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }.filter { !$0.contains("/") }
            },
            text: { path in files[path].map { .success($0) } ?? .failure(InputFile.Failure(path: path, reason: .missing, what: "scenario"))
            })
    }
}
