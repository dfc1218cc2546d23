import CEditLine
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The terminal side of a session: output to stdout, questions through libedit, passwords without echo,
/// bodies edited in `$VISUAL`/`$EDITOR`.
public final class TerminalIO: ExplorerIO, @unchecked Sendable {
    public let isInteractive = true
    public let color: Bool

    public init(color: Bool) { self.color = color }

    public func write(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }

    public func ask(_ prompt: String, secret: Bool) -> String? {
        guard secret else {
            guard let raw = readline(prompt) else { return nil }
            defer { free(raw) }
            return String(cString: raw)
        }
        write(prompt)
        var saved = termios()
        let isTerminal = tcgetattr(0, &saved) == 0
        if isTerminal {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(0, TCSANOW, &quiet)
        }
        let answer = Swift.readLine(strippingNewline: true)
        if isTerminal { tcsetattr(0, TCSANOW, &saved) }
        write("\n")
        return answer
    }

    /// Text taller than the terminal goes through `$PAGER` (default `less -R`; an empty `PAGER` or `cat` turns
    /// paging off), which gets the terminal until it quits.
    public func page(_ text: String) -> Bool {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return false }
        let lines = text.reduce(into: 0) { n, c in if c == "\n" { n += 1 } }
        guard lines > Int(size.ws_row) - 3 else { return false }
        let pager = ProcessInfo.processInfo.environment["PAGER"] ?? "less -R"
        guard !pager.trimmingCharacters(in: .whitespaces).isEmpty, pager != "cat" else { return false }
        return Self.foreground(pager, input: Array(text.utf8))
    }

    /// Runs `/bin/sh -c command` in this process group (so it owns the terminal, as a pager reading keys from
    /// /dev/tty must; Foundation's Process gives the child a group of its own), feeding `input` on its stdin.
    static func foreground(_ command: String, input: [UInt8]) -> Bool {
        var pipe: [Int32] = [-1, -1]
        // Close-on-exec: another child spawned meanwhile must not inherit it and hold the pager's stdin open.
        guard detapi_pipe_cloexec(&pipe, 0) == 0 else { return false }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[0], 0)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        posix_spawn_file_actions_addclose(&actions, pipe[1])
        let words: [String] = ["/bin/sh", "-c", command]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
        close(pipe[0])
        guard spawned == 0 else {
            close(pipe[1])
            return false
        }
        // The pager reads at its own pace; a quit before the end closes the pipe, which is fine.
        signal(SIGPIPE, SIG_IGN)
        var offset = 0
        while offset < input.count {
            let n = input[offset...].withUnsafeBytes { Glibc.write(pipe[1], $0.baseAddress, $0.count) }
            if n <= 0 { break }
            offset += n
        }
        close(pipe[1])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return true
    }

    public func edit(_ text: String) -> String? {
        let environment = ProcessInfo.processInfo.environment
        guard let editor = (environment["VISUAL"] ?? environment["EDITOR"]).flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-body-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        guard FileManager.default.createFile(atPath: file, contents: Data((text + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$1\"", "editor", file]
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: file) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
