/// Which spec a command reads, decided in one place from its options and the environment: a file, a URL,
/// detapi's built-in Determined spec, or the spec the master serves (`ClusterSpec`, built-in when it serves none).
///
/// The executable asks twice: `guess(arguments:)` from the raw command line before ArgumentParser runs, so the
/// spec can be loaded in the background while the command starts, and `resolve` from the parsed options,
/// which decides. Both follow the same rules, so the guess is only ever used when it is what `resolve` says.
public struct SpecSelection: Sendable, Equatable {
    /// Where the spec comes from.
    public enum Source: Sendable, Equatable {
        case builtIn
        case file(String)
        case url(String)
        /// The spec `master` serves at /api/v1/api.swagger.json.
        case served(master: String)
    }

    public var source: Source
    /// Overlay files, in order (`--overlay`, else `DETAPI_OVERLAY` split at ':').
    public var overlays: [String]
    /// Whether detapi's overlay of the Determined master's facts applies.
    public var builtInOverlay: Bool

    public init(source: Source, overlays: [String] = [], builtInOverlay: Bool = true) {
        self.source = source
        self.overlays = overlays
        self.builtInOverlay = builtInOverlay
    }

    /// From parsed options: `--spec` (else `DETAPI_SPEC`; `builtin` names the built-in one), else the spec the
    /// master serves when there is a master, else the built-in spec.
    public static func resolve(
        spec: String?, overlays: [String], noBuiltInOverlay: Bool, master: String?, environment: [String: String]
    ) -> SpecSelection {
        let named = spec ?? environment["DETAPI_SPEC"].flatMap { $0.isEmpty ? nil : $0 }
        let files = overlays.isEmpty ? (environment["DETAPI_OVERLAY"] ?? "").split(separator: ":").map(String.init) : overlays
        let source: Source
        switch named {
        case "builtin"?: source = .builtIn
        case let url? where url.hasPrefix("http://") || url.hasPrefix("https://"): source = .url(url)
        case let path?: source = .file(path)
        case nil: source = master.map { .served(master: $0) } ?? .builtIn
        }
        return SpecSelection(source: source, overlays: files, builtInOverlay: !noBuiltInOverlay)
    }

    /// The subcommands that read a spec (`report` does not).
    public static let readers: Set<String> = ["run", "conform", "call", "explore", "validate", "spec", "docs", "mock"]

    /// What `resolve` will say for this command line, read without ArgumentParser.
    ///
    /// nil for a command that reads no spec. `--mock` and `detapi mock` read the built-in spec unless `--spec` names another.
    public static func guess(arguments: [String], environment: [String: String]) -> SpecSelection? {
        guard arguments.count > 1, readers.contains(arguments[1]) else { return nil }
        func values(_ name: String) -> [String] {
            var out: [String] = []
            var i = 2
            while i < arguments.count {
                let word = arguments[i]
                if word == "--" { break }
                if word == name, i + 1 < arguments.count {
                    out.append(arguments[i + 1])
                    i += 2
                    continue
                }
                if word.hasPrefix(name + "=") { out.append(String(word.dropFirst(name.count + 1))) }
                i += 1
            }
            return out
        }
        // `mock` and `validate` never read a master's spec; `--mock` runs against the built-in one.
        let mock = ["mock", "validate"].contains(arguments[1]) || arguments.contains("--mock")
        let master = mock ? nil : values("--master").last ?? environment["DET_MASTER"].flatMap { $0.isEmpty ? nil : $0 }
        return resolve(
            spec: values("--spec").last, overlays: values("--overlay"), noBuiltInOverlay: arguments.contains("--no-builtin-overlay"),
            master: master, environment: environment)
    }
}
