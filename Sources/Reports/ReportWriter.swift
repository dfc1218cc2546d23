import Foundation

/// Writes report files atomically (a temporary file renamed into place), creating the folder.
///
/// A report holds request and response headers and bodies; secrets are redacted, but an answer may carry a
/// credential detapi cannot know is one, so reports (and baselines) are created 0600 unless the caller says
/// the file is public (the API page).
public enum ReportWriter {
    /// A report that could not be written, with the system's reason in words ("Not a directory").
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public static func write(_ text: String, to path: String, mode: mode_t = 0o600) throws(WriteError) {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        try makeFolders(url.deletingLastPathComponent().path, for: path)
        do {
            try Data(text.utf8).write(to: temporary)
        } catch {
            throw WriteError(path: path, reason: reason(error))
        }
        // Before the rename, so the file is never readable by others under its real name.
        chmod(temporary.path, mode)
        if rename(temporary.path, url.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(path: path, reason: String(cString: strerror(code)))
        }
    }

    /// Creates `folder` and proves a file can be written there, so a long run does not end in "cannot write".
    public static func prepare(folder: String) throws(WriteError) {
        let probe = URL(fileURLWithPath: folder).appendingPathComponent(".detapi-probe-\(getpid())").path
        try write("", to: probe)
        unlink(probe)
    }

    /// `mkdir -p`, with the reason in words when a part of the path is a file or cannot be created.
    private static func makeFolders(_ folder: String, for path: String) throws(WriteError) {
        var current = folder.hasPrefix("/") ? "" : "."
        for part in folder.split(separator: "/") {
            current += "/" + part
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: current, isDirectory: &isFolder) {
                guard isFolder.boolValue else { throw WriteError(path: path, reason: "\(current) is a file, not a folder") }
                continue
            }
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw WriteError(path: path, reason: "cannot create \(current): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// The POSIX reason under a Foundation file error, which otherwise prints as an NSError dump.
    private static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }
}
