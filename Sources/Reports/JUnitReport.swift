import Foundation
import Harness

/// JUnit XML that Jenkins, GitLab and GitHub read (valid against Surefire's junit-10.xsd): a `testsuite` per
/// scenario, a `testcase` per step with `classname` = operationId.
///
/// ```xml
/// <testsuites name="detapi" tests="6" failures="1" errors="0" skipped="0" time="0.013">
///   <testsuite name="unarchive-experiment" tests="6" failures="1" errors="0" skipped="0" time="0.013" file="…">
///     <testcase name="find one archived experiment" classname="GetExperiments" time="0.003">
///       <failure type="contract" message="schema: /experiments/0: missing required property 'username'">GET …
/// ```
/// A failed step carries the request line, the status, each failure (schema errors as `pointer: message`), a
/// redacted curl repro and the first 2 KB of the (redacted) body; skips carry their reason.
public enum JUnitReport {
    /// The run's XML; an interrupted run says so in every testsuite's properties and lists the scenarios that did
    /// not start as one skipped case.
    public static func render(_ run: RunRecord) -> String {
        var results = run.results
        if let stop = run.interrupted, stop.notStarted > 0 {
            let step = StepResult(
                name: "\(Plural.count(stop.notStarted, "scenario")) did not start", operationID: "", method: "", url: "", milliseconds: 0,
                outcome: .skipped(stop.text))
            results.append(ScenarioResult(name: "interrupted by \(stop.signal)", file: "", steps: [step], skippedReason: stop.text))
        }
        if let conform = run.conform, !conform.notReached.isEmpty {
            // Not a failure by itself (--min-coverage decides that), but never a silent pass: listed as skipped.
            let steps = conform.notReached.map { op in
                StepResult(
                    name: op.id, operationID: op.id, method: op.method, url: op.path, milliseconds: 0,
                    outcome: .skipped("not reached (\(op.statusText))"))
            }
            results.append(ScenarioResult(name: "not reached", file: "", steps: steps))
        }
        if let conform = run.conform, !conform.notSent.isEmpty {
            // Every operation of the spec is accounted for: what conform did not send is a skipped case with why.
            let steps = conform.notSent.map { n in
                StepResult(name: n.id, operationID: n.id, method: n.method, url: n.path, milliseconds: 0, outcome: .skipped(n.reason.text))
            }
            results.append(ScenarioResult(name: "not sent", file: "", steps: steps))
        }
        if let gap = run.partial {
            // A missing shard is a result CI must see: a failing case, unless the merge was told to allow it.
            var step = StepResult(
                name: gap.text, operationID: "report merge", method: "", url: "", milliseconds: 0,
                outcome: gap.allowed ? .skipped(gap.text) : .failed)
            if !gap.allowed { step.failures = [CheckFailure(.unclassified, reason: .recorded(gap.text))] }
            results.append(ScenarioResult(name: "partial merge", file: "", steps: [step]))
        }
        return render(results, interrupted: run.interrupted, milliseconds: run.milliseconds)
    }

    public static func render(_ results: [ScenarioResult], interrupted: Interruption? = nil, milliseconds: Double? = nil) -> String {
        var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        let all = results.flatMap(\.steps)
        let total = StepCounts(all)
        out +=
            "<testsuites name=\"detapi\" tests=\"\(all.count)\" failures=\"\(total.failed)\" errors=\"\(total.errors)\" time=\"\(milliseconds.map { String(format: "%.3f", $0 / 1000) } ?? seconds(all))\">\n"
        for r in results {
            let counts = StepCounts(r.steps)
            out +=
                "  <testsuite name=\"\(escape(r.name))\" tests=\"\(r.steps.count)\" failures=\"\(counts.failed)\" errors=\"\(counts.errors)\" skipped=\"\(counts.skipped)\" time=\"\(seconds(r.steps))\" file=\"\(escape(r.file))\">\n"
            if let interrupted {
                out += "    <properties><property name=\"interrupted\" value=\"\(escape(interrupted.text))\"/></properties>\n"
            }
            for s in r.steps {
                let name = (s.isFinally ? "finally: " : "") + s.name
                out +=
                    "    <testcase name=\"\(escape(name))\" classname=\"\(escape(s.operationID.isEmpty ? r.name : s.operationID))\" time=\"\(String(format: "%.3f", s.milliseconds / 1000))\""
                // Accepted findings (known master bugs, baselined) are told in system-out and do not fail the case.
                let accepted =
                    s.accepted.isEmpty
                    ? "" : "      <system-out>\(escape(s.accepted.map(AcceptedText.line).joined(separator: "\n")))</system-out>\n"
                switch s.outcome {
                case .passed where !accepted.isEmpty:
                    out += ">\n\(accepted)    </testcase>\n"
                case .passed:
                    out += "/>\n"
                case .skipped(let reason):
                    out += ">\n      <skipped message=\"\(escape(reason))\"/>\n    </testcase>\n"
                case .failed:
                    let detail =
                        ["\(s.method) \(s.url)", "status: \(s.status.map(String.init) ?? "none")"] + FailureText.lines(s.failures)
                        + ["repro: \(s.curl)", "body (first 2 KB):", s.responseExcerpt]
                    out +=
                        ">\n      <failure type=\"\(escape(s.failures.first?.kind.rawValue ?? "contract"))\" message=\"\(escape(s.failures.first.map(FailureText.line) ?? "failed"))\">\(escape(detail.joined(separator: "\n")))</failure>\n\(accepted)    </testcase>\n"
                case .error(let failure):
                    let message = FailureText.line(failure)
                    out +=
                        ">\n      <error type=\"\(escape(failure.kind.rawValue))\" message=\"\(escape(message))\">\(escape(message))</error>\n    </testcase>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    private static func seconds(_ steps: [StepResult]) -> String { String(format: "%.3f", steps.map(\.milliseconds).reduce(0, +) / 1000) }

    /// XML escaping; characters XML 1.0 cannot carry at all are dropped.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0xD800...0xDFFF).contains(scalar.value) || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    continue
                }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
