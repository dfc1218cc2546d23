import HTTP
import JSON
import OpenAPI

/// A finding that is reported but does not fail the run, and why it is accepted.
public struct AcceptedFailure: Sendable, Hashable {
    public enum Reason: String, Sendable, Hashable {
        /// On the shipped list of the master's known bugs (`KnownMasterBug`).
        case knownBug = "known master bug"
        /// In the user's `--baseline` file.
        case baseline = "baseline"
    }

    public var failure: CheckFailure
    public var reason: Reason
    /// The known bug's description and reference, or the baseline file.
    public var note: String
    /// How many requests got this finding (a known bug is listed once per operation, with the first request).
    public var occurrences = 1

    public init(failure: CheckFailure, reason: Reason, note: String) {
        self.failure = failure
        self.reason = reason
        self.note = note
    }
}

/// What happened to one step: the exchange (redacted), every check that failed, and the schema verdict.
public struct StepResult: Sendable {
    public enum Outcome: Sendable, Equatable {
        case passed
        case failed
        case skipped(String)
        /// The step could not be sent or answered (transport failure, undefined variable at run time).
        case error(CheckFailure)
    }

    public var name: String
    public var operationID: String
    public var method: String
    public var url: String
    public var status: Int?
    /// Wall time of the step: every attempt of a polling step and the waits between them.
    public var milliseconds: Double
    /// When the step started, in milliseconds after its scenario started (the waterfall's left edge).
    public var startMilliseconds: Double = 0
    /// Requests sent: more than one when the step polled with `retry`.
    public var attempts = 0
    public var outcome: Outcome
    public var failures: [CheckFailure] = []
    /// conform: findings that do not fail the run (known master bugs, baselined findings).
    public var accepted: [AcceptedFailure] = []
    public var violations: [SchemaViolation] = []
    public var lenientNulls = 0
    public var curl: String = ""
    /// What was sent and received, redacted: sensitive headers masked, secret fields and values hidden.
    public var requestHeaders = HTTPHeaders()
    public var requestBody = ""
    public var responseHeaders = HTTPHeaders()
    /// The redacted response body, cut at `StepResult.bodyLimit(failed:)` bytes (`responseBodyTruncated` says so).
    public var responseBody = ""
    public var responseBodyTruncated = false
    public var isFinally = false
    /// Where the step is written (an included step names the included file); empty and 0 when unknown.
    public var file = ""
    public var line = 0

    public init(name: String, operationID: String, method: String, url: String, status: Int? = nil, milliseconds: Double, outcome: Outcome)
    {
        self.name = name
        self.operationID = operationID
        self.method = method
        self.url = url
        self.status = status
        self.milliseconds = milliseconds
        self.outcome = outcome
    }

    /// The first 2 KB of the body, as JUnit failures carry it.
    public var responseExcerpt: String { StepResult.prefix(responseBody, bytes: 2048).text }

    /// How much of a body the reports keep: enough to debug a failure, little for the thousands that passed.
    public static func bodyLimit(failed: Bool) -> Int { failed ? 65_536 : 8_192 }

    /// Forgets the headers and bodies (for runs whose reports will not show them).
    public mutating func dropExchange() {
        requestHeaders = HTTPHeaders()
        requestBody = ""
        responseHeaders = HTTPHeaders()
        responseBody = ""
        responseBodyTruncated = false
    }

    /// Keeps at most `limit` UTF-8 bytes of `body`.
    public mutating func keepBody(_ body: String, limit: Int) {
        (responseBody, responseBodyTruncated) = StepResult.prefix(body, bytes: limit)
    }

    /// At most `bytes` UTF-8 bytes of `text`, cut before a character that would not fit whole.
    static func prefix(_ text: String, bytes: Int) -> (text: String, cut: Bool) {
        let utf8 = text.utf8
        guard utf8.count > bytes else { return (text, false) }
        var end = utf8.index(utf8.startIndex, offsetBy: bytes)
        while end > utf8.startIndex && (utf8[end] & 0xC0) == 0x80 { end = utf8.index(before: end) }
        return (String(decoding: utf8[..<end], as: UTF8.self), true)
    }
}

/// One scenario's run.
public struct ScenarioResult: Sendable {
    public var name: String
    public var file: String
    public var steps: [StepResult]
    public var skippedReason: String?

    public init(name: String, file: String, steps: [StepResult], skippedReason: String? = nil) {
        self.name = name
        self.file = file
        self.steps = steps
        self.skippedReason = skippedReason
    }

    public var failed: Bool {
        steps.contains {
            if case .failed = $0.outcome { return true } else if case .error = $0.outcome { return true } else { return false }
        }
    }
    /// Whether a step could not reach the server (exit code 3).
    public var transportError: Bool {
        steps.contains { if case .error(let f) = $0.outcome { return f.kind.isTransport } else { return false } }
    }
}

/// What a whole run came to; every command's exit code comes from it (0, 1, 3).
public enum RunVerdict: Sendable, Hashable {
    case passed
    /// A check failed.
    case checkFailed
    /// A step could not reach the server (refused, DNS, TLS, timeout, a broken answer).
    case unreachable

    public init(_ results: [ScenarioResult]) {
        if results.contains(where: \.transportError) {
            self = .unreachable
        } else if results.contains(where: \.failed) {
            self = .checkFailed
        } else {
            self = .passed
        }
    }
}
