import CEditLine
import Foundation

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
