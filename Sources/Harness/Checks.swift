import Foundation
import HTTP
import JSON
import OpenAPI

/// The one check path for every answer.
///
/// It holds the checks every answer gets without asking (documented status, content type, response schema)
/// and the ones a step's `expect` adds. `run`, `call`, `validate` (and later `explore` and
/// `conform`) all check through here; each problem is a `CheckFailure`.
public struct Checks: Sendable {
    public let model: APIModel
    public let nulls: NullPolicy

    public init(model: APIModel, nulls: NullPolicy) {
        self.model = model
        self.nulls = nulls
    }

    /// The automatic checks of one answer; `document` is the parsed body, nil when it is not JSON.
    public func automatic(_ op: OpenAPI.Operation?, _ response: HTTPResponse, document: JSONDocument?) -> AnswerVerdict {
        var verdict = AnswerVerdict()
        guard let op else { return verdict }
        guard let documented = op.response(for: response.status) else {
            let listed = op.responses.map(\.status.description)
            verdict.failures.append(
                CheckFailure(
                    .status, expected: listed.joined(separator: ", "), actual: String(response.status),
                    reason: .undocumentedStatus(status: response.status, operation: op.id, documented: listed)))
            return verdict
        }
        guard let node = documented.schemaNode else {
            // No schema to check, but the operation still says which media types it answers with.
            if let failure = Checks.undocumentedMediaType(op, response) { verdict.failures.append(failure) }
            return verdict
        }
        if StreamCheck.isStream(documented), (200..<300).contains(response.status) {
            let (schema, failures) = StreamCheck.verdict(response.body, node: node, response: documented, checks: self)
            verdict.schema = schema
            verdict.failures += failures
            return verdict
        }
        let media = response.mediaType
        if let media, Self.namesJSON(media), !documented.mediaTypes.isEmpty,
            !documented.mediaTypes.contains(where: { Self.namesJSON($0) || $0.hasPrefix("*/*") })
        {
            // JSON where the spec documents only other types (text/plain) is not the answer it promises.
            let expected = documented.mediaTypes
            verdict.failures.append(
                CheckFailure(
                    .contentType, at: .header("Content-Type"), expected: expected.joined(separator: " or "), actual: media,
                    reason: .contentType(operation: op.id, status: response.status, found: media, expected: expected)))
            return verdict
        }
        if let media, !Self.namesJSON(media) {
            // A documented non-JSON type (text/csv, application/zip) is the answer the spec promises: no schema to check.
            let documentedTypes = documented.mediaTypes.map { $0.split(separator: ";").first.map(String.init)?.lowercased() ?? $0 }
            if documentedTypes.contains(media.lowercased()) { return verdict }
            verdict.failures.append(
                CheckFailure(
                    .contentType, at: .header("Content-Type"), expected: "application/json", actual: media,
                    reason: .contentType(operation: op.id, status: response.status, found: media, expected: ["application/json"])))
            return verdict
        }
        if media == nil, !response.body.isEmpty {
            verdict.failures.append(
                CheckFailure(
                    .contentType, at: .header("Content-Type"), expected: "application/json", actual: "none",
                    reason: .contentType(operation: op.id, status: response.status, found: nil, expected: ["application/json"])))
        }
        guard let document else {
            // Why it is not JSON, with the place (the parse is redone only for a failing answer).
            var reason: CheckFailure.Reason = .notJSON(
                operation: op.id, status: response.status, detail: response.body.isEmpty ? "the body is empty" : "not JSON")
            do { _ = try JSONDocument(parsing: response.body) } catch {
                if case .tooDeep(let limit) = error.kind {
                    reason = .tooDeep(operation: op.id, status: response.status, limit: limit, line: error.line, column: error.column)
                } else {
                    reason = .notJSON(operation: op.id, status: response.status, detail: error.description)
                }
            }
            verdict.failures.append(CheckFailure(.contentType, expected: "JSON", actual: "not JSON", reason: reason))
            return verdict
        }
        verdict.schema = schema(document, node: node, response: documented)
        verdict.failures += verdict.schema?.failures ?? []
        return verdict
    }

    /// Whether a media type is a JSON one (`application/json`, `application/problem+json`), in any case; a byte
    /// search, since this runs for every answer.
    static func namesJSON(_ media: String) -> Bool {
        let bytes = media.utf8
        guard bytes.count >= 4 else { return false }
        var window: UInt32 = 0
        for (i, b) in bytes.enumerated() {
            window = (window << 8) | UInt32(b | 0x20)  // ASCII letters lowercased; "json" has no other bytes
            if i >= 3, window == 0x6A73_6F6E { return true }
        }
        return false
    }

    /// A failure when an answer with a body has a Content-Type the operation documents for none of its
    /// responses (`produces`, `content`); nil when it documents none, or the body is empty (204, 304, an empty 401).
    static func undocumentedMediaType(_ op: OpenAPI.Operation, _ response: HTTPResponse) -> CheckFailure? {
        var documented: [String] = []
        for r in op.responses {
            for m in r.mediaTypes {
                let base = m.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? m
                if !documented.contains(base) { documented.append(base) }
            }
        }
        guard !documented.isEmpty, !response.body.isEmpty else { return nil }
        guard let media = response.mediaType?.lowercased() else {
            return CheckFailure(
                .contentType, at: .header("Content-Type"), expected: documented.joined(separator: " or "), actual: "none",
                reason: .contentType(operation: op.id, status: response.status, found: nil, expected: documented))
        }
        let fits = documented.contains { d in
            d == media || d == "*/*" || (d.hasSuffix("/*") && media.hasPrefix(String(d.dropLast(1))))
        }
        if fits { return nil }
        return CheckFailure(
            .contentType, at: .header("Content-Type"), expected: documented.joined(separator: " or "), actual: media,
            reason: .contentType(operation: op.id, status: response.status, found: media, expected: documented))
    }

    /// A body checked against a documented response's schema (what `detapi validate` does with a saved body).
    public func schema(_ document: JSONDocument, node: Int, response: OpenAPI.Response) -> SchemaVerdict {
        let result = model.validator(nulls: nulls).validate(document, against: node)
        return SchemaVerdict(
            schemaName: response.schema?["$ref"]?.stringValue.map(SchemaRenderer.refName) ?? "the response schema",
            violations: result.violations, lenientNulls: result.lenientCount, truncated: result.truncated)
    }

    /// The step's own `expect`; `json` is nil when the body is not JSON.
    ///
    /// A step that names no status expects a 2xx (fail closed: an error answer must be asked for), unless
    /// `anyStatus` is set (conform's probes judge statuses themselves). `operation` names a login, whose 401 is
    /// a refused password rather than a refused token.
    public func expectations(_ e: Expectation, _ response: HTTPResponse, _ json: JSONValue?, operation: String? = nil) -> [CheckFailure] {
        var failures: [CheckFailure] = []
        if let failure = Checks.status(e, response.status, json, operation: operation) { failures.append(failure) }
        if let json {
            for a in e.json {
                if let failure = Checks.assert(a, json) { failures.append(failure) }
            }
        } else if !e.json.isEmpty {
            // One line for all of them: each would only say again that there is nothing to look at.
            failures.append(
                CheckFailure(
                    .expectation, at: .jsonPath(e.json[0].path.description), expected: "a JSON body", actual: "not JSON",
                    reason: .expectationsUnchecked(count: e.json.count)))
        }
        for (name, value) in e.headers where response.headers[name] != value {
            let actual = response.headers[name] ?? "absent"
            failures.append(
                CheckFailure(
                    .expectation, at: .header(name), expected: value, actual: actual, reason: .header(expected: value, found: actual)))
        }
        if let max = e.maxMilliseconds, response.timings.total * 1000 > max {
            let took = response.timings.total * 1000
            failures.append(
                CheckFailure(
                    .expectation, expected: "at most \(Int(max.rounded())) ms", actual: "\(Int(took.rounded())) ms",
                    reason: .slow(milliseconds: took, limit: max)))
        }
        return failures
    }

    /// The status check of a step: its `expect.status`, or a 2xx when it names none.
    static func status(_ e: Expectation, _ status: Int, _ json: JSONValue?, operation: String?) -> CheckFailure? {
        if e.anyStatus { return nil }
        let implicit = e.statuses.isEmpty && e.statusClasses.isEmpty
        let ok = implicit ? (200..<300).contains(status) : e.statuses.contains(status) || e.statusClasses.contains(status / 100)
        if ok { return nil }
        let wanted = implicit ? ["2xx"] : e.statuses.map(String.init) + e.statusClasses.map { "\($0)xx" }
        // The server's own words: Determined's {"error": {"error": …}}, a plain {"error": …}, or {"message": …}.
        let words = json?["error"]?["error"]?.stringValue ?? json?["error"]?.stringValue ?? json?["message"]?.stringValue
        let refused: CheckFailure.Reason.Refusal? = status == 401 ? (operation == "Login" ? .login : .token) : nil
        return CheckFailure(
            .status, expected: wanted.joined(separator: " or "), actual: String(status),
            reason: .unexpectedStatus(status: status, expected: wanted, serverWords: words, implicit: implicit, refused: refused))
    }

    /// The check as a predicate after the path ("equals 1", "is empty"), for `fail_if` and the plan.
    public static func describe(_ c: JSONAssertion.Check) -> String { phrases(c).predicate }

    /// The check as what was wanted, after "expected it to" ("equal 1", "be empty").
    static func wanted(_ c: JSONAssertion.Check) -> String { phrases(c).wanted }

    /// Both phrasings of a check, from one table.
    private static func phrases(_ c: JSONAssertion.Check) -> (predicate: String, wanted: String) {
        switch c {
        case .equals(let v): return ("equals \(v)", "equal \(short(v))")
        case .notEquals(let v): return ("does not equal \(v)", "differ from \(short(v))")
        case .exists: return ("exists", "exist")
        case .absent: return ("is absent", "be absent")
        case .type(let t): return ("is of type \(t)", "be of type \(t)")
        case .length(let n): return ("has length \(n)", "have length \(n)")
        case .lengthLTE(let n): return ("has length at most \(n)", "have length at most \(n)")
        case .lengthGTE(let n): return ("has length at least \(n)", "have length at least \(n)")
        case .contains(let v): return ("contains \(v)", "contain \(short(v))")
        case .matches(let r): return ("matches /\(r)/", "match /\(r)/")
        case .lt(let d): return ("is < \(number(d))", "be < \(number(d))")
        case .gt(let d): return ("is > \(number(d))", "be > \(number(d))")
        case .lte(let d): return ("is ≤ \(number(d))", "be ≤ \(number(d))")
        case .gte(let d): return ("is ≥ \(number(d))", "be ≥ \(number(d))")
        case .empty(let b): return b ? ("is empty", "be empty") : ("is not empty", "not be empty")
        case .oneOf(let vs): return ("is one of \(JSONValue.array(vs))", "be one of \(short(.array(vs)))")
        case .numberTemplate(let check, let template): return ("\(check) \(template)", "be \(check) \(template)")
        }
    }

    private static func number(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d) }

    /// The failure when the assertion does not hold, or nil.
    ///
    /// `[*]` paths check every selected value.
    public static func assert(_ a: JSONAssertion, _ json: JSONValue) -> CheckFailure? {
        let selected = a.path.select(json)
        let at = CheckFailure.Location.jsonPath(a.path.description)
        func fail(_ actual: String, _ found: String? = nil) -> CheckFailure {
            CheckFailure(
                .expectation, at: at, expected: "to " + wanted(a.check), actual: actual,
                reason: .assertion(found: found ?? actual, wanted: wanted(a.check)))
        }
        switch a.check {
        case .exists: return selected.isEmpty ? fail("absent") : nil
        case .absent: return selected.isEmpty ? nil : fail(short(selected[0]), "present (\(short(selected[0])))")
        case .empty(let want):
            let isEmpty = selected.isEmpty || selected.allSatisfy { $0.arrayValue?.isEmpty == true || $0.isNull }
            return isEmpty == want ? nil : fail(isEmpty ? "empty" : "not empty")
        default: break
        }
        guard !selected.isEmpty else { return fail("absent") }
        for value in (a.path.isMulti ? selected : [selected[0]]) {
            if let finding = check(a.check, value) {
                var f = fail(short(value), finding.found)
                if let slow = finding.slow { f.reason = slow }
                return f
            }
        }
        return nil
    }

    static func short(_ v: JSONValue) -> String {
        let text = v.description
        return text.count > 80 ? String(text.prefix(80)) + "…" : text
    }

    /// What an assertion found when it fails: the value as it reads in the sentence, or a pattern that ran too long.
    private struct Finding {
        var found: String
        var slow: CheckFailure.Reason?
    }

    private static func check(_ c: JSONAssertion.Check, _ v: JSONValue) -> Finding? {
        func number() -> Double? { v.doubleValue ?? v.stringValue.flatMap(Double.init) }
        func length() -> Int? { v.arrayValue?.count ?? v.stringValue?.count ?? v.objectValue?.count }
        let plain = Finding(found: short(v))
        let lengthFound = Finding(found: "length \(length().map(String.init) ?? "none")")
        switch c {
        case .equals(let want):
            return v == want || (v.stringValue != nil && v.stringValue == want.stringValue) ? nil : plain
        case .notEquals(let want): return v != want ? nil : plain
        case .type(let t):
            return v.typeName == t || (t == "number" && v.typeName == "integer") ? nil : Finding(found: "\(short(v)) (\(v.typeName))")
        case .length(let n): return length() == n ? nil : lengthFound
        case .lengthLTE(let n): return (length() ?? Int.max) <= n ? nil : lengthFound
        case .lengthGTE(let n): return (length() ?? -1) >= n ? nil : lengthFound
        case .contains(let want):
            if let a = v.arrayValue { return a.contains(want) ? nil : plain }
            if let s = v.stringValue, let w = want.stringValue { return s.contains(w) ? nil : plain }
            return Finding(found: "\(short(v)) (cannot contain anything)")
        case .matches(let pattern):
            guard let s = v.stringValue, let r = try? NSRegularExpression(pattern: pattern) else {
                return Finding(found: "\(short(v)) (not a string)")
            }
            switch BoundedRegex.firstMatch(r, in: s) {
            case .matched: return nil
            case .notMatched: return plain
            case .tooSlow:
                return Finding(
                    found: plain.found, slow: .patternTooSlow(pattern: pattern, seconds: BoundedRegex.budget.seconds, length: s.count))
            }
        case .lt(let n): return (number() ?? .infinity) < n ? nil : plain
        case .gt(let n): return (number() ?? -.infinity) > n ? nil : plain
        case .lte(let n): return (number() ?? .infinity) <= n ? nil : plain
        case .gte(let n): return (number() ?? -.infinity) >= n ? nil : plain
        case .oneOf(let values): return values.contains(v) ? nil : plain
        case .numberTemplate: return plain
        case .exists, .absent, .empty: return nil
        }
    }
}

/// What the automatic checks found in one answer.
public struct AnswerVerdict: Sendable {
    public var failures: [CheckFailure] = []
    /// The schema check, when the answer got that far.
    public var schema: SchemaVerdict?
}

/// A body checked against a response schema: the violations and how many nulls were accepted.
public struct SchemaVerdict: Sendable {
    /// The `$ref` name of the schema ("v1GetExperimentsResponse"), or "the response schema".
    public var schemaName: String
    public var violations: [SchemaViolation]
    public var lenientNulls: Int
    /// More violations existed than were collected.
    public var truncated: Bool
    public var failures: [CheckFailure] { violations.map(CheckFailure.init(violation:)) }
    public var isValid: Bool { violations.isEmpty }
}
