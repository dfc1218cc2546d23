import Foundation

/// Writes to stdout and stderr; the one place the executable touches the terminal.
enum Console {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func outBytes(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }

    /// A line on stderr.
    static func err(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Text that ends in its own newline (or is empty) on stderr.
    static func errText(_ text: String) {
        guard !text.isEmpty else { return }
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// `detapi: error: …` on stderr.
    static func error(_ message: String) {
        let text = message.hasPrefix("Error:") ? message : "detapi: error: \(message)"
        err(text)
    }

    static func flush() {}

    /// Whether stderr is a terminal that wants colour (never with NO_COLOR).
    static var stderrColor: Bool {
        ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(2) == 1
    }

    static var stdoutColor: Bool {
        ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(1) == 1
    }
}
