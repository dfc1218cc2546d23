import Foundation
import JSON

/// The findings a team has accepted (`conform --baseline FILE`): a run fails only on findings not in it, and
/// reports the accepted ones apart, and the entries that no longer occur.
///
/// The file is JSON that `--update-baseline` writes (sorted, so that a diff reads well):
/// ```json
/// {"detapi": "conform baseline", "format": 1, "findings": [
///   {"operation": "GetUsers", "check": "not_a_server_error", "pointer": "", "variant": "limit=-1", "message": "…"}]}
/// ```
/// `variant` (the varied parameter) and `message` may be left out; an entry without `variant` matches any.
public struct ConformBaseline: Sendable, Hashable {
    /// One accepted finding.
    public struct Entry: Sendable, Hashable, Comparable {
        public var operation: String
        public var check: String
        /// The JSON pointer into the body ("" when the finding is not about a place in the body).
        public var pointer: String
        public var variant: String?
        /// What the finding said when it was accepted; for readers, not matched.
        public var message: String

        public init(operation: String, check: String, pointer: String, variant: String?, message: String = "") {
            self.operation = operation
            self.check = check
            self.pointer = pointer
            self.variant = variant
            self.message = message
        }

        /// The entry that accepts `failure` of `operation`; `message` is its sentence, for readers of the file.
        public init(operation: String, failure: CheckFailure, message: String = "") {
            self.init(
                operation: operation, check: failure.kind.rawValue, pointer: Self.pointer(failure.location),
                variant: failure.variant.isEmpty ? nil : failure.variant, message: message)
        }

        public func matches(operation: String, _ failure: CheckFailure) -> Bool {
            operation == self.operation && failure.kind.rawValue == check && Self.pointer(failure.location) == pointer
                && (variant == nil || variant == failure.variant)
        }

        static func pointer(_ location: CheckFailure.Location) -> String {
            if case .body(let pointer) = location { return pointer }
            return ""
        }

        public static func < (a: Entry, b: Entry) -> Bool {
            (a.operation, a.check, a.pointer, a.variant ?? "") < (b.operation, b.check, b.pointer, b.variant ?? "")
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// Reads a baseline file; every problem names the file and, inside it, the line or the JSON pointer.
    public static func read(_ path: String, maxBytes: Int = 64 << 20) throws(HarnessError) -> ConformBaseline {
        switch InputFile.read(path, what: "baseline", limit: maxBytes) {
        case .success(let bytes): return try parse(bytes, file: path)
        case .failure(let failure) where failure.reason == .missing:
            throw HarnessError(file: path, message: "no such baseline file (write one with --update-baseline)")
        case .failure(let failure): throw HarnessError(file: path, message: failure.message)
        }
    }

    public static func parse(_ bytes: [UInt8], file: String) throws(HarnessError) -> ConformBaseline {
        let root: JSONValue
        do {
            root = try JSONValue(parsing: bytes)
        } catch let error as JSONParseError {
            throw HarnessError(file: file, line: error.line, column: error.column, message: "not a baseline: \(error.message)")
        } catch {
            throw HarnessError(file: file, message: "not a baseline: \(error)")
        }
        func fail(_ pointer: String, _ message: String) -> HarnessError { HarnessError(file: file, message: "\(pointer): \(message)") }
        guard root.objectValue != nil else { throw fail("(root)", "a baseline is an object with \"findings\"") }
        if let format = root["format"], format.intValue != 1 {
            throw fail("/format", "format \(JSONWriter().string(format)) is not one this detapi reads (1)")
        }
        guard let list = root["findings"]?.arrayValue else { throw fail("/findings", "missing: a list of accepted findings") }
        var entries: [Entry] = []
        for (i, item) in list.enumerated() {
            func text(_ key: String, required: Bool) throws(HarnessError) -> String? {
                guard let v = item[key], !v.isNull else {
                    if required { throw fail("/findings/\(i)/\(key)", "missing") }
                    return nil
                }
                guard let s = v.stringValue else { throw fail("/findings/\(i)/\(key)", "is \(v.typeName), expected a string") }
                return s
            }
            guard item.objectValue != nil else { throw fail("/findings/\(i)", "is \(item.typeName), expected an object") }
            let check = try text("check", required: true) ?? ""
            guard ConformCheck(rawValue: check) != nil else {
                throw fail(
                    "/findings/\(i)/check",
                    "unknown check '\(check)' (checks: \(ConformCheck.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            entries.append(
                Entry(
                    operation: try text("operation", required: true) ?? "", check: check,
                    pointer: try text("pointer", required: false) ?? "",
                    variant: try text("variant", required: false), message: try text("message", required: false) ?? ""))
        }
        return ConformBaseline(entries: entries)
    }

    /// The file `--update-baseline` writes.
    public func text() -> String {
        var lines: [String] = []
        for e in Set(entries).sorted() {
            var members: [JSONObject.Member] = [
                .init(key: "operation", value: .string(e.operation)), .init(key: "check", value: .string(e.check)),
                .init(key: "pointer", value: .string(e.pointer)),
            ]
            if let v = e.variant { members.append(.init(key: "variant", value: .string(v))) }
            if !e.message.isEmpty { members.append(.init(key: "message", value: .string(e.message))) }
            lines.append("    " + JSONWriter().string(.object(JSONObject(members))))
        }
        return "{\n  \"detapi\": \"conform baseline\",\n  \"format\": 1,\n  \"findings\": [\n" + lines.joined(separator: ",\n")
            + (lines.isEmpty ? "" : "\n") + "  ]\n}\n"
    }
}
