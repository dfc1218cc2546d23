import Foundation
import HTTP
import Harness
import JSON
import OpenAPI

/// The whole run as JSON, for machines, and the input of `detapi report merge`; field names are stable
/// (documented in docs/reports.md) and `format` changes only when one changes meaning.
public enum JSONReport {
    /// The version of the field layout below: 2 made failures objects (kind, location, expected, actual,
    /// message, text) and added a step's `error`; format 1 had them as strings, and `JSONReportReader` still reads it.
    public static let format = 2

    public static func render(_ run: RunRecord) -> JSONValue {
        let steps = run.results.flatMap(\.steps)
        let counts = StepCounts(steps)
        return .object(
            JSONObject([
                .init(key: "tool", value: "detapi"), .init(key: "format", value: .number(JSONNumber(format))),
                .init(key: "master", value: .string(run.master)), .init(key: "spec", value: .string(run.spec)),
                .init(key: "shard", value: run.shard.map(JSONValue.string) ?? .null),
                .init(key: "overlays", value: .array(run.overlays.map(JSONValue.string))),
                .init(
                    key: "interrupted",
                    value: run.interrupted.map {
                        [
                            "signal": .string($0.signal), "notStarted": .number(JSONNumber($0.notStarted)),
                            "notStartedNames": .array($0.notStartedNames.map(JSONValue.string)), "text": .string($0.text),
                        ]
                    } ?? .null),
                .init(
                    key: "partial",
                    value: run.partial.map {
                        [
                            "of": .number(JSONNumber($0.count)), "missing": .array($0.missing.map { .number(JSONNumber($0)) }),
                            "duplicated": .array($0.duplicated.map { .number(JSONNumber($0)) }), "mismatched": .bool($0.mismatched),
                            "allowed": .bool($0.allowed), "text": .string($0.text),
                        ]
                    } ?? .null),
                .init(
                    key: "summary",
                    value: [
                        "scenarios": .number(JSONNumber(run.results.count)), "steps": .number(JSONNumber(steps.count)),
                        "passed": .number(JSONNumber(counts.passed)), "failed": .number(JSONNumber(counts.failed)),
                        "errors": .number(JSONNumber(counts.errors)), "skipped": .number(JSONNumber(counts.skipped)),
                        "milliseconds": milliseconds(run.milliseconds ?? steps.map(\.milliseconds).reduce(0, +)),
                    ]),
                .init(key: "scenarios", value: .array(run.results.map(scenario))),
                .init(key: "conform", value: run.conform.map(conform) ?? .null),
            ]))
    }

    /// A conform sweep's coverage: per operation the requests, statuses seen and documented, and each check's state.
    static func conform(_ c: ConformCoverage) -> JSONValue {
        func number(_ n: Int) -> JSONValue { .number(JSONNumber(n)) }
        return .object(
            JSONObject([
                .init(key: "specOperations", value: number(c.specOperations)), .init(key: "swept", value: number(c.swept)),
                .init(key: "reached", value: number(c.operations.filter { $0.isSwept && $0.reached }.count)),
                .init(key: "notReached", value: .array(c.notReached.map { .string($0.id) })),
                .init(key: "requests", value: number(c.requests)), .init(key: "strict", value: .bool(c.strict)),
                .init(key: "stoppedEarly", value: c.stoppedEarly.map(JSONValue.string) ?? .null),
                .init(key: "checks", value: .array(c.checks.map { .string($0.rawValue) })),
                .init(
                    key: "operations",
                    value: .array(
                        c.operations.map { op in
                            .object(
                                JSONObject([
                                    .init(key: "operationId", value: .string(op.id)), .init(key: "tag", value: .string(op.tag)),
                                    .init(key: "method", value: .string(op.method)), .init(key: "path", value: .string(op.path)),
                                    .init(key: "probe", value: .bool(op.isProbe)), .init(key: "write", value: .bool(op.isWrite)),
                                    .init(key: "proof", value: .bool(op.isProof)),
                                    .init(key: "requests", value: number(op.requests)),
                                    .init(key: "statuses", value: .array(op.statuses.map(number))),
                                    .init(key: "reached", value: .bool(op.reached)),
                                    .init(
                                        key: "statusCounts",
                                        value: .object(
                                            JSONObject(
                                                op.statusCounts.sorted { $0.key < $1.key }.map {
                                                    JSONObject.Member(key: String($0.key), value: number($0.value))
                                                }))),
                                    .init(key: "documented", value: .array(op.documented.map(JSONValue.string))),
                                    .init(
                                        key: "checks",
                                        value: .object(
                                            JSONObject(
                                                op.checks.sorted { $0.key < $1.key }.map {
                                                    JSONObject.Member(key: $0.key.rawValue, value: .string($0.value.rawValue))
                                                }))),
                                    .init(key: "parameters", value: .array(op.parameters.map(JSONValue.string))),
                                    .init(key: "enumValuesSent", value: number(op.enumValuesSent)),
                                    .init(key: "enumValuesDocumented", value: number(op.enumValuesDocumented)),
                                ]))
                        })),
                .init(
                    key: "notSent",
                    value: .array(
                        c.notSent.map {
                            [
                                "operationId": .string($0.id), "tag": .string($0.tag), "method": .string($0.method),
                                "path": .string($0.path),
                                "reason": .string($0.reason.text),
                            ]
                        })),
                .init(
                    key: "staleBaseline",
                    value: .array(
                        c.staleBaseline.map {
                            [
                                "operation": .string($0.operation), "check": .string($0.check), "pointer": .string($0.pointer),
                                "variant": $0.requestText.map(JSONValue.string) ?? .null,
                            ]
                        })),
            ]))
    }

    static func scenario(_ r: ScenarioResult) -> JSONValue {
        .object(
            JSONObject([
                .init(key: "name", value: .string(r.name)), .init(key: "file", value: .string(r.file)),
                .init(key: "passed", value: .bool(!r.failed)),
                .init(key: "skippedReason", value: r.skippedReason.map(JSONValue.string) ?? .null),
                .init(key: "steps", value: .array(r.steps.map(step))),
            ]))
    }

    static func step(_ s: StepResult) -> JSONValue {
        let outcome: String
        var reason: JSONValue = .null
        var error: JSONValue = .null
        switch s.outcome {
        case .passed: outcome = "passed"
        case .failed: outcome = "failed"
        case .skipped(let r):
            outcome = "skipped"
            reason = .string(r)
        case .error(let f):
            outcome = "error"
            reason = .string(FailureText.line(f))
            error = failure(f)
        }
        return .object(
            JSONObject([
                .init(key: "name", value: .string(s.name)), .init(key: "operationId", value: .string(s.operationID)),
                .init(key: "file", value: .string(s.file)), .init(key: "line", value: .number(JSONNumber(s.line))),
                .init(key: "finally", value: .bool(s.isFinally)), .init(key: "outcome", value: .string(outcome)),
                .init(key: "reason", value: reason), .init(key: "error", value: error),
                .init(key: "method", value: .string(s.method)), .init(key: "url", value: .string(s.url)),
                .init(key: "status", value: s.status.map { .number(JSONNumber($0)) } ?? .null),
                .init(key: "startMilliseconds", value: milliseconds(s.startMilliseconds)),
                .init(key: "milliseconds", value: milliseconds(s.milliseconds)),
                .init(key: "attempts", value: .number(JSONNumber(s.attempts))),
                .init(key: "failures", value: .array(s.failures.map(failure))),
                .init(
                    key: "accepted",
                    value: .array(
                        s.accepted.map {
                            ["reason": .string($0.reason.rawValue), "note": .string($0.note), "failure": failure($0.failure)]
                        })),
                .init(
                    key: "violations",
                    value: .array(
                        s.violations.map {
                            [
                                "pointer": .string($0.instancePointer.description), "keyword": .string($0.keyword),
                                "message": .string($0.message), "schema": .string($0.schemaLocation),
                            ]
                        })),
                .init(key: "lenientNulls", value: .number(JSONNumber(s.lenientNulls))), .init(key: "curl", value: .string(s.curl)),
                .init(key: "request", value: ["headers": headers(s.requestHeaders), "body": .string(s.requestBody)]),
                .init(
                    key: "response",
                    value: [
                        "headers": headers(s.responseHeaders), "body": .string(s.responseBody),
                        "bodyTruncated": .bool(s.responseBodyTruncated),
                    ]),
            ]))
    }

    /// A failure as data, plus its rendered line as `text`.
    static func failure(_ f: CheckFailure) -> JSONValue {
        let location: JSONValue
        switch f.location {
        case .none: location = .null
        case .body(let pointer): location = ["pointer": .string(pointer)]
        case .jsonPath(let path): location = ["jsonPath": .string(path)]
        case .header(let name): location = ["header": .string(name)]
        case .source(let place):
            location = ["file": .string(place.file), "line": .number(JSONNumber(place.line)), "column": .number(JSONNumber(place.column))]
        case .request(let place, let name): location = ["request": .string(place), "name": .string(name)]
        }
        return .object(
            JSONObject([
                .init(key: "kind", value: .string(f.kind.rawValue)), .init(key: "location", value: location),
                .init(key: "expected", value: .string(f.expected)), .init(key: "actual", value: .string(f.actual)),
                .init(key: "message", value: .string(FailureText.sentence(f.reason))), .init(key: "reason", value: f.reason.json),
                .init(key: "schema", value: .string(f.schemaLocation)),
                .init(key: "variant", value: .string(f.variant?.label ?? "")),
                .init(key: "moreVariants", value: .array(f.moreVariants.map { .string($0.label) })),
                .init(key: "case", value: f.variant?.json ?? .null),
                .init(key: "moreCases", value: .array(f.moreVariants.map(\.json))),
                .init(key: "knownBug", value: .string(f.knownBug)),
                .init(key: "text", value: .string(FailureText.line(f))),
            ]))
    }

    private static func headers(_ h: HTTPHeaders) -> JSONValue {
        .array(h.map { ["name": .string($0.name), "value": .string($0.value)] })
    }

    private static func milliseconds(_ ms: Double) -> JSONValue { .number(JSONNumber(text: String(format: "%.3f", ms))) }
}

/// Passed, failed, error and skipped steps, counted once for every report.
public struct StepCounts: Sendable {
    public var passed = 0
    public var failed = 0
    public var errors = 0
    public var skipped = 0

    public init(_ steps: [StepResult]) {
        for s in steps {
            switch s.outcome {
            case .passed: passed += 1
            case .failed: failed += 1
            case .error: errors += 1
            case .skipped: skipped += 1
            }
        }
    }
}
