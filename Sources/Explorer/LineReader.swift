import CEditLine
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

/// Ctrl-C at a terminal: a flag a signal handler sets.
///
/// The line reader reads it (drop the line), and so does the request watcher (cancel the request). The handler also writes a byte to a pipe the line reader polls: the signal
/// may land on any of the process's threads, so it cannot be relied on to interrupt the main thread's wait.
public enum TerminalInterrupt {
    nonisolated(unsafe) static var pending: sig_atomic_t = 0
    /// The pipe's ends: the handler writes to `wakeWrite`, the line reader polls `wakeRead`.
    nonisolated(unsafe) static var wakeWrite: Int32 = -1
    nonisolated(unsafe) static var wakeRead: Int32 = -1

    public static func install() {
        var ends: [Int32] = [-1, -1]
        if detapi_pipe_cloexec(&ends, 1) == 0 {
            wakeRead = ends[0]
            wakeWrite = ends[1]
        }
        var action = sigaction()
        #if os(Linux)
            action.__sigaction_handler.sa_handler = { _ in TerminalInterrupt.interrupted() }
        #else
            action.__sigaction_u.__sa_handler = { _ in TerminalInterrupt.interrupted() }
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }

    /// In the signal handler: only a flag and a `write`, both async-signal-safe.
    private static func interrupted() {
        pending = 1
        var byte: UInt8 = 1
        if wakeWrite >= 0 { _ = write(wakeWrite, &byte, 1) }
    }

    /// Empties the wake pipe (its bytes only say "look at `pending`").
    static func drainWake() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while wakeRead >= 0, read(wakeRead, &buffer, buffer.count) > 0 {}
    }

    /// Whether Ctrl-C was pressed since the last call (and clears it).
    public static func take() -> Bool {
        let was = pending != 0
        pending = 0
        return was
    }
}
