import Foundation
import Harness
import JSON

/// The whole run as JSON, for machines; field names are stable (documented in docs/reports.md).
public enum JSONReport {
    public static func render(_ results: [ScenarioResult], master: String, spec: String) -> JSONValue {
        .object(
            JSONObject([
                .init(key: "tool", value: "detapi"), .init(key: "master", value: .string(master)), .init(key: "spec", value: .string(spec)),
                .init(key: "scenarios", value: .array(results.map(scenario))),
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
        switch s.outcome {
        case .passed: outcome = "passed"
        case .failed: outcome = "failed"
        case .skipped(let r):
            outcome = "skipped"
            reason = .string(r)
        case .error(let m):
            outcome = "error"
            reason = .string(m)
        }
        return .object(
            JSONObject([
                .init(key: "name", value: .string(s.name)), .init(key: "operationId", value: .string(s.operationID)),
                .init(key: "finally", value: .bool(s.isFinally)), .init(key: "outcome", value: .string(outcome)),
                .init(key: "reason", value: reason),
                .init(key: "method", value: .string(s.method)), .init(key: "url", value: .string(s.url)),
                .init(key: "status", value: s.status.map { .number(JSONNumber($0)) } ?? .null),
                .init(key: "milliseconds", value: .number(JSONNumber(text: String(format: "%.3f", s.milliseconds)))),
                .init(key: "failures", value: .array(s.failures.map(JSONValue.string))),
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
            ]))
    }
}

/// Writes report files atomically (a temporary file renamed into place), creating the folder.
public enum ReportWriter {
    public static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        try Data(text.utf8).write(to: temporary)
        if rename(temporary.path, url.path) != 0 { throw CocoaError(.fileWriteUnknown) }
    }
}
