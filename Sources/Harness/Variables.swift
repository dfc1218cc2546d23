import Foundation
import HTTP
import JSON

/// The variables of a running scenario and the `{{name}}` / `${ENV:-default}` templates that read them.
///
/// A template that is the whole value (`"{{id}}"`) keeps the variable's JSON type; one inside a longer string
/// is interpolated as text. Secret values are registered with the run's `Redactor` as they appear.
public struct Variables: Sendable {
    public private(set) var values: [String: JSONValue] = [:]
    public private(set) var redactor = Redactor()

    public init() {}

    public mutating func set(_ name: String, _ value: JSONValue, secret: Bool) {
        values[name] = value
        if secret, let text = value.stringValue ?? (value.isNull ? nil : value.description) { redactor.register(text) }
    }

    /// Forgets a variable (its value stays hidden if it was secret).
    public mutating func remove(_ name: String) { values[name] = nil }

    /// Marks a value secret without naming it (a credential as sent, a secret header's value).
    public mutating func registerSecret(_ value: String) { redactor.register(value) }

    /// Marks a credential secret as sent (`Bearer X`, `token X`) and the part after its scheme word.
    public mutating func registerCredential(_ value: String) {
        redactor.register(value)
        if let space = value.firstIndex(of: " ") { redactor.register(String(value[value.index(after: space)...])) }
    }

    /// Hides the values of secret-named fields in `value` (see `Redactor`) from everything this run writes.
    public mutating func registerSecrets(in value: JSONValue) { redactor.registerSecretFields(in: value) }

    /// The same for a parsed answer, read from its index.
    public mutating func registerSecrets(in document: JSONDocument) { redactor.registerSecretFields(in: document) }

    /// Hides the values of the cookies an answer sets.
    public mutating func registerCookies(from headers: HTTPHeaders) { redactor.registerCookies(from: headers) }

    /// `${NAME}` and `${NAME:-default}` replaced from the environment.
    public static func expandEnvironment(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        guard text.contains("${") else { return text }
        var out = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
            out += rest[..<start.lowerBound]
            let inner = rest[start.upperBound..<end]
            if let sep = inner.range(of: ":-") {
                let name = String(inner[..<sep.lowerBound])
                let value = environment[name] ?? ""
                out += value.isEmpty ? String(inner[sep.upperBound...]) : value
            } else {
                out += environment[String(inner)] ?? ""
            }
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }

    /// Names a value's templates refer to.
    public static func references(in value: JSONValue) -> [String] {
        switch value {
        case .string(let s): return names(in: s)
        case .array(let a): return a.flatMap(references(in:))
        case .object(let o): return o.members.flatMap { references(in: $0.value) }
        default: return []
        }
    }

    static func names(in text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "{{"), let end = rest[start.upperBound...].range(of: "}}") {
            out.append(rest[start.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[end.upperBound...]
        }
        return out
    }

    /// Expands every template in `value`; an undefined name is an error naming it.
    public func expand(_ value: JSONValue) throws(HarnessError) -> JSONValue {
        switch value {
        case .string(let s):
            let refs = Variables.names(in: s)
            guard !refs.isEmpty else { return value }
            if refs.count == 1, s.replacingOccurrences(of: " ", with: "") == "{{\(refs[0])}}" {
                guard let v = values[refs[0]] else { throw HarnessError(message: "undefined variable '\(refs[0])'") }
                return v
            }
            var out = s
            for name in refs {
                guard let v = values[name] else { throw HarnessError(message: "undefined variable '\(name)'") }
                let text = v.stringValue ?? v.description
                out = out.replacingOccurrences(of: "{{\(name)}}", with: text).replacingOccurrences(of: "{{ \(name) }}", with: text)
            }
            return .string(out)
        case .array(let a):
            var out: [JSONValue] = []
            for item in a { out.append(try expand(item)) }
            return .array(out)
        case .object(let o):
            var out = JSONObject()
            for m in o { out[m.key] = try expand(m.value) }
            return .object(out)
        default:
            return value
        }
    }

    /// Text of a value for a URL or header.
    public static func text(_ v: JSONValue) -> String { v.stringValue ?? v.description }
}
