import Foundation
import JSON
import Synchronization

/// The record of what a `conform --allow-writes` run created, written before each create is sent and after its
/// answer and its delete, so that whatever stops the run (a failure, Ctrl-C, SIGTERM, SIGKILL) the objects are
/// known: the run deletes them in reverse order, and `conform --cleanup LEDGER` deletes what a killed run left.
public final class ConformLedger: Sendable {
    /// One object: intended before the create is sent, created once the answer names it, deleted at the end.
    public struct Entry: Sendable, Equatable {
        public enum State: String, Sendable { case intended, created, deleted }
        public var noun: String
        /// The name the run gave it (how an intended object is found again when its create's answer was lost).
        public var name: String
        public var create: String
        public var delete: String
        /// The delete's path values, by parameter (set when the object is created).
        public var path: [(String, JSONValue)]
        public var state: State

        public static func == (a: Entry, b: Entry) -> Bool {
            a.noun == b.noun && a.name == b.name && a.create == b.create && a.delete == b.delete && a.state == b.state
                && a.path.map(\.0) == b.path.map(\.0) && a.path.map(\.1) == b.path.map(\.1)
        }
    }

    public let file: String?
    public let runID: String
    public let master: String
    private let entries: Mutex<[Entry]>

    public init(file: String?, runID: String, master: String, entries: [Entry] = []) {
        self.file = file
        self.runID = runID
        self.master = master
        self.entries = Mutex(entries)
    }

    public var all: [Entry] { entries.withLock { $0 } }

    /// Records an object about to be created; returns its index.
    public func intend(noun: String, name: String, create: String, delete: String) -> Int {
        let i = entries.withLock { e in
            e.append(Entry(noun: noun, name: name, create: create, delete: delete, path: [], state: .intended))
            return e.count - 1
        }
        save()
        return i
    }

    public func created(_ i: Int, path: [(String, JSONValue)]) {
        entries.withLock { e in
            e[i].path = path
            e[i].state = .created
        }
        save()
    }

    public func deleted(_ i: Int) {
        entries.withLock { $0[i].state = .deleted }
        save()
    }

    /// The ledger as JSON (`format: 1`).
    public var json: JSONValue {
        let rows: [JSONValue] = all.map { e in
            .object(
                JSONObject([
                    .init(key: "noun", value: .string(e.noun)), .init(key: "name", value: .string(e.name)),
                    .init(key: "create", value: .string(e.create)), .init(key: "delete", value: .string(e.delete)),
                    .init(key: "path", value: .object(JSONObject(e.path.map { JSONObject.Member(key: $0.0, value: $0.1) }))),
                    .init(key: "state", value: .string(e.state.rawValue)),
                ]))
        }
        return .object(
            JSONObject([
                .init(key: "format", value: 1), .init(key: "runId", value: .string(runID)), .init(key: "master", value: .string(master)),
                .init(key: "objects", value: .array(rows)),
            ]))
    }

    /// Writes the file atomically (temporary file, then rename), so a kill never leaves half a ledger.
    private func save() {
        guard let file else { return }
        let bytes = JSONWriter(style: .pretty(indent: 2)).bytes(json) + [0x0A]
        let temporary = file + ".tmp-\(getpid())"
        if FileManager.default.createFile(atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) {
            _ = rename(temporary, file)
        }
    }

    /// Reads a ledger file; the error names the file and what is wrong.
    public static func read(_ path: String) -> Result<ConformLedger, HarnessError> {
        let bytes: [UInt8]
        switch InputFile.read(path, what: "ledger") {
        case .success(let b): bytes = b
        case .failure(let failure): return .failure(HarnessError(message: "--cleanup \(failure)"))
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes)
        } catch {
            return .failure(HarnessError(message: "--cleanup \(path):\(error.line):\(error.column): not JSON (\(error.message))"))
        }
        guard value["format"]?.intValue == 1, let runID = value["runId"]?.stringValue, let objects = value["objects"]?.arrayValue else {
            return .failure(HarnessError(message: "--cleanup \(path): not a ledger detapi conform wrote (no format 1, runId and objects)"))
        }
        var entries: [Entry] = []
        for (n, o) in objects.enumerated() {
            guard let noun = o["noun"]?.stringValue, let name = o["name"]?.stringValue, let create = o["create"]?.stringValue,
                let delete = o["delete"]?.stringValue, let state = o["state"]?.stringValue.flatMap(Entry.State.init)
            else {
                return .failure(HarnessError(message: "--cleanup \(path): /objects/\(n) lacks noun, name, create, delete or state"))
            }
            let pathValues = (o["path"]?.objectValue ?? JSONObject()).map { ($0.key, $0.value) }
            entries.append(Entry(noun: noun, name: name, create: create, delete: delete, path: pathValues, state: state))
        }
        return .success(ConformLedger(file: path, runID: runID, master: value["master"]?.stringValue ?? "", entries: entries))
    }
}
