import Foundation
import JSON
import OpenAPI

/// One thing that went wrong with a step, as data.
///
/// It says what kind of check, where, what was expected and what was found, and why (`Reason`, a typed value
/// with the numbers and names of the finding). Exit codes and the JUnit `<error>`/`<failure>` split come from
/// `kind`; only `Reports` turns a failure into a sentence (`FailureText`), so nothing ever parses a message to
/// recover its meaning, and baselines match `kind`, `location` and the request, never words.
public struct CheckFailure: Sendable, Hashable {
    /// Which check failed; a struct over a string so later kinds (conform's checks) can be added.
    public struct Kind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// No HTTP answer: refused, DNS, TLS, timeout, a body over the limit (exit 3).
        public static let transport = Kind(rawValue: "transport")
        /// A status the operation does not document, or one the step's `expect` does not allow.
        public static let status = Kind(rawValue: "status")
        /// A body that is not the documented media type, or not JSON where JSON is documented.
        public static let contentType = Kind(rawValue: "content-type")
        /// A body that breaks the response schema.
        public static let schema = Kind(rawValue: "schema")
        /// A step's own `expect` (JSONPath assertions, headers, time).
        public static let expectation = Kind(rawValue: "expectation")
        /// A `capture` found nothing.
        public static let capture = Kind(rawValue: "capture")
        /// A `retry` gave up, was stopped by `fail_if`, or was interrupted.
        public static let polling = Kind(rawValue: "polling")
        /// The request a step would send breaks the spec (a parameter value or body after expansion); nothing was sent.
        public static let request = Kind(rawValue: "request")
        /// The step could not be built at run time (an undefined variable, an automatic login that failed).
        public static let scenario = Kind(rawValue: "scenario")
        /// Read from a report written before failures were data (report.json format 1).
        public static let unclassified = Kind(rawValue: "unclassified")

        public var description: String { rawValue }

        /// Whether the server could not be reached or answered garbage at the transport level (exit code 3).
        public var isTransport: Bool { self == .transport }
        /// Whether the run itself broke (JUnit `<error>`) rather than a check of the answer (`<failure>`).
        public var isError: Bool { self == .transport || self == .scenario }
    }

    /// Where the failure is.
    public enum Location: Sendable, Hashable {
        case none
        /// A JSON pointer into the response body (`/experiments/0/id`; "" is the whole body).
        case body(pointer: String)
        /// The JSONPath of a scenario assertion or capture (`$.pagination.limit`).
        case jsonPath(String)
        /// A response header.
        case header(String)
        /// A place in a scenario file.
        case source(SourceLocation)
        /// A parameter of the request (`query`, `limit`), or a pointer into its body (`body`, `/username`).
        case request(in: String, name: String)
    }

    public var kind: Kind
    public var location: Location
    /// What the check wanted ("200 or 2xx", "integer", "to equal 1"); empty when it says nothing useful.
    public var expected: String
    /// What was found ("404", "string \"x\"", "absent").
    public var actual: String
    /// Why, with the values that make the sentence; `FailureText` writes it.
    public var reason: Reason
    /// For schema failures: the keyword's place in the spec (`#/definitions/v1Experiment/properties/id/type`).
    public var schemaLocation: String
    /// conform: the request that got it, as data (why, the varied parameter, its value); nil for a step's own request.
    public var variant: ConformVariant?
    /// conform: the other requests that got the same finding (`limit=2147483648`, `offset=-1`), each listed once.
    public var moreVariants: [ConformVariant] = []
    /// conform `--strict`: the known master bug this finding is (description and reference), reported as a failure.
    public var knownBug = ""

    public init(
        _ kind: Kind, at location: Location = .none, expected: String = "", actual: String = "", reason: Reason,
        schemaLocation: String = ""
    ) {
        self.kind = kind
        self.location = location
        self.expected = expected
        self.actual = actual
        self.reason = reason
        self.schemaLocation = schemaLocation
    }

    /// A schema violation of the response body.
    public init(violation v: SchemaViolation) {
        self.init(
            .schema, at: .body(pointer: v.instancePointer.description), expected: v.keyword, reason: .schema(message: v.message),
            schemaLocation: v.schemaLocation)
    }

    /// The same failure with `transform` applied to every text it holds (redaction).
    public func mapText(_ transform: (String) -> String) -> CheckFailure {
        var out = self
        out.expected = transform(expected)
        out.actual = transform(actual)
        out.reason = reason.mapText(transform)
        out.variant = variant?.mapText(transform)
        out.moreVariants = moreVariants.map { $0.mapText(transform) }
        if case .jsonPath(let p) = location { out.location = .jsonPath(transform(p)) }
        return out
    }
}
