import Foundation
import JSON

/// Which request of an operation's sweep got a finding, as data: why it was sent, what it varied, where, and to
/// what value.
///
/// Baselines match these fields (never the label a reader sees, so rewording a label breaks no baseline), and
/// coverage reads the varied parameter from them. `label` is the short text reports show (`limit=-1 (below
/// minimum)`).
public struct ConformVariant: Sendable, Hashable {
    /// Why a request was sent; decides which checks judge its answer.
    public enum Why: String, Sendable, Hashable, CaseIterable {
        /// The required parameters only, from links, the spec's values or a sample.
        case base
        /// A value the spec itself gives: its example, default, an enum value or a value of its format.
        case documented
        /// A schema-valid edge value (0, -1, the format's largest, an empty or long string).
        case boundary
        /// A value the schema forbids beyond doubt (wrong type, outside the enum or the bounds, past int32).
        case negative
        /// A required parameter or body field left out.
        case missing
        /// Several optional parameters at once, each with a valid value, chosen by the seed.
        case combination
        /// The request without valid credentials (`ignored_auth`).
        case auth
        /// One side of an undoable write pair, or its undo.
        case write
        /// Read from a report written before variants were data: only its text is known.
        case recorded
    }

    /// One parameter of a combination.
    public struct Setting: Sendable, Hashable {
        public var name: String
        public var value: JSONValue
        public init(name: String, value: JSONValue) {
            self.name = name
            self.value = value
        }
    }

    public var why: Why
    /// The varied parameter's name, or a body field's JSON pointer (`/name`); nil when nothing single was varied.
    public var parameter: String?
    /// Where the parameter is: `query`, `path`, `header`, `cookie` or `body`.
    public var location: String?
    /// The value sent for it; nil when the case leaves it out.
    public var value: JSONValue?
    /// A combination's parameters, in the order sent.
    public var settings: [Setting]
    /// Words for the reader, never matched: why a value is negative (`below minimum`), which credentials were
    /// left out, a write's operation, or a recorded variant's whole text.
    public var note: String

    public init(
        _ why: Why, parameter: String? = nil, location: String? = nil, value: JSONValue? = nil, settings: [Setting] = [],
        note: String = ""
    ) {
        self.why = why
        self.parameter = parameter
        self.location = location
        self.value = value
        self.settings = settings
        self.note = note
    }

    /// The fields a baseline matches: everything but the note (a write's and a recorded variant's note is all they have).
    public var key: ConformVariant {
        var out = self
        if why != .write && why != .recorded && why != .auth { out.note = "" }
        return out
    }

    /// The short text reports show: `limit=-1 (below minimum)`, `without limit (required)`, `body /name=12345 (wrong
    /// type)`, `a=1&b=2`, `without credentials`.
    public var label: String {
        let body = location == "body" ? "body " : ""
        let suffix = note.isEmpty ? "" : " (\(note))"
        switch why {
        case .base: return ""
        case .auth, .write, .recorded: return note
        case .missing: return "\(body)without \(parameter ?? "") (required)"
        case .combination: return settings.map { "\($0.name)=\(Self.short($0.value))" }.joined(separator: "&")
        case .documented, .boundary, .negative:
            return "\(body)\(parameter ?? "")=\(value.map(Self.short) ?? "")\(suffix)"
        }
    }

    /// The label without its note in parentheses: what a format-1 baseline's `variant` is compared on.
    var labelWithoutNote: String { Self.withoutNote(label) }

    public static func withoutNote(_ text: String) -> String {
        guard text.hasSuffix(")"), let open = text.range(of: " (", options: .backwards) else { return text }
        return String(text[..<open.lowerBound])
    }

    /// The same variant with `transform` applied to its texts (redaction).
    public func mapText(_ transform: (String) -> String) -> ConformVariant {
        var out = self
        out.note = transform(note)
        if case .string(let s)? = value { out.value = .string(transform(s)) }
        out.settings = settings.map { s in
            if case .string(let v) = s.value { return Setting(name: s.name, value: .string(transform(v))) }
            return s
        }
        return out
    }

    /// A value as a label shows it: strings bare, long ones cut with their length.
    public static func short(_ v: JSONValue) -> String {
        let text: String
        switch v {
        case .string(let s): text = s.isEmpty ? "\"\"" : s
        case .array(let a): text = a.map(short).joined(separator: ",")
        default: text = JSONWriter().string(v)
        }
        return text.count > 32 ? "\(text.prefix(8))…(\(text.count) chars)" : text
    }
}

extension ConformVariant {
    /// The variant as report.json and baselines (format 2) hold it.
    public var json: JSONValue {
        var members: [JSONObject.Member] = [.init(key: "why", value: .string(why.rawValue))]
        if let parameter { members.append(.init(key: "parameter", value: .string(parameter))) }
        if let location { members.append(.init(key: "in", value: .string(location))) }
        if let value { members.append(.init(key: "value", value: value)) }
        if !settings.isEmpty {
            members.append(
                .init(
                    key: "settings",
                    value: .array(
                        settings.map {
                            .object(JSONObject([.init(key: "name", value: .string($0.name)), .init(key: "value", value: $0.value)]))
                        })))
        }
        if !note.isEmpty { members.append(.init(key: "note", value: .string(note))) }
        return .object(JSONObject(members))
    }

    /// Reads `json`'s shape; nil when it is not one (the caller names the place).
    public init?(json v: JSONValue) {
        guard let whyText = v["why"]?.stringValue, let why = Why(rawValue: whyText) else { return nil }
        var settings: [Setting] = []
        for s in v["settings"]?.arrayValue ?? [] {
            guard let name = s["name"]?.stringValue, let value = s["value"] else { return nil }
            settings.append(Setting(name: name, value: value))
        }
        self.init(
            why, parameter: v["parameter"]?.stringValue, location: v["in"]?.stringValue, value: v["value"], settings: settings,
            note: v["note"]?.stringValue ?? "")
    }
}
