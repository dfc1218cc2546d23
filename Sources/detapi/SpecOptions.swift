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

    var resolvedSpec: String? {
        spec ?? ProcessInfo.processInfo.environment["DETAPI_SPEC"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Loads the spec; any problem ends the command with exit 2 and a message naming file and pointer.
    func load(strict: Bool) async throws -> APIModel {
        do {
            guard let source = resolvedSpec else {
                // Loaded strictly; the built-in spec has no lint errors, so a lenient load would be the same.
                return try await BuiltInSpec.model()
            }
            if source.hasPrefix("http://") || source.hasPrefix("https://") {
                return try await SpecFetcher(client: HTTPClient()).load(url: source, strict: strict)
            }
            return try SpecLoader.load(path: source, strict: strict)
        } catch {
            throw CommandFailure.usage("spec \(error)")
        }
    }
}
