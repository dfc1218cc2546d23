import Foundation
import HTTP
import Harness
import JSON
import Mustache
import OpenAPI

/// One self-contained HTML file (inline CSS and JS, nothing fetched) a person opens from CI artifacts:
/// summary, each scenario's steps with a timing waterfall, request and response on demand with schema errors
/// marked at their pointers in the pretty-printed body, a failed-only filter.
///
/// Rendered from a swift-mustache template; every server-supplied string goes through Mustache's HTML
/// escaping, and the step details travel as JSON inside a `<script type="application/json">` with `<`, `>`
/// and `&` escaped, built into DOM nodes with `textContent` only when a row is opened — so a body holding
/// `<script>` is shown, never run, and 5,000 steps stay quick to open.
public enum HTMLReport {
    /// Above this many steps, passing scenarios start folded.
    static let openAllUpTo = 500
    /// Failed steps whose details are open when the page loads.
    static let failuresOpenedOnLoad = 20

    public static func render(_ run: RunRecord, title: String = "detapi report") throws -> String {
        let template = try MustacheTemplate(string: HTMLTemplate.text)
        let steps = run.results.flatMap(\.steps)
        let counts = StepCounts(steps)
        var details: [JSONValue] = []
        var strings = StringTable()
        var scenarios: [[String: Any]] = []
        for r in run.results {
            let span = max(1, r.steps.map { $0.startMilliseconds + $0.milliseconds }.max() ?? 0)
            var scenario: [String: Any] = [
                "name": r.name, "file": r.file, "failed": r.failed, "first": details.count, "steps": r.steps.count,
                "symbol": r.failed ? "✗" : (r.skippedReason != nil ? "↷" : "✓"), "span": String(format: "%.3f", span),
                "ms": String(format: "%.1f", span), "open": r.failed || steps.count <= openAllUpTo,
            ]
            // Mustache shows a present key, even nil: optional parts are left out instead.
            if let reason = r.skippedReason { scenario["skippedReason"] = reason }
            scenarios.append(scenario)
            for s in r.steps { details.append(detail(s, &strings)) }
        }
        var context: [String: Any] = [
            "title": title, "master": run.master, "spec": run.spec, "passed": counts.passed,
            "failed": counts.failed + counts.errors, "skipped": counts.skipped, "total": steps.count,
            "scenarioCount": run.results.count,
            "seconds": String(format: "%.3f", (run.milliseconds ?? steps.map(\.milliseconds).reduce(0, +)) / 1000),
            "generated": ISO8601DateFormatter().string(from: Date()), "scenarios": scenarios,
            "details": scriptSafeJSON(["strings": .array(strings.strings.map(JSONValue.string)), "steps": .array(details)]),
            "openFailures": failuresOpenedOnLoad,
        ]
        if let shard = run.shard { context["shard"] = shard }
        if let stop = run.interrupted { context["interrupted"] = stop.text }
        if let gap = run.partial { context["partial"] = gap.text }
        if !run.overlays.isEmpty { context["overlayText"] = run.overlays.joined(separator: "; ") }
        if let conform = run.conform { context["conform"] = matrix(conform, steps: steps) }
        return template.render(context)
    }

    /// conform's coverage matrix (operations × checks) and its accepted findings, as the template reads them.
    static func matrix(_ c: ConformCoverage, steps: [StepResult]) -> [String: Any] {
        let symbols: [ConformCoverage.CheckState: String] = [
            .passed: "✓", .failed: "✗", .knownBug: "K", .baselined: "B", .notJudged: "?",
        ]
        let notSent: [[String: Any]] = c.notSent.map { n in
            [
                "id": "\(n.id) (not sent)", "requests": 0, "statuses": "not sent: \(n.reason.text)", "documented": "",
                "cells": c.checks.map { ["check": $0.rawValue, "state": "n/a", "symbol": ""] as [String: Any] },
            ]
        }
        let rows: [[String: Any]] =
            c.operations.map { op in
                [
                    "id": op.isProbe ? "\(op.id) (probe)" : op.isWrite ? "\(op.id) (write, undone)" : op.id, "requests": op.requests,
                    "statuses": op.isSwept && !op.reached
                        ? "not reached (\(op.statusText))" : op.statuses.map(String.init).joined(separator: ", "),
                    "documented": op.documented.joined(separator: ", "),
                    "cells": c.checks.map { check -> [String: Any] in
                        let state = op.checks[check]
                        return ["check": check.rawValue, "state": state?.rawValue ?? "n/a", "symbol": state.flatMap { symbols[$0] } ?? ""]
                    },
                ]
            } + notSent
        let accepted: [[String: Any]] = steps.flatMap { s in
            s.accepted.map { ["operation": s.operationID, "text": AcceptedText.line($0)] as [String: Any] }
        }
        let stale: [[String: Any]] = c.staleBaseline.map {
            ["text": "\($0.operation) \($0.check)\($0.requestText.map { " (\($0))" } ?? "")\($0.pointer.isEmpty ? "" : " \($0.pointer)")"]
        }
        let reached = c.operations.filter { $0.isSwept && $0.reached }.count
        var out: [String: Any] = [
            "summary":
                "\(reached) of \(Plural.count(c.swept, c.notSent.isEmpty ? "GET/HEAD operation" : "operation")) reached with a documented 2xx (of \(c.specOperations) in the spec), \(Plural.count(c.requests, "request"))\(c.notSent.isEmpty ? "" : ", \(c.notSent.count) not sent")\(c.strict ? ", --strict" : "")\(c.stoppedEarly.map { "; stopped early: \($0)" } ?? "")",
            "checks": c.checks.map { ["name": $0.rawValue, "summary": $0.summary] as [String: Any] }, "rows": rows,
        ]
        if !accepted.isEmpty {
            out["hasAccepted"] = true
            out["accepted"] = accepted
        }
        if !stale.isEmpty {
            out["hasStale"] = true
            out["stale"] = stale
        }
        return out
    }

    /// A step's row and details, as the page's script reads them.
    ///
    /// Every text is an index into a shared string table: thousands of steps repeat the same headers, bodies
    /// and repros, and the page stays small.
    private static func detail(_ s: StepResult, _ t: inout StringTable) -> JSONValue {
        func headers(_ h: HTTPHeaders) -> JSONValue { .array(h.map { t.ref("\($0.name): \($0.value)") }) }
        let (kind, note): (String, String)
        switch s.outcome {
        case .passed: (kind, note) = ("passed", s.lenientNulls > 0 ? Plural.count(s.lenientNulls, "null") + " accepted" : "")
        case .failed: (kind, note) = ("failed", s.failures.first.map(FailureText.line) ?? "")
        case .skipped(let reason): (kind, note) = ("skipped", reason)
        case .error(let f): (kind, note) = ("failed", FailureText.line(f))
        }
        func number(_ ms: Double) -> JSONValue { .number(JSONNumber(text: String(format: "%.3f", ms))) }
        return [
            "kind": .string(kind), "name": t.ref((s.isFinally ? "finally: " : "") + s.name), "operation": t.ref(s.operationID),
            "status": s.status.map { .number(JSONNumber($0)) } ?? .null, "ms": number(s.milliseconds),
            "start": number(s.startMilliseconds), "attempts": .number(JSONNumber(s.attempts)), "note": t.ref(note),
            "request": t.ref(s.method.isEmpty ? "(not sent)" : "\(s.method) \(s.url)"), "reqHeaders": headers(s.requestHeaders),
            "reqBody": t.ref(s.requestBody), "failures": .array(s.failures.map { t.ref(FailureText.line($0)) }),
            "accepted": .array(s.accepted.map { t.ref(AcceptedText.line($0)) }),
            "violations": .array(s.violations.map { [t.ref($0.instancePointer.description), t.ref($0.message)] }),
            "resHeaders": headers(s.responseHeaders), "body": t.ref(s.responseBody), "truncated": .bool(s.responseBodyTruncated),
            "curl": t.ref(s.curl),
        ]
    }

    /// Strings stored once, referred to by position.
    struct StringTable {
        var strings: [String] = []
        var positions: [String: Int] = [:]

        mutating func ref(_ s: String) -> JSONValue {
            if let i = positions[s] { return .number(JSONNumber(i)) }
            positions[s] = strings.count
            strings.append(s)
            return .number(JSONNumber(strings.count - 1))
        }
    }

    /// JSON that can sit inside a `<script>` element: `<`, `>`, `&` and line separators escaped.
    static func scriptSafeJSON(_ value: JSONValue) -> String {
        JSONWriter().string(value).replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026").replacingOccurrences(of: "\u{2028}", with: "\\u2028")
            .replacingOccurrences(of: "\u{2029}", with: "\\u2029")
    }
}
