import CEditLine
import Foundation
import HTTP

#if canImport(Glibc)
    import Glibc
#endif

/// libedit's line editor: emacs keys, history (loaded from and saved to `ExplorerHistory`), Tab completion
/// through `ExplorerCompletion`, Ctrl-C drops the line, Ctrl-D ends the session.
public final class EditLineReader: LineReader {
    /// The completion of the running session; libedit calls plain C functions, so it lives here.
    nonisolated(unsafe) static var complete: ((String) -> [String])?
    nonisolated(unsafe) static var candidates: [String] = []
    let history: ExplorerHistory

    public init(history: ExplorerHistory, complete: @escaping (String) -> [String]) {
        self.history = history
        EditLineReader.complete = complete
        // Break words where ExplorerCompletion does, so its candidates replace exactly the word typed.
        detapi_rl_setup(strdup("detapi"), strdup(" \t={")) { text, _, _ in
            let before = String(cString: detapi_rl_line_buffer()).utf8.prefix(Int(detapi_rl_point()))
            EditLineReader.candidates = EditLineReader.complete?(String(decoding: before, as: UTF8.self)) ?? []
            let single = EditLineReader.candidates.count == 1 ? EditLineReader.candidates[0] : ""
            detapi_rl_completion_done(single.hasSuffix("=") || single.hasSuffix("}}") ? 0 : 32)
            return rl_completion_matches(text) { _, state in
                let i = Int(state)
                guard i < EditLineReader.candidates.count else { return nil }
                return strdup(EditLineReader.candidates[i])
            }
        }
        detapi_rl_set_getc { _ in EditLineReader.key() }
        rl_initialize()
        using_history()
        for line in history.load() { add_history(line) }
    }

    /// One byte of input for libedit.
    ///
    /// It waits on the terminal and on `TerminalInterrupt`'s wake pipe, and answers
    /// Enter after Ctrl-C, so that libedit hands back the line and `read(prompt:)` drops it: libedit alone retries
    /// its read and keeps the typed text, and the next line ran as `envvars`.
    static func key() -> Int32 {
        var byte: UInt8 = 0
        while true {
            if TerminalInterrupt.pending != 0 { return 13 }
            var waits = [
                pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                pollfd(fd: TerminalInterrupt.wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            if poll(&waits, TerminalInterrupt.wakeRead >= 0 ? 2 : 1, -1) < 0 {
                if errno == EINTR { continue }
                return EOF
            }
            if waits[1].revents != 0 {
                TerminalInterrupt.drainWake()
                continue
            }
            let n = Glibc.read(STDIN_FILENO, &byte, 1)
            if n == 1 { return Int32(byte) }
            if n < 0, errno == EINTR || errno == EAGAIN { continue }
            return EOF
        }
    }

    public func read(prompt: String) -> LineRead {
        _ = TerminalInterrupt.take()
        guard let raw = readline(prompt) else {
            if TerminalInterrupt.take() {
                FileHandle.standardOutput.write(Data("\n".utf8))
                return .interrupted
            }
            return .end
        }
        defer { free(raw) }
        if TerminalInterrupt.take() { return .interrupted }
        return .line(String(cString: raw))
    }

    public func remember(_ line: String, secrets: [String]) {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty, ExplorerHistory.mayKeep(line, secrets: secrets) else { return }
        add_history(line)
        history.append(line)
    }
}
