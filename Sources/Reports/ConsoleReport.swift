import Foundation
import Harness

/// The console rendering of a run: one line per step (✓ ✗ ↷), failures indented under it, a summary line.
public enum ConsoleReport {
    public static func scenario(_ r: ScenarioResult, color: Bool) -> String {
        func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        var out = "\(r.name)  (\(r.file))\n"
        for s in r.steps {
            let status = s.status.map(String.init) ?? "---"
            let ms = String(format: "%6.1f ms", s.milliseconds)
            let label = (s.isFinally ? "finally: " : "") + s.name
            switch s.outcome {
            case .passed:
                out +=
                    "  \(paint("✓", "32")) \(label.padding(toLength: max(44, label.count), withPad: " ", startingAt: 0)) \(status) \(ms)  \(s.operationID)\(s.lenientNulls > 0 ? "  (\(s.lenientNulls) nulls accepted)" : "")\n"
            case .failed:
                out +=
                    "  \(paint("✗", "31")) \(label.padding(toLength: max(44, label.count), withPad: " ", startingAt: 0)) \(status) \(ms)  \(s.operationID)\n"
                for f in s.failures.prefix(10) { out += "      \(f)\n" }
                if s.failures.count > 10 { out += "      … \(s.failures.count - 10) more\n" }
                out += "      repro: \(s.curl)\n"
            case .skipped(let reason):
                out += "  \(paint("↷", "33")) \(label)  skipped: \(reason)\n"
            case .error(let message):
                out += "  \(paint("✗", "31")) \(label)  error: \(message)\n"
            }
        }
        return out
    }

    /// `::error file=…,title=…::message` lines, which GitHub Actions shows on the pull request.
    public static func githubAnnotations(_ r: ScenarioResult) -> String {
        func clean(_ s: String) -> String {
            s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\n", with: "%0A").replacingOccurrences(
                of: "\r", with: "%0D")
        }
        var out = ""
        for s in r.steps {
            switch s.outcome {
            case .failed:
                out +=
                    "::error file=\(clean(r.file)),title=\(clean(r.name + ": " + s.name))::\(clean(s.failures.joined(separator: "\n")))\n"
            case .error(let m): out += "::error file=\(clean(r.file)),title=\(clean(r.name + ": " + s.name))::\(clean(m))\n"
            default: break
            }
        }
        return out
    }

    public static func summary(_ results: [ScenarioResult]) -> String {
        let steps = results.flatMap(\.steps)
        let passed = steps.filter { $0.outcome == .passed }.count
        let skipped = steps.filter { if case .skipped = $0.outcome { return true } else { return false } }.count
        let failed = steps.count - passed - skipped
        let scenariosFailed = results.filter(\.failed).count
        return
            "\n\(results.count - scenariosFailed) of \(results.count) scenarios passed · steps: \(passed) passed, \(failed) failed, \(skipped) skipped\n"
    }
}
