import Foundation
import Harness

/// The console rendering of a run: one line per step (✓ ✗ ↷), failures indented under it, a summary line.
public enum ConsoleReport {
    public static func scenario(_ r: ScenarioResult, color: Bool) -> String {
        func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        var out = "\(r.name)  (\(r.file))\n"
        // One column for the names of this scenario's steps (long names up to 64 characters keep it aligned).
        let width = min(64, max(44, r.steps.map { ($0.isFinally ? 9 : 0) + $0.name.count }.max() ?? 0))
        for s in r.steps {
            let status = s.status.map(String.init) ?? "---"
            let ms = String(format: "%6.1f ms", s.milliseconds)
            let label = (s.isFinally ? "finally: " : "") + s.name
            let padded = label.padding(toLength: max(width, label.count), withPad: " ", startingAt: 0)
            switch s.outcome {
            case .passed:
                out +=
                    "  \(paint("✓", "32")) \(padded) \(status) \(ms)  \(s.operationID)\(s.lenientNulls > 0 ? "  (\(Plural.count(s.lenientNulls, "null")) accepted)" : "")\(acceptedNote(s))\n"
            case .failed:
                out +=
                    "  \(paint("✗", "31")) \(padded) \(status) \(ms)  \(s.operationID)\n"
                for f in s.failures.prefix(10) { out += "      \(FailureText.line(f))\n" }
                if s.failures.count > 10 { out += "      … \(s.failures.count - 10) more\n" }
                if !s.curl.isEmpty { out += "      repro: \(s.curl)\n" }
            case .skipped(let reason):
                out += "  \(paint("↷", "33")) \(label)  skipped: \(reason)\n"
            case .error(let failure):
                out += "  \(paint("✗", "31")) \(label)  error: \(FailureText.line(failure))\n"
            }
        }
        return out
    }

    /// "  (1 known master bug)" after a passing step whose findings were accepted.
    static func acceptedNote(_ s: StepResult) -> String {
        guard !s.accepted.isEmpty else { return "" }
        let known = s.accepted.filter { $0.reason == .knownBug }.count
        let baselined = s.accepted.count - known
        let parts = (known > 0 ? [Plural.count(known, "known master bug")] : []) + (baselined > 0 ? ["\(baselined) baselined"] : [])
        return "  (\(parts.joined(separator: ", ")))"
    }

    /// `::error file=…,title=…::message` lines, which GitHub Actions shows on the pull request.
    public static func githubAnnotations(_ r: ScenarioResult) -> String {
        // GitHub's workflow-command escaping: the message escapes %, CR, LF; properties also ':' and ','.
        func message(_ s: String) -> String {
            s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(
                of: "\n", with: "%0A")
        }
        func property(_ s: String) -> String {
            message(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
        }
        var out = ""
        for s in r.steps {
            // The step's own file and line, so GitHub marks the line in the pull request's diff.
            let place = s.line > 0 ? "file=\(property(s.file.isEmpty ? r.file : s.file)),line=\(s.line)" : "file=\(property(r.file))"
            switch s.outcome {
            case .failed:
                out +=
                    "::error \(place),title=\(property(r.name + ": " + s.name))::\(message(FailureText.lines(s.failures).joined(separator: "\n")))\n"
            case .error(let f): out += "::error \(place),title=\(property(r.name + ": " + s.name))::\(message(FailureText.line(f)))\n"
            default: break
            }
        }
        return out
    }

    /// The opening line of `detapi run`, on stderr.
    public static func banner(scenarios: Int, repeat: Int, shard: String?, of selected: Int, master: String, mock: Bool) -> String {
        "detapi run: \(Plural.count(scenarios, "scenario"))\(`repeat` > 1 ? " × \(`repeat`) runs" : "")"
            + "\(shard.map { " (shard \($0) of \(selected))" } ?? "") against \(master)\(mock ? " (embedded mock)" : "")"
    }

    /// The closing line.
    ///
    /// `milliseconds` is the run's wall time, when known (the same number report.json and the HTML report show). An interrupted run says so, with the scenarios that never started.
    public static func summary(_ results: [ScenarioResult], milliseconds: Double? = nil, interrupted: Interruption? = nil) -> String {
        let counts = StepCounts(results.flatMap(\.steps))
        let scenariosFailed = results.filter(\.failed).count
        let time = milliseconds.map { String(format: " · %.2f s", $0 / 1000) } ?? ""
        let steps = "steps: \(counts.passed) passed, \(counts.failed + counts.errors) failed, \(counts.skipped) skipped"
        guard let interrupted else {
            return "\n\(results.count - scenariosFailed) of \(results.count) scenarios passed · \(steps)\(time)\n"
        }
        var out =
            "\ninterrupted by \(interrupted.signal): \(results.count - scenariosFailed) scenarios passed, \(scenariosFailed) failed, \(interrupted.notStarted) never started · \(steps)\(time)\n"
        if !interrupted.notStartedNames.isEmpty {
            let names = interrupted.notStartedNames
            out += "never started: \(names.prefix(20).joined(separator: ", "))\(names.count > 20 ? ", … \(names.count - 20) more" : "")\n"
        }
        return out
    }

    /// conform's closing line: operations, cases and requests (a sweep has no scenarios or steps).
    public static func sweepSummary(_ coverage: ConformCoverage, results: [ScenarioResult], milliseconds: Double, interrupted: Bool)
        -> String
    {
        let rows = results.flatMap(\.steps)
        let failed = rows.filter {
            if case .failed = $0.outcome { return true } else if case .error = $0.outcome { return true } else { return false }
        }
        let findings = rows.map(\.failures.count).reduce(0, +)
        let passed = rows.count - failed.count
        return "\n\(interrupted ? "interrupted: " : "")\(passed) of \(Plural.count(rows.count, "operation")) passed · "
            + "\(Plural.count(findings, "finding")) · \(Plural.count(coverage.requests, "request")) · "
            + String(format: "%.2f s", milliseconds / 1000) + "\n"
    }
}
