import Foundation
import Harness
import JSON
import Mustache

/// One self-contained HTML file (inline CSS and JS, nothing fetched) a person opens from CI artifacts:
/// summary, each scenario's steps with a timing waterfall, details on demand, a failed-only filter.
///
/// Rendered from a swift-mustache template; every server-supplied string goes through Mustache's HTML
/// escaping, and the step details travel as JSON inside a `<script type="application/json">` with `<`, `>`
/// and `&` escaped, built into DOM nodes with `textContent` only when a row is opened — so a body holding
/// `<script>` is shown, never run, and 5,000 steps stay quick to open.
public enum HTMLReport {
    public static func render(_ results: [ScenarioResult], master: String, spec: String, title: String = "detapi report") throws -> String {
        let template = try MustacheTemplate(string: HTMLTemplate.text)
        let steps = results.flatMap(\.steps)
        let passed = steps.filter { $0.outcome == .passed }.count
        let skipped = steps.filter { if case .skipped = $0.outcome { return true } else { return false } }.count
        var details: [JSONValue] = []
        var scenarios: [[String: Any]] = []
        for r in results {
            let total = max(1, r.steps.map(\.milliseconds).reduce(0, +))
            var offset = 0.0
            var rows: [[String: Any]] = []
            for s in r.steps {
                let (symbol, kind, note): (String, String, String)
                switch s.outcome {
                case .passed: (symbol, kind, note) = ("✓", "passed", s.lenientNulls > 0 ? "\(s.lenientNulls) nulls accepted" : "")
                case .failed: (symbol, kind, note) = ("✗", "failed", s.failures.first ?? "")
                case .skipped(let reason): (symbol, kind, note) = ("↷", "skipped", reason)
                case .error(let m): (symbol, kind, note) = ("✗", "failed", m)
                }
                rows.append([
                    "index": details.count, "symbol": symbol, "kind": kind, "name": (s.isFinally ? "finally: " : "") + s.name,
                    "operation": s.operationID, "status": s.status.map(String.init) ?? "—", "ms": String(format: "%.1f", s.milliseconds),
                    "note": note, "left": String(format: "%.2f", offset / total * 100),
                    "width": String(format: "%.2f", max(0.5, s.milliseconds / total * 100)),
                ])
                offset += s.milliseconds
                details.append(
                    [
                        "request": .string("\(s.method) \(s.url)"), "failures": .array(s.failures.map(JSONValue.string)),
                        "violations": .array(s.violations.map { .string($0.description) }), "curl": .string(s.curl),
                        "body": .string(s.responseExcerpt),
                    ])
            }
            scenarios.append(["name": r.name, "file": r.file, "failed": r.failed, "rows": rows, "skippedReason": r.skippedReason as Any])
        }
        let context: [String: Any] = [
            "title": title, "master": master, "spec": spec, "passed": passed, "failed": steps.count - passed - skipped, "skipped": skipped,
            "total": steps.count, "seconds": String(format: "%.3f", steps.map(\.milliseconds).reduce(0, +) / 1000),
            "generated": ISO8601DateFormatter().string(from: Date()), "scenarios": scenarios, "details": scriptSafeJSON(.array(details)),
        ]
        return template.render(context)
    }

    /// JSON that can sit inside a `<script>` element: `<`, `>`, `&` and line separators escaped.
    static func scriptSafeJSON(_ value: JSONValue) -> String {
        JSONWriter().string(value).replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026").replacingOccurrences(of: "\u{2028}", with: "\\u2028")
            .replacingOccurrences(of: "\u{2029}", with: "\\u2029")
    }
}
