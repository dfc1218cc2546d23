import JSON
import OpenAPI

/// A parameter value that cannot be what its parameter says it is: its type, format or enum.
///
/// The same value for `detapi call`'s `name=value` words, a scenario's literal values (exit 2 at check time)
/// and a templated value after expansion (the step fails and nothing is sent).
public struct ParameterProblem: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// What the parameter takes.
    public enum Wanted: Sendable, Hashable, Codable {
        case integer, number, boolean
        case oneOf([String])
        case format(String)
    }

    /// `path`, `query` or `header`.
    public var location: String
    public var name: String
    /// The value as it would be sent.
    public var value: String
    public var wanted: Wanted

    public init(location: String, name: String, value: String, wanted: Wanted) {
        self.location = location
        self.name = name
        self.value = value
        self.wanted = wanted
    }

    /// `limit=ten: query parameter limit is an integer`.
    public var description: String { "\(name)=\(value): \(location) parameter \(name) is \(wantedText)" }

    /// What the parameter takes, in words ("an integer", "one of a, b").
    public var wantedText: String {
        switch wanted {
        case .integer: return "an integer"
        case .number: return "a number"
        case .boolean: return "true or false"
        case .oneOf(let values): return "one of " + values.joined(separator: ", ")
        case .format(let f): return "a \(f) value"
        }
    }
}

/// Checks and types parameter values against their parameters' schemas; one place for `call`, the scenario
/// checker and the runner.
public enum ParameterCheck {
    /// Values typed by the parameter's schema: numbers and booleans when they read as such, arrays for array
    /// parameters (or a name given more than once); `{{templates}}` are kept as text, typed after expansion.
    public static func typed(_ values: [String], _ p: Parameter) throws(ParameterProblem) -> JSONValue {
        let isArray = p.type == "array"
        let itemType = isArray ? p.schema["items"]?["type"]?.stringValue : p.type
        var out: [JSONValue] = []
        for v in values {
            if v.contains("{{") {
                out.append(.string(v))
                continue
            }
            switch itemType {
            case "integer":
                guard let n = Int(v) else { throw problem(p, v, .integer) }
                out.append(.number(JSONNumber(n)))
            case "number":
                guard let d = Double(v), d.isFinite else { throw problem(p, v, .number) }
                out.append(.number(JSONNumber(text: v)))
            case "boolean":
                guard v == "true" || v == "false" else { throw problem(p, v, .boolean) }
                out.append(.bool(v == "true"))
            default: out.append(.string(v))
            }
        }
        let value: JSONValue = isArray || out.count > 1 ? .array(out) : out[0]
        if let problem = check(value, p) { throw problem }
        return value
    }

    /// The problem with sending `value` as `p`, or nil when it can be sent as meant.
    ///
    /// A value holding a
    /// `{{template}}` is not judged (it is, after expansion).
    public static func check(_ value: JSONValue, _ p: Parameter) -> ParameterProblem? {
        if case .array(let items) = value {
            let itemSchema = p.type == "array" ? (p.schema["items"] ?? .null) : p.schema
            for item in items { if let problem = check(item, schema: itemSchema, p) { return problem } }
            return nil
        }
        return check(value, schema: p.type == "array" ? (p.schema["items"] ?? .null) : p.schema, p)
    }

    /// Every path, query and header value that `op`'s parameters refuse, with the value.
    ///
    /// Headers are matched without case; values no parameter declares are not judged here.
    public static func problems(
        _ op: OpenAPI.Operation, path: [(String, JSONValue)], query: [(String, JSONValue)], headers: [(String, JSONValue)]
    ) -> [(problem: ParameterProblem, value: JSONValue)] {
        var out: [(problem: ParameterProblem, value: JSONValue)] = []
        let groups: [(Parameter.Location, [(String, JSONValue)])] = [(.path, path), (.query, query), (.header, headers)]
        for (location, values) in groups {
            for (name, value) in values {
                let declared = op.parameters.first {
                    $0.location == location && (location == .header ? $0.name.lowercased() == name.lowercased() : $0.name == name)
                }
                if let declared, let problem = check(value, declared) { out.append((problem, value)) }
            }
        }
        return out
    }

    private static func check(_ value: JSONValue, schema: JSONValue, _ p: Parameter) -> ParameterProblem? {
        let text = Variables.text(value)
        if text.contains("{{") { return nil }
        switch schema["type"]?.stringValue {
        case "integer":
            if let n = value.doubleValue, value.intValue == nil, n != n.rounded() { return problem(p, text, .integer) }
            if value.doubleValue == nil && Int(text) == nil { return problem(p, text, .integer) }
        case "number":
            if value.doubleValue == nil && !(Double(text).map(\.isFinite) ?? false) { return problem(p, text, .number) }
        case "boolean":
            if value.boolValue == nil && text != "true" && text != "false" { return problem(p, text, .boolean) }
        default: break
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.isEmpty, !allowed.map(Variables.text).contains(text) {
            return problem(p, text, .oneOf(allowed.map(Variables.text)))
        }
        if let format = schema["format"]?.stringValue {
            let ok: Bool
            switch schema["type"]?.stringValue {
            case "integer", "number": ok = FormatAssertion.accepts(format, number: text)
            case "string": ok = FormatAssertion.accepts(format, string: text)
            default: ok = true
            }
            if !ok { return problem(p, text, .format(format)) }
        }
        return nil
    }

    private static func problem(_ p: Parameter, _ value: String, _ wanted: ParameterProblem.Wanted) -> ParameterProblem {
        ParameterProblem(location: p.location.rawValue, name: p.name, value: value, wanted: wanted)
    }
}
