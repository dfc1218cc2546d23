import Foundation
import JSON
import OpenAPI

/// One request of a conform sweep: an operation's step with at most one parameter varied, and why it is sent.
///
/// Why decides which checks apply: a `documented` value must be accepted (`positive_data_acceptance`), a
/// `negative` or `missing` one rejected with a 4xx (`negative_data_rejection`); every answer gets the automatic
/// checks. The variant is data (why, parameter, place, value), so baselines and coverage never read a label.
public struct ConformCase: Sendable {
    public typealias Purpose = ConformVariant.Why

    public var variant: ConformVariant
    public var step: Step

    public init(_ variant: ConformVariant, step: Step) {
        self.variant = variant
        self.step = step
    }

    public var purpose: Purpose { variant.why }
    /// The varied parameter and its value as a reader sees it (`limit=-1`); empty for the base case.
    public var label: String { variant.label }
    /// The parameter (or body pointer) this case varies; nil for the base case and combinations.
    public var parameter: String? { variant.parameter }
    /// Whether the answer must be a 4xx: a forbidden value, or a required one left out.
    public var expectsRejection: Bool { purpose == .negative || purpose == .missing }
}

/// Builds the cases of an operation: the base request, then one parameter at a time with its documented values,
/// its boundary values and the values it must reject, as Schemathesis's coverage phase does; deterministic.
public struct ConformCases: Sendable {
    /// The most enum values sent per parameter (a long enum is sampled evenly).
    public static let enumLimit = 64

    /// A value that is not of the format, for the formats requests carry (`uuid`, `date-time`, …).
    static let notOfFormat: [String: String] = [
        "uuid": "not-a-uuid", "date-time": "yesterday", "date": "2024-13-45", "email": "not-an-email", "ipv4": "300.1.1.1",
        "int64": "1.5", "uint64": "-1", "int32": "2147483648", "uri": "not a uri",
    ]
    /// A value of the format, sent as a documented-looking valid case.
    static let ofFormat: [String: JSONValue] = [
        "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "date-time": "2024-01-01T00:00:00Z", "date": "2024-01-01",
        "email": "someone@example.com", "ipv4": "127.0.0.1", "int64": "9007199254740993", "uint64": "18446744073709551615",
    ]

    /// Combinations of optional parameters per operation (those with at least two).
    public var combinations: Int
    public var seed: UInt64
    /// The required top-level fields of the operation's request body (for a safe POST's body cases).
    public var requiredFields: [String]?

    public init(combinations: Int = 100, seed: UInt64 = 1) {
        self.combinations = combinations
        self.seed = seed
    }

    public func cases(for op: OpenAPI.Operation, base: Step) -> [ConformCase] {
        var out = [ConformCase(ConformVariant(.base), step: base)]
        for p in op.parameters where p.location == .query || p.location == .path || p.location == .header {
            func add(_ purpose: ConformCase.Purpose, _ value: JSONValue, _ note: String = "") {
                var step = base
                switch p.location {
                case .path:
                    step.path.removeAll { $0.0 == p.name }
                    step.path.append((p.name, value))
                case .header:
                    step.headers.removeAll { $0.0.lowercased() == p.name.lowercased() }
                    step.headers.append((p.name, value))
                default:
                    step.query.removeAll { $0.0 == p.name }
                    step.query.append((p.name, value))
                }
                let variant = ConformVariant(purpose, parameter: p.name, location: p.location.rawValue, value: value, note: note)
                step.name = "\(op.id) \(variant.label)"
                out.append(ConformCase(variant, step: step))
            }
            if p.location != .path {
                for v in documented(p) { add(.documented, v) }
                for v in boundary(p) { add(.boundary, v) }
                if p.required {
                    // A required parameter left out must be rejected.
                    var step = base
                    step.query.removeAll { $0.0 == p.name }
                    step.headers.removeAll { $0.0.lowercased() == p.name.lowercased() }
                    let variant = ConformVariant(.missing, parameter: p.name, location: p.location.rawValue)
                    step.name = "\(op.id) \(variant.label)"
                    out.append(ConformCase(variant, step: step))
                }
            } else {
                // Another id than the linked one: the not-found answer must be documented and well-formed too.
                for v in boundary(p) where !(v.stringValue.map { $0.isEmpty || $0.contains("/") } ?? false) { add(.boundary, v) }
            }
            // An empty path segment is another route (`/users/` is GetUsers), not a bad value.
            for (v, why) in negative(p) where !(p.location == .path && v == "") { add(.negative, v, why) }
        }
        out += bodyCases(op, base: base)
        out += combined(op, base: base)
        return out
    }

    /// A body's negative cases (a safe POST's): each top-level field of the wrong type, each required field left
    /// out; `requestSchema` is the body's schema with local `$ref`s read through.
    func bodyCases(_ op: OpenAPI.Operation, base: Step) -> [ConformCase] {
        guard case .object(let fields)? = base.body else { return [] }
        var out: [ConformCase] = []
        for m in fields {
            let wrong: JSONValue
            switch m.value {
            case .number: wrong = "not-a-number"
            case .string: wrong = 12345
            case .bool: wrong = "not-a-boolean"
            case .array, .object: wrong = "x"
            case .null: continue
            }
            var step = base
            var body = fields
            body[m.key] = wrong
            step.body = .object(body)
            let variant = ConformVariant(.negative, parameter: "/" + m.key, location: "body", value: wrong, note: "wrong type")
            step.name = "\(op.id) \(variant.label)"
            out.append(ConformCase(variant, step: step))
        }
        for name in requiredFields ?? [] where fields[name] != nil {
            var step = base
            var body = fields
            body[name] = nil
            step.body = .object(body)
            let variant = ConformVariant(.missing, parameter: "/" + name, location: "body")
            step.name = "\(op.id) \(variant.label)"
            out.append(ConformCase(variant, step: step))
        }
        return out
    }

    /// Up to `combinations` requests that each set a seeded choice of several optional query parameters at once
    /// (values from their documented and boundary sets), since bugs hide in parameters that interact.
    func combined(_ op: OpenAPI.Operation, base: Step) -> [ConformCase] {
        let optional = op.parameters.filter { $0.location == .query && !$0.required }
            .map { p in (p, documented(p) + boundary(p)) }.filter { !$0.1.isEmpty }
        guard optional.count >= 2, combinations > 0 else { return [] }
        var random = SeededRandom(seed ^ UInt64(truncatingIfNeeded: op.id.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) }))
        var out: [ConformCase] = []
        var seen = Set<String>()
        for _ in 0..<(combinations * 3) where out.count < combinations {
            var chosen: [(String, JSONValue)] = []
            for (p, values) in optional where random.below(2) == 0 { chosen.append((p.name, values[random.below(values.count)])) }
            guard chosen.count >= 2 else { continue }
            let variant = ConformVariant(.combination, settings: chosen.map { ConformVariant.Setting(name: $0.0, value: $0.1) })
            let label = variant.label
            guard seen.insert(label).inserted else { continue }
            var step = base
            step.query.removeAll { q in chosen.contains { $0.0 == q.0 } }
            step.query += chosen
            step.name = "\(op.id) \(label)"
            out.append(ConformCase(variant, step: step))
        }
        return out
    }

    /// The spec's own values: example, default, enum values (or both booleans).
    func documented(_ p: Parameter) -> [JSONValue] {
        var values: [JSONValue] = []
        func add(_ v: JSONValue) { if !values.contains(v) { values.append(v) } }
        if let e = p.schema["example"] ?? p.schema["x-example"], !isArray(p) { add(e) }
        for e in p.schema["examples"]?.arrayValue ?? [] where !isArray(p) { add(e) }
        if let c = p.schema["const"] { add(c) }
        if let d = p.defaultValue, !isArray(p) { add(d) }
        let type = itemType(p)
        if let all = p.enumValues {
            let step = max(1, (all.count + Self.enumLimit - 1) / Self.enumLimit)
            for (i, v) in all.enumerated() where i % step == 0 { add(isArray(p) ? .array([v]) : v) }
            // Several values at once, as a repeated parameter.
            if isArray(p), all.count > 1 { add(.array(Array(all.prefix(3)))) }
        } else if type == "boolean" {
            add(isArray(p) ? [true] : true)
            add(isArray(p) ? [false] : false)
        }
        return values
    }

    /// Schema-valid edge values of scalar parameters without an enum (a `const` has none: it is the only value).
    func boundary(_ p: Parameter) -> [JSONValue] {
        if p.schema["const"] != nil { return [] }
        // A string of a format: one valid value of it (the long and odd strings would only be rejected).
        if !isArray(p), p.type == "string", p.enumValues == nil, let format = p.format, let good = Self.ofFormat[format] { return [good] }
        if isArray(p), p.enumValues == nil {
            switch itemType(p) {
            case "integer": return [[0], [1, 2], [-1]]
            case "string": return [["a"], ["a", "b"], [""]]
            default: return []
            }
        }
        guard !isArray(p), p.enumValues == nil, let type = p.type else { return [] }
        let schema = p.schema
        switch type {
        case "integer":
            var values: [JSONValue] = []
            if let min = schema["minimum"]?.doubleValue {
                values.append(.number(JSONNumber(Int(min) + (schema["exclusiveMinimum"]?.boolValue == true ? 1 : 0))))
            } else {
                values += [0, 1, -1]
                if p.format == "int32" { values.append(.number(JSONNumber(Int(Int32.min)))) }
            }
            if let max = schema["maximum"]?.doubleValue {
                values.append(.number(JSONNumber(Int(max) - (schema["exclusiveMaximum"]?.boolValue == true ? 1 : 0))))
            } else if p.format == "int32" {
                values.append(.number(JSONNumber(Int(Int32.max))))
            }
            return values
        case "number":
            return schema["minimum"] == nil && schema["maximum"] == nil ? [0, -1.5, 1e6] : []
        case "string":
            guard p.format == nil, schema["pattern"] == nil else { return [] }
            let minLength = schema["minLength"]?.intValue ?? 0
            let maxLength = schema["maxLength"]?.intValue ?? 256
            var values: [JSONValue] = []
            if minLength == 0 { values.append("") }
            values.append(.string(String(repeating: "a", count: max(minLength, maxLength))))
            // Characters a URL must encode, letters beyond ASCII, and text that looks like another type.
            if maxLength >= 9 { values += ["a b&c=d/e", "Grüße ✓", "0", "true", "null"] }
            return values
        default:
            return []
        }
    }

    /// Values the schema rules out beyond doubt, with why: a word for a number or a boolean, a name outside the
    /// enum, a number past `minimum`/`maximum` or past int32.
    func negative(_ p: Parameter) -> [(JSONValue, String)] {
        let wrap: (JSONValue) -> JSONValue = { isArray(p) ? .array([$0]) : $0 }
        let schema = isArray(p) ? (p.schema["items"] ?? .null) : p.schema
        var out: [(JSONValue, String)] = []
        if let c = schema["const"] {
            // The only valid value is the const: any other is a negative case.
            let other: JSONValue = c.stringValue.map { .string("not-" + $0) } ?? .string("not-the-const")
            return [(wrap(other), "not the const")]
        }
        switch itemType(p) {
        case "integer", "number":
            out.append((wrap("not-a-number"), "not a number"))
            out.append((wrap(""), "empty"))
            if itemType(p) == "integer" {
                out.append((wrap("1.5"), "not an integer"))
                out.append((wrap("true"), "a boolean, not a number"))
            }
            if !isArray(p) {
                if let min = schema["minimum"]?.doubleValue { out.append((.number(JSONNumber(Int(min) - 1)), "below minimum")) }
                if let max = schema["maximum"]?.doubleValue { out.append((.number(JSONNumber(Int(max) + 1)), "above maximum")) }
                if schema["format"]?.stringValue == "int32", schema["maximum"] == nil {
                    out.append((.number(JSONNumber(Int(Int32.max) + 1)), "past int32"))
                    out.append((.number(JSONNumber(Int(Int32.min) - 1)), "below int32"))
                }
            }
        case "boolean":
            out.append((wrap("not-a-boolean"), "not a boolean"))
            out.append((wrap(""), "empty"))
        case "string":
            // A format the validator asserts rules out text that is not of it.
            if let format = schema["format"]?.stringValue, let bad = Self.notOfFormat[format] {
                out.append((wrap(.string(bad)), "not a \(format)"))
            }
            if let all = schema["enum"]?.arrayValue, !all.isEmpty {
                for (value, why) in [("NOT_A_VALID_VALUE", "not in the enum"), ("", "empty, not in the enum")]
                where !all.contains(.string(value)) {
                    out.append((wrap(.string(value)), why))
                }
                // The first name in another case: enums are case-sensitive.
                if let first = all.first?.stringValue, first.lowercased() != first, !all.contains(.string(first.lowercased())) {
                    out.append((wrap(.string(first.lowercased())), "wrong case"))
                }
            }
        default:
            break
        }
        return out
    }

    private func isArray(_ p: Parameter) -> Bool { p.type == "array" }
    private func itemType(_ p: Parameter) -> String? { isArray(p) ? p.schema["items"]?["type"]?.stringValue : p.type }
}
