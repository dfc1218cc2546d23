import ArgumentParser
import Foundation
import HTTP
import OpenAPI

/// Which spec to read; shared by every command that needs one.
struct SpecOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "OpenAPI spec: a JSON/YAML file or an http(s) URL [default: $DETAPI_SPEC, else detapi's built-in Determined spec].",
            valueName: "file-or-url"))
    var spec: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "An OpenAPI Overlay 1.0 file applied to the spec when it is loaded (repeatable, in order) [default: $DETAPI_OVERLAY, files separated by ':'].",
            valueName: "file"))
    var overlay: [String] = []

    @Flag(name: .customLong("no-builtin-overlay"), help: "Do not apply detapi's overlay of what the Determined master really sends.")
    var noBuiltinOverlay = false

    var resolvedOverlays: [String] {
        overlay.isEmpty
            ? (ProcessInfo.processInfo.environment["DETAPI_OVERLAY"] ?? "").split(separator: ":").map(String.init) : overlay
    }

    /// The overlays to apply; a bad one ends the command with exit 2 naming its file and line.
    func overlays() throws -> SpecOverlays {
        var list: [Overlay] = []
        for file in resolvedOverlays {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandFailure.usage("--overlay \(file): no such file, or it cannot be read.")
            }
            do {
                list.append(try Overlay.parse(Array(data), source: file))
            } catch {
                throw CommandFailure.usage("overlay \(error)")
            }
        }
        return SpecOverlays(list, builtIn: !noBuiltinOverlay)
    }

    var resolvedSpec: String? {
        spec ?? ProcessInfo.processInfo.environment["DETAPI_SPEC"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Loads the spec; any problem ends the command with exit 2 and a message naming file and pointer.
    func load(strict: Bool) async throws -> APIModel {
        let overlays = try overlays()
        do {
            guard let source = resolvedSpec else {
                // Loaded strictly; the built-in spec has no lint errors, so a lenient load would be the same.
                guard !overlays.overlays.isEmpty else { return try await BuiltInSpec.model() }
                return try SpecLoader.load(
                    bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source, strict: strict, overlays: overlays)
            }
            if source.hasPrefix("http://") || source.hasPrefix("https://") {
                return try await SpecFetcher(client: HTTPClient()).load(url: source, strict: strict, overlays: overlays)
            }
            return try SpecLoader.load(path: source, strict: strict, overlays: overlays)
        } catch {
            throw CommandFailure.usage("spec \(error)")
        }
    }
}
