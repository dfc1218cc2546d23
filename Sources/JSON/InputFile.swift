import Foundation

/// Reads a file a user named (a spec, an overlay, a scenario, a report, a baseline, a body), refusing a
/// missing path, a folder, and a file larger than the caller's limit before reading a byte of it.
///
/// Every command reads its inputs through here, so each of those says the same thing the same way, and a
/// 1 GB file given by mistake is refused at once instead of filling memory.
public enum InputFile {
    /// The limit when the caller gives none: 256 MiB, far more than any spec or scenario.
    public static let defaultLimit = 256 << 20

    /// Why a file could not be read; `description` is one line starting with the path.
    public struct Failure: Error, Sendable, CustomStringConvertible, Equatable {
        public enum Reason: Sendable, Equatable {
            case missing
            case folder
            case tooLarge(size: Int, limit: Int)
            case unreadable
            /// Read, but not UTF-8 text (for `readText`).
            case notText
        }

        public let path: String
        public let reason: Reason
        /// What the file was meant to be ("spec", "overlay", "baseline"), for the message.
        public let what: String

        public init(path: String, reason: Reason, what: String) {
            self.path = path
            self.reason = reason
            self.what = what
        }

        public var message: String {
            let aFile = ("aeiou".contains(what.first ?? "x") ? "an " : "a ") + what + " file"
            switch reason {
            case .missing: return "no such file"
            case .folder: return "is a folder, not \(aFile)"
            case .tooLarge(let size, let limit):
                return "is \(InputFile.describe(size)), more than \(aFile) may be (\(InputFile.describe(limit))); not read"
            case .unreadable: return "cannot be read (permissions?)"
            case .notText: return "cannot read this file as UTF-8 text"
            }
        }

        public var description: String { "\(path): \(message)" }
    }

    /// The kind of thing at `path`, without reading it.
    public enum Kind: Sendable { case missing, file, folder }

    public static func kind(_ path: String) -> Kind {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return .missing }
        return isFolder.boolValue ? .folder : .file
    }

    /// The file's bytes, or why not.
    public static func read(_ path: String, what: String, limit: Int = defaultLimit) -> Result<[UInt8], Failure> {
        switch kind(path) {
        case .missing: return .failure(Failure(path: path, reason: .missing, what: what))
        case .folder: return .failure(Failure(path: path, reason: .folder, what: what))
        case .file: break
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size > limit { return .failure(Failure(path: path, reason: .tooLarge(size: size, limit: limit), what: what)) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(Failure(path: path, reason: .unreadable, what: what))
        }
        // A file that grew past the limit between the size check and the read (a pipe, a log) is refused too.
        if data.count > limit { return .failure(Failure(path: path, reason: .tooLarge(size: data.count, limit: limit), what: what)) }
        return .success(Array(data))
    }

    /// The file's text, or why not (as `read`, and `notText` when it is not UTF-8).
    public static func readText(_ path: String, what: String, limit: Int = defaultLimit) -> Result<String, Failure> {
        read(path, what: what, limit: limit).flatMap { bytes in
            String(validating: bytes, as: UTF8.self).map { .success($0) } ?? .failure(Failure(path: path, reason: .notText, what: what))
        }
    }

    /// `1.0 GiB`, `64 MiB`, `512 bytes`.
    static func describe(_ bytes: Int) -> String {
        if bytes >= 1 << 30 { return String(format: "%.1f GiB", Double(bytes) / Double(1 << 30)) }
        if bytes >= 1 << 20 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
