import Foundation
import OpenAPI

/// detapi's own Determined spec, embedded in the binary, loaded on a background task from the first line of
/// `main` so that it is ready by the time the command line is parsed (a few milliseconds saved on every run).
enum BuiltInSpec {
    private static let task = Task.detached(priority: .userInitiated) { () -> Result<APIModel, SpecError> in
        Result { () throws(SpecError) in
            try SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source, strict: true)
        }
    }

    /// Starts loading, unless the command line or the environment names another spec.
    static func prefetch(arguments: [String]) {
        guard !arguments.contains(where: { $0 == "--spec" || $0.hasPrefix("--spec=") }),
            (ProcessInfo.processInfo.environment["DETAPI_SPEC"] ?? "").isEmpty
        else { return }
        _ = task
    }

    /// The loaded model (waiting for the background load if it is still running).
    static func model() async throws(SpecError) -> APIModel {
        try await task.value.get()
    }
}
