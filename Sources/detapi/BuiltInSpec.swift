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

    /// The subcommands that read a spec (`report` does not).
    static let readers: Set<String> = ["run", "conform", "call", "explore", "validate", "spec", "mock"]

    /// Starts loading for a subcommand that reads a spec, unless the command line or the environment names
    /// another one or an overlay, or a master whose own spec will be read instead (`ClusterSpec`).
    static func prefetch(arguments: [String]) {
        let fromMaster =
            arguments.count > 1 && arguments[1] != "mock" && !arguments.contains("--mock")
            && (arguments.contains { $0 == "--master" || $0.hasPrefix("--master=") }
                || !(ProcessInfo.processInfo.environment["DET_MASTER"] ?? "").isEmpty)
        guard arguments.count > 1, readers.contains(arguments[1]), !fromMaster,
            !arguments.contains(where: { $0 == "--spec" || $0.hasPrefix("--spec=") || $0 == "--overlay" || $0.hasPrefix("--overlay=") }),
            (ProcessInfo.processInfo.environment["DETAPI_SPEC"] ?? "").isEmpty,
            // An overlay changes the built-in spec, which is then loaded with it instead.
            (ProcessInfo.processInfo.environment["DETAPI_OVERLAY"] ?? "").isEmpty
        else { return }
        _ = task
    }

    /// The loaded model (waiting for the background load if it is still running).
    static func model() async throws(SpecError) -> APIModel {
        try await task.value.get()
    }
}
