import HTTP
import OpenAPI

/// One answer of a conform case, as the checks see it.
struct ConformAnswer {
    var conformCase: ConformCase
    var operation: OpenAPI.Operation
    var result: StepResult
    var response: HTTPResponse?
    var settings: Sweep.Settings
    /// The answer is the refusal the request must get (a 4xx for a forbidden value, a 401 or 403 without
    /// credentials): a status the spec does not list is then no finding.
    var refusalExpected = false

    var status: Int? { result.status }

    /// The step path's failures of `kind` (status, content type, schema) under the check's name.
    func stepFailures(_ kind: CheckFailure.Kind, as check: ConformCheck) -> [CheckFailure] {
        result.failures.filter { $0.kind == kind }.map { f in
            var f = f
            f.kind = check.kind
            return f
        }
    }
}

/// A conform check of one answer: when it judges a case, and what it finds.
///
/// Each check is a small type in `ConformChecks.all`; a new check is one file and one entry there. The sweep asks
/// every entry whether it applies (the coverage matrix's ✓ comes from that) and records what it finds.
/// `ignored_auth` and `unsupported_method` send requests of their own (`Sweep.withoutCredentials`,
/// `Sweep.probe`) and judge those answers with their types' rules.
protocol AnswerCheck: Sendable {
    var check: ConformCheck { get }
    /// Whether this check judges the answer to `conformCase` of `operation`.
    func applies(to conformCase: ConformCase, of operation: OpenAPI.Operation, settings: Sweep.Settings) -> Bool
    /// What it found wrong with the answer; nothing when it conformed.
    func findings(in answer: ConformAnswer) -> [CheckFailure]
}

extension AnswerCheck {
    func applies(to conformCase: ConformCase, of operation: OpenAPI.Operation, settings: Sweep.Settings) -> Bool { true }
}

/// The registry of answer checks, in the order their findings are listed.
enum ConformChecks {
    static let all: [any AnswerCheck] = [
        NotAServerError(), StatusCodeConformance(), ContentTypeConformance(), ResponseSchemaConformance(),
        ResponseHeadersConformance(), NegativeDataRejection(), PositiveDataAcceptance(), MaxResponseTime(),
    ]

    /// The checks (among those selected) that judge the answer to `conformCase`.
    static func applied(to conformCase: ConformCase, of operation: OpenAPI.Operation, settings: Sweep.Settings) -> Set<ConformCheck> {
        Set(
            all.filter { settings.checks.contains($0.check) && $0.applies(to: conformCase, of: operation, settings: settings) }.map(\.check)
        )
    }

    /// Every selected check's findings in `answer`, and the step path's failures no check claims (a request that
    /// broke the spec, a scenario error) as they are.
    static func findings(in answer: ConformAnswer, only: Set<ConformCheck>? = nil) -> [CheckFailure] {
        var out: [CheckFailure] = []
        for c in all where answer.settings.checks.contains(c.check) && (only?.contains(c.check) ?? true) {
            if c.applies(to: answer.conformCase, of: answer.operation, settings: answer.settings) { out += c.findings(in: answer) }
        }
        out += answer.result.failures.filter { ConformCheck.of(runKind: $0.kind) == nil }
        return out
    }
}
