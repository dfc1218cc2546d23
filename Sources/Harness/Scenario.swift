import Foundation
import JSON

/// A position in a scenario file, for messages.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A scripted check against an API: variables, steps run in order, and `finally` steps that always run.
public struct Scenario: Sendable {
    public var name: String
    public var description: String
    public var tags: [String]
    public var vars: [Variable]
    public var steps: [Step]
    public var finally: [Step]
    public var file: String

    /// A declared variable: a default (with `${ENV:-default}` expanded when the run starts) and secrecy.
    public struct Variable: Sendable {
        public var name: String
        public var value: JSONValue
        public var secret: Bool
        public var location: SourceLocation
    }
}

/// One request of a scenario and what to check about its answer.
public struct Step: Sendable {
    public enum Auth: String, Sendable { case none, bearer }

    public var name: String
    /// operationId (or a unique case-insensitive match).
    public var operation: String?
    /// `METHOD /path` when no operation is named.
    public var request: (method: String, path: String)?
    public var auth: Auth?
    public var path: [(String, JSONValue)] = []
    public var query: [(String, JSONValue)] = []
    public var headers: [(String, JSONValue)] = []
    public var body: JSONValue?
    /// A body sent as these bytes instead of JSON (`detapi call -d` with text that is not JSON).
    public var bodyBytes: [UInt8]?
    public var expect = Expectation()
    public var captures: [Capture] = []
    public var skipRestIf: SkipCondition?
    /// Run only when this template is non-empty (and not false/0/null).
    public var when: JSONValue?
    public var retry: Retry?
    public var paginate: Paginate?
    /// `for_each: {var: NAME, in: LIST}`: the step runs once per value of LIST (a list, or a `{{template}}` naming a
    /// variable that holds one), with NAME set to the value.
    public var forEach: (variable: String, values: JSONValue)?
    /// Whether expanded values and the body are checked against the spec before sending (`request_check: off`
    /// sends a wrong value on purpose, for a negative test).
    public var requestCheck = true
    /// What a failure of this step does to the rest of the scenario.
    public var onFailure: OnFailure = .stop
    /// The Content-Type of a body sent as bytes (`call --raw-body --content-type`); nil: JSON or octet-stream.
    public var contentType: String?
    /// Where each literal parameter value is written (`query.limit` → file:line:col), for errors at check time.
    public var valueLocations: [String: SourceLocation] = [:]
    public var location: SourceLocation

    /// `on_failure`: skip the rest (and run `finally`), or go on with the next step.
    public enum OnFailure: String, Sendable { case stop, `continue` }

    /// A step by operationId or `METHOD /path`; the rest is set field by field (`detapi call`, `explore`).
    public init(name: String, operation: String? = nil, request: (method: String, path: String)? = nil, location: SourceLocation) {
        self.name = name
        self.operation = operation
        self.request = request
        self.location = location
    }
}

/// What a step's answer must look like, beyond the automatic checks.
public struct Expectation: Sendable {
    /// Allowed statuses: codes, or classes such as 2 for `2xx`.
    public var statuses: [Int] = []
    public var statusClasses: [Int] = []
    public var json: [JSONAssertion] = []
    public var headers: [(String, String)] = []
    public var maxMilliseconds: Double?
    /// Any status passes this step's status check (conform's probes, which judge statuses themselves); without
    /// it, a step that names no status expects a 2xx.
    public var anyStatus = false

    public init() {}
}

/// One assertion on a value the JSONPath selects.
public struct JSONAssertion: Sendable {
    public enum Check: Sendable {
        case equals(JSONValue), notEquals(JSONValue), exists, absent, type(String), length(Int), lengthLTE(Int), lengthGTE(Int)
        case contains(JSONValue), matches(String), lt(Double), gt(Double), lte(Double), gte(Double), empty(Bool)
        case oneOf([JSONValue])
        /// A numeric check (`lt`, `gt`, `lte`, `gte`, `length`, `length_lte`, `length_gte`, by its key) whose bound is
        /// a `{{template}}`: typed when the step runs, after expansion.
        case numberTemplate(check: String, template: String)
    }
    public var path: JSONPath
    public var check: Check
    public var location: SourceLocation

    public init(path: JSONPath, check: Check, location: SourceLocation) {
        self.path = path
        self.check = check
        self.location = location
    }
}

/// A value saved from an answer into a variable.
public struct Capture: Sendable {
    public enum Source: Sendable {
        case json(JSONPath)
        case header(String)
        case status
    }
    public var name: String
    public var source: Source
    public var secret: Bool
    /// On a `paginate` step: the values of every page, gathered into one array.
    public var allPages = false

    public init(name: String, source: Source, secret: Bool) {
        self.name = name
        self.source = source
        self.secret = secret
    }
}

/// `paginate`: the step is sent again with the next page until the answer shows the last one (Determined's
/// `pagination`, a `page` parameter, or a `Link: rel=next` header), each page checked like the first.
public struct Paginate: Sendable {
    /// A step that would need more pages fails: the list did not end within this many.
    public var maxPages = 100

    public init(maxPages: Int = 100) { self.maxPages = maxPages }
}

/// `skip_rest_if`: when it holds, the remaining steps are skipped with the reason (a skip, not a failure).
public struct SkipCondition: Sendable {
    public var path: JSONPath
    public var empty: Bool
    public var reason: String
}

/// Polling a step until a condition holds, stopping early on a failure condition.
public struct Retry: Sendable {
    public var until: JSONAssertion
    public var failIf: JSONAssertion?
    public var timeout: Double
    /// The first wait between attempts, in seconds.
    public var interval: Double
    /// Each wait is the previous one times this (1: fixed interval).
    public var backoff: Double = 1
    /// No wait grows beyond this, in seconds.
    public var maxInterval: Double = 5

    public init(until: JSONAssertion, failIf: JSONAssertion? = nil, timeout: Double, interval: Double) {
        self.until = until
        self.failIf = failIf
        self.timeout = timeout
        self.interval = interval
    }

    /// The wait after attempt `n` (1-based), before a server's `Retry-After` and the deadline are considered.
    public func wait(after attempt: Int) -> Double {
        min(max(interval, maxInterval), interval * pow(backoff, Double(max(0, attempt - 1))))
    }
}
