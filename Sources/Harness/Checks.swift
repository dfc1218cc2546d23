import Foundation
import HTTP
import JSON
import OpenAPI

/// The checks every step gets without asking (documented status, content type, response schema) and the
/// ones a step's `expect` adds; each failure is one readable line.
public struct Checks: Sendable {
    public let model: APIModel
    public let nulls: NullPolicy

    public init(model: APIModel, nulls: NullPolicy) {
        self.model = model
        self.nulls = nulls
    }

    /// `document` is the parsed body, nil when it is not JSON.
    func automatic(_ op: OpenAPI.Operation?, _ response: HTTPResponse, document: JSONDocument?, result: inout StepResult) -> [String] {
        guard let op else { return [] }
        var failures: [String] = []
        guard let documented = op.response(for: response.status) else {
            return [
                "undocumented status \(response.status) for \(op.id) (documented: \(op.responses.map(\.status.description).joined(separator: ", ")))"
            ]
        }
        guard let node = documented.schemaNode else { return [] }
        if let media = response.mediaType, !media.contains("json") {
            failures.append("content type \(media) for \(op.id) \(response.status), expected JSON")
            return failures
        }
        guard let document else {
            return failures + ["the \(response.status) body of \(op.id) is not JSON"]
        }
        let verdict = model.validator(nulls: nulls).validate(document, against: node)
        result.violations = verdict.violations
        result.lenientNulls = verdict.lenientCount
        for v in verdict.violations { failures.append("schema: \(v.description)") }
        return failures
    }

    func expectations(_ e: Expectation, _ response: HTTPResponse, _ json: JSONValue) -> [String] {
        var failures: [String] = []
        if !e.statuses.isEmpty || !e.statusClasses.isEmpty {
            let ok = e.statuses.contains(response.status) || e.statusClasses.contains(response.status / 100)
            if !ok {
                let wanted = e.statuses.map(String.init) + e.statusClasses.map { "\($0)xx" }
                let reason = json["error"]?["error"]?.stringValue.map { " (\($0))" } ?? ""
                failures.append("status \(response.status)\(reason), expected \(wanted.joined(separator: " or "))")
            }
        }
        for a in e.json {
            if let failure = Checks.assert(a, json) { failures.append(failure) }
        }
        for (name, value) in e.headers where response.headers[name] != value {
            failures.append("header \(name): \(response.headers[name] ?? "absent"), expected \(value)")
        }
        if let max = e.maxMilliseconds, response.timings.total * 1000 > max {
            failures.append(String(format: "took %.0f ms, expected at most %.0f ms", response.timings.total * 1000, max))
        }
        return failures
    }

    static func describe(_ c: JSONAssertion.Check) -> String {
        switch c {
        case .equals(let v): return "equals \(v)"
        case .notEquals(let v): return "not_equals \(v)"
        case .exists: return "exists"
        case .absent: return "absent"
        case .type(let t): return "type \(t)"
        case .length(let n): return "length \(n)"
        case .lengthLTE(let n): return "length_lte \(n)"
        case .lengthGTE(let n): return "length_gte \(n)"
        case .contains(let v): return "contains \(v)"
        case .matches(let r): return "matches \(r)"
        case .lt(let d): return "lt \(d)"
        case .gt(let d): return "gt \(d)"
        case .lte(let d): return "lte \(d)"
        case .gte(let d): return "gte \(d)"
        case .empty(let b): return b ? "is empty" : "is not empty"
        case .oneOf(let vs): return "in \(JSONValue.array(vs))"
        }
    }

    /// What was found when the assertion does not hold, or nil.
    ///
    /// `[*]` paths check every selected value.
    static func assert(_ a: JSONAssertion, _ json: JSONValue) -> String? {
        let selected = a.path.select(json)
        switch a.check {
        case .exists: return selected.isEmpty ? "\(a.path): absent, expected it to exist" : nil
        case .absent: return selected.isEmpty ? nil : "\(a.path): present (\(short(selected[0]))), expected it absent"
        case .empty(let want):
            let isEmpty = selected.isEmpty || selected.allSatisfy { $0.arrayValue?.isEmpty == true || $0.isNull }
            return isEmpty == want ? nil : "\(a.path): \(isEmpty ? "empty" : "not empty"), expected \(want ? "empty" : "not empty")"
        default: break
        }
        guard !selected.isEmpty else { return "\(a.path): absent, expected it to \(describe(a.check))" }
        for value in (a.path.isMulti ? selected : [selected[0]]) {
            if let failure = check(a.check, value) { return "\(a.path): \(failure)" }
        }
        return nil
    }

    static func short(_ v: JSONValue) -> String {
        let text = v.description
        return text.count > 80 ? String(text.prefix(80)) + "…" : text
    }

    private static func check(_ c: JSONAssertion.Check, _ v: JSONValue) -> String? {
        func number() -> Double? { v.doubleValue ?? v.stringValue.flatMap(Double.init) }
        func length() -> Int? { v.arrayValue?.count ?? v.stringValue?.count ?? v.objectValue?.count }
        switch c {
        case .equals(let want):
            return v == want || (v.stringValue != nil && v.stringValue == want.stringValue) ? nil : "\(short(v)), expected \(short(want))"
        case .notEquals(let want): return v != want ? nil : "\(short(v)), expected anything else"
        case .type(let t): return v.typeName == t || (t == "number" && v.typeName == "integer") ? nil : "\(v.typeName), expected \(t)"
        case .length(let n): return length() == n ? nil : "length \(length().map(String.init) ?? "none"), expected \(n)"
        case .lengthLTE(let n):
            return (length() ?? Int.max) <= n ? nil : "length \(length().map(String.init) ?? "none"), expected at most \(n)"
        case .lengthGTE(let n): return (length() ?? -1) >= n ? nil : "length \(length().map(String.init) ?? "none"), expected at least \(n)"
        case .contains(let want):
            if let a = v.arrayValue { return a.contains(want) ? nil : "\(short(v)) does not contain \(short(want))" }
            if let s = v.stringValue, let w = want.stringValue { return s.contains(w) ? nil : "\(short(v)) does not contain \(w)" }
            return "\(short(v)) cannot contain anything"
        case .matches(let pattern):
            guard let s = v.stringValue, let r = try? NSRegularExpression(pattern: pattern) else { return "\(short(v)) is not a string" }
            return r.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil ? nil : "\(short(v)) does not match /\(pattern)/"
        case .lt(let n): return (number() ?? .infinity) < n ? nil : "\(short(v)), expected < \(n)"
        case .gt(let n): return (number() ?? -.infinity) > n ? nil : "\(short(v)), expected > \(n)"
        case .lte(let n): return (number() ?? .infinity) <= n ? nil : "\(short(v)), expected ≤ \(n)"
        case .gte(let n): return (number() ?? -.infinity) >= n ? nil : "\(short(v)), expected ≥ \(n)"
        case .oneOf(let values): return values.contains(v) ? nil : "\(short(v)), expected one of \(short(.array(values)))"
        case .exists, .absent, .empty: return nil
        }
    }

    /// The body as text with secret-named JSON fields masked.
    static func redactedBody(_ json: JSONValue, _ text: String) -> String {
        guard !json.isNull else { return text }
        return JSONWriter().string(maskSecretFields(json))
    }

    /// `v` with the values of secret-named string fields (password, token, …) replaced by the mask.
    static func maskSecretFields(_ v: JSONValue) -> JSONValue {
        switch v {
        case .object(let o):
            var out = JSONObject()
            for m in o {
                out[m.key] = Redactor.isSecretName(m.key) && m.value.stringValue != nil ? .string(Redactor.mask) : maskSecretFields(m.value)
            }
            return .object(out)
        case .array(let a): return .array(a.map(maskSecretFields))
        default: return v
        }
    }
}
