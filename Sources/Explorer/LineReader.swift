import Foundation

/// Where explore's lines come from: libedit at a terminal, plain stdin lines for scripts and tests.
public protocol LineReader: AnyObject {
    func read(prompt: String) -> LineRead
    /// Offers a line to the history (the reader keeps only what `ExplorerHistory.mayKeep` allows).
    func remember(_ line: String, secrets: [String])
}

/// One read.
public enum LineRead: Sendable, Equatable {
    case line(String)
    /// Ctrl-C: the line typed so far is dropped.
    case interrupted
    /// Ctrl-D or the end of the script.
    case end
}

/// Lines from stdin with no prompt, no editing and no history: script mode.
public final class PlainLineReader: LineReader {
    public init() {}
    public func read(prompt: String) -> LineRead { Swift.readLine(strippingNewline: true).map(LineRead.line) ?? .end }
    public func remember(_ line: String, secrets: [String]) {}
}

/// Ctrl-C at a terminal: a flag set by a signal handler (installed without SA_RESTART, so a blocked read
/// returns), read by the line reader (drop the line) and by the request watcher (cancel the request).
public enum TerminalInterrupt {
    nonisolated(unsafe) static var pending: sig_atomic_t = 0

    public static func install() {
        var action = sigaction()
        #if os(Linux)
            action.__sigaction_handler.sa_handler = { _ in TerminalInterrupt.pending = 1 }
        #else
            action.__sigaction_u.__sa_handler = { _ in TerminalInterrupt.pending = 1 }
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }

    /// Whether Ctrl-C was pressed since the last call (and clears it).
    public static func take() -> Bool {
        let was = pending != 0
        pending = 0
        return was
    }
}
