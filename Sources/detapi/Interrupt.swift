import Dispatch
import Foundation
import Synchronization

/// Ctrl-C, or a CI system cancelling the job (SIGTERM: GitHub Actions, GitLab and Jenkins all send it), during
/// `detapi run`: the first signal lets the current request finish, skips the remaining steps and runs
/// `finally` (so a cluster is left as found); a second one exits at once (130 for SIGINT, 143 for SIGTERM).
enum Interrupt {
    private static let count = Atomic<Int>(0)
    /// The first signal's number, 0 before any.
    private static let first = Atomic<Int32>(0)
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    /// Starts listening for SIGINT and SIGTERM and returns the flag the runner polls.
    static func install() -> @Sendable () -> Bool {
        for (signalNumber, name, code) in [(SIGINT, "Ctrl-C", Int32(130)), (SIGTERM, "SIGTERM", Int32(143))] {
            signal(signalNumber, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            s.setEventHandler {
                let n = count.add(1, ordering: .relaxed).newValue
                if n == 1 {
                    first.store(signalNumber, ordering: .relaxed)
                    FileHandle.standardError.write(
                        Data("\ndetapi: \(name): skipping the remaining steps and running finally (send it again to quit now)\n".utf8))
                } else {
                    exit(code)
                }
            }
            s.resume()
            sources.append(s)
        }
        return { count.load(ordering: .relaxed) > 0 }
    }

    /// The signal that stopped the run, with the exit code it ends with (130 for SIGINT, 143 for SIGTERM); nil
    /// when none came.
    static var received: (name: String, exitCode: Int32)? {
        switch first.load(ordering: .relaxed) {
        case SIGINT: return ("SIGINT", 130)
        case SIGTERM: return ("SIGTERM", 143)
        default: return nil
        }
    }
}
