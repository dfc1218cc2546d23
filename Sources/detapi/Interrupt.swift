import Dispatch
import Foundation
import Synchronization

/// Ctrl-C during `detapi run`: the first one lets the current request finish, skips the remaining steps and
/// runs `finally` (so a cluster is left as found); a second one exits at once with 130.
enum Interrupt {
    private static let count = Atomic<Int>(0)
    nonisolated(unsafe) private static var source: (any DispatchSourceSignal)?

    /// Starts listening for SIGINT and returns the flag the runner polls.
    static func install() -> @Sendable () -> Bool {
        signal(SIGINT, SIG_IGN)
        let s = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        s.setEventHandler {
            let n = count.add(1, ordering: .relaxed).newValue
            if n == 1 {
                FileHandle.standardError.write(
                    Data("\ndetapi: interrupted; skipping the remaining steps and running finally (Ctrl-C again to quit now)\n".utf8))
            } else {
                exit(130)
            }
        }
        s.resume()
        source = s
        return { count.load(ordering: .relaxed) > 0 }
    }
}
