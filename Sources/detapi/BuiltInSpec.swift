import Foundation
import Harness
import OpenAPI
import Synchronization

/// The spec a command will read, loaded on a background task from the first line of `main`, so that it is
/// ready by the time the command line is parsed: detapi's own embedded spec, or the cached copy of the spec a
/// master serves (used when the master answers that it has not changed).
///
/// What is loaded is `SpecSelection.guess`; `SpecOptions` uses it only when its own `resolve` agrees.
enum BuiltInSpec {
    private static let task = Task.detached(priority: .userInitiated) { () -> Result<APIModel, SpecError> in
        Result { () throws(SpecError) in
            try SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source, strict: true)
        }
    }

    /// The cached served spec's load, by the spec's URL.
    private static let served = Mutex<(url: String, task: Task<APIModel?, Never>)?>(nil)

    /// Starts loading what this command line will read, unless overlays change it (then it is loaded with them).
    static func prefetch(arguments: [String]) {
        guard let guess = SpecSelection.guess(arguments: arguments, environment: ProcessInfo.processInfo.environment),
            guess.overlays.isEmpty
        else { return }
        switch guess.source {
        case .builtIn:
            _ = task
        case .served(let master) where guess.builtInOverlay:
            guard let bytes = ClusterSpec.cached(master: master) else { return }
            let url = ClusterSpec.url(master: master)
            let load = Task.detached(priority: .userInitiated) {
                try? SpecLoader.load(bytes: bytes, source: url, uri: url, strict: false, resolver: .none, overlays: SpecOverlays([]))
            }
            served.withLock { $0 = (url, load) }
        default: return
        }
    }

    /// The loaded model (waiting for the background load if it is still running).
    static func model() async throws(SpecError) -> APIModel {
        try await task.value.get()
    }

    /// The model of the cached copy of the spec at `url`, when the prefetch loaded those same bytes.
    static func cachedServed(url: String) async -> APIModel? {
        guard let load = served.withLock({ $0?.url == url ? $0?.task : nil }) else { return nil }
        return await load.value
    }
}
