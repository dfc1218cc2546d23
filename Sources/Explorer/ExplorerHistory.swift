import Foundation
import HTTP

/// Where explore keeps its history, and which lines it must never keep.
///
/// `$XDG_STATE_HOME/detapi/history` (default `~/.local/state/detapi/history`), created 0600. A line that
/// carries a secret is not stored: `login` answers are never lines, but `--token …`, `header Authorization: …`,
/// `set password …` and any line holding a value the session knows to be secret are dropped.
public struct ExplorerHistory: Sendable {
    public var path: String
    public static let limit = 1_000

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let state =
            environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/state")
        path = state + "/detapi/history"
    }

    public init(path: String) { self.path = path }

    /// Whether a line may be written to the history file.
    public static func mayKeep(_ line: String, secrets: [String]) -> Bool {
        let lower = line.lowercased()
        let words = lower.split(separator: " ").map(String.init)
        if words.contains("--token") || lower.contains("authorization") || lower.contains("cookie") { return false }
        if let first = words.first, first == "set" || first == "header", words.count > 1, Redactor.isSecretName(words[1]) { return false }
        if lower.contains("password") || lower.contains("\"token\"") { return false }
        return !secrets.contains { !$0.isEmpty && line.contains($0) }
    }

    /// The stored lines, oldest first.
    public func load() -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init)
    }

    /// Appends a line, creating the folder and the file (0600) when missing; keeps the last `limit` lines.
    public func append(_ line: String) {
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var lines = load()
        lines.append(line)
        if lines.count > Self.limit { lines.removeFirst(lines.count - Self.limit) }
        let text = lines.joined(separator: "\n") + "\n"
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else { return }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        handle.truncateFile(atOffset: 0)
        handle.write(Data(text.utf8))
        try? handle.close()
        chmod(path, 0o600)
    }
}
