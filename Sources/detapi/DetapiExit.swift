import ArgumentParser
import Harness

/// detapi's exit codes, the same for every command (see `detapi --help`).
enum DetapiExit: Int32 {
    case ok = 0
    case checkFailed = 1
    case usage = 2
    case transport = 3
}

extension DetapiExit {
    /// The exit code of a run's verdict.
    static func of(_ results: [ScenarioResult]) -> DetapiExit {
        switch RunVerdict(results) {
        case .passed: return .ok
        case .checkFailed: return .checkFailed
        case .unreachable: return .transport
        }
    }
}

/// An error that ends a command with a one-line message and a specific exit code.
struct CommandFailure: Error, CustomStringConvertible {
    let exitCode: DetapiExit
    let message: String

    init(_ exitCode: DetapiExit, _ message: String) {
        self.exitCode = exitCode
        self.message = message
    }

    static func usage(_ message: String) -> CommandFailure { CommandFailure(.usage, message) }

    var description: String { message }
}
