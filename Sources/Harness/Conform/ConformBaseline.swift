import Foundation
import JSON

/// The findings a team has accepted (`conform --baseline FILE`): a run fails only on findings not in it, and
/// reports the accepted ones apart, and the entries that no longer occur.
///
/// The file is JSON that `--update-baseline` writes (sorted, so that a diff reads well). Format 2 names the
/// request by its fields, so rewording how reports show it breaks no baseline:
/// ```json
/// {"detapi": "conform baseline", "format": 2, "findings": [
///   {"operation": "GetUsers", "check": "not_a_server_error", "pointer": "",
///    "case": {"why": "negative", "parameter": "limit", "in": "query", "value": -1}, "message": "…"}]}
/// ```
/// `case` and `message` may be left out (an entry without `case` matches any request), and so may any field of
/// `case` but `why`; its `note` is for readers and not matched. Format 1 files (a `variant` text such as
/// `limit=-1 (below minimum)`) are still read, and matched on the text before its note in parentheses.
public struct ConformBaseline: Sendable, Hashable {
    /// One accepted finding.
    public struct Entry: Sendable, Hashable, Comparable {
        /// Which requests of the operation the entry accepts.
        public enum Request: Sendable, Hashable {
            case any
            /// Format 2: the variant's fields (all but its note) must be the same.
            case variant(ConformVariant)
            /// Format 1: the variant's text as reports showed it then.
            case label(String)
        }

        public var operation: String
        public var check: String
        /// The JSON pointer into the body ("" when the finding is not about a place in the body).
        public var pointer: String
        public var request: Request
        /// What the finding said when it was accepted; for readers, not matched.
        public var message: String

        public init(operation: String, check: String, pointer: String, request: Request = .any, message: String = "") {
            self.operation = operation
            self.check = check
            self.pointer = pointer
            self.request = request
            self.message = message
        }

        /// The entry that accepts `failure` of `operation`; `message` is its sentence, for readers of the file.
        public init(operation: String, failure: CheckFailure, message: String = "") {
            self.init(
                operation: operation, check: failure.kind.rawValue, pointer: Self.pointer(failure.location),
                request: failure.variant.map { .variant($0.key) } ?? .any, message: message)
        }

        public func matches(operation: String, _ failure: CheckFailure) -> Bool {
            guard operation == self.operation && failure.kind.rawValue == check && Self.pointer(failure.location) == pointer else {
                return false
            }
            switch request {
            case .any: return true
            case .variant(let wanted): return failure.variant.map { Self.same($0, wanted) } ?? false
            case .label(let text):
                return (failure.variant?.labelWithoutNote ?? "") == ConformVariant.withoutNote(text)
            }
        }

        /// Whether a finding's variant is the one an entry names: its fields the same, those the entry leaves out
        /// matching any.
        static func same(_ found: ConformVariant, _ wanted: ConformVariant) -> Bool {
            let found = found.key
            return found.why == wanted.why && (wanted.parameter == nil || wanted.parameter == found.parameter)
                && (wanted.location == nil || wanted.location == found.location) && (wanted.value == nil || wanted.value == found.value)
                && (wanted.settings.isEmpty || wanted.settings == found.settings)
                && (wanted.key.note.isEmpty || wanted.note == found.note)
        }

        /// The request as a reader sees it (nil for any).
        public var requestText: String? {
            switch request {
            case .any: return nil
            case .variant(let v): return v.why == .base ? "base request" : v.label
            case .label(let text): return text
            }
        }

        static func pointer(_ location: CheckFailure.Location) -> String {
            if case .body(let pointer) = location { return pointer }
            return ""
        }

        public static func < (a: Entry, b: Entry) -> Bool {
            (a.operation, a.check, a.pointer, a.requestText ?? "") < (b.operation, b.check, b.pointer, b.requestText ?? "")
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
        } catch {
            throw HarnessError(file: file, line: error.line, column: error.column, message: "not a baseline: \(error.message)")
        }
        func fail(_ pointer: String, _ message: String) -> HarnessError { HarnessError(file: file, message: "\(pointer): \(message)") }
        guard root.objectValue != nil else { throw fail("(root)", "a baseline is an object with \"findings\"") }
        let format = root["format"]?.intValue ?? 1
        if let written = root["format"], written.intValue != 1 && written.intValue != 2 {
            throw fail("/format", "format \(JSONWriter().string(written)) is not one this detapi reads (1 or 2)")
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
            var request = Entry.Request.any
            if format == 2, let typed = item["case"], !typed.isNull {
                guard let variant = ConformVariant(json: typed) else {
                    throw fail(
                        "/findings/\(i)/case",
                        "expected an object with why (\(ConformVariant.Why.allCases.map(\.rawValue).joined(separator: ", "))) and optionally parameter, in, value, settings"
                    )
                }
                request = .variant(variant)
            } else if let label = try text("variant", required: false) {
                request = .label(label)
            }
            entries.append(
                Entry(
                    operation: try text("operation", required: true) ?? "", check: check,
                    pointer: try text("pointer", required: false) ?? "", request: request,
                    message: try text("message", required: false) ?? ""))
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
            switch e.request {
            case .any: break
            case .variant(let v): members.append(.init(key: "case", value: v.json))
            case .label(let text): members.append(.init(key: "variant", value: .string(text)))
            }
            if !e.message.isEmpty { members.append(.init(key: "message", value: .string(e.message))) }
            lines.append("    " + JSONWriter().string(.object(JSONObject(members))))
        }
        return "{\n  \"detapi\": \"conform baseline\",\n  \"format\": 2,\n  \"findings\": [\n" + lines.joined(separator: ",\n")
            + (lines.isEmpty ? "" : "\n") + "  ]\n}\n"
    }
}
