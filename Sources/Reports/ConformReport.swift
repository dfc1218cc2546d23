import Foundation
import Harness
import OpenAPI

/// `detapi conform`'s console summary after the per-tag sections: coverage per tag, the checks run, the known
/// master bugs and baselined findings apart from the failures, and baseline entries that no longer occur.
///
/// ```
/// coverage: 12 of 12 GET/HEAD operations reached (of 23 in the spec), 298 requests, 11 paths probed
///   Experiments  2/2  statuses 200, 400, 401
/// checks: not_a_server_error, status_code_conformance, …
/// known master bugs (reported, not failing the run; --strict fails on them):
///   GetUsers  not_a_server_error (limit=-1): status 500: the server failed — … (determined-master.md §12.2)
/// ```
public enum ConformReport {
    public static func coverage(_ coverage: ConformCoverage, results: [ScenarioResult]) -> String {
        let swept = coverage.operations.filter(\.isSwept)
        let probes = coverage.operations.filter(\.isProbe)
        var out =
            "coverage: \(swept.filter(\.reached).count) of \(Plural.count(coverage.swept, "GET/HEAD operation")) reached with a documented 2xx (of \(coverage.specOperations) in the spec), \(Plural.count(coverage.requests, "request"))"
        if !probes.isEmpty { out += ", \(Plural.count(probes.count, "path")) probed with an undocumented GET" }
        let writes = coverage.operations.filter(\.isWrite)
        if !writes.isEmpty { out += ", \(Plural.count(writes.count, "write")) sent and undone" }
        out += "\n"
        var tags: [String] = []
        for op in coverage.operations where !tags.contains(op.tag) { tags.append(op.tag) }
        let width = tags.map(\.count).max() ?? 0
        for tag in tags {
            let ops = swept.filter { $0.tag == tag }
            guard !ops.isEmpty else { continue }
            let statuses = Set(ops.flatMap(\.statuses)).sorted().map(String.init).joined(separator: ", ")
            out +=
                "  \(tag.padding(toLength: width, withPad: " ", startingAt: 0))  \(ops.filter(\.reached).count)/\(ops.count)  statuses \(statuses.isEmpty ? "none" : statuses)\n"
        }
        let notReached = coverage.notReached
        if !notReached.isEmpty {
            out += "not reached (no documented 2xx; their checks that need one were not judged):\n"
            let idWidth = notReached.map(\.id.count).max() ?? 0
            for op in notReached {
                out += "  \(op.id.padding(toLength: idWidth, withPad: " ", startingAt: 0))  not reached (\(op.statusText))\n"
            }
        }
        out += "checks: \(coverage.checks.map(\.rawValue).joined(separator: ", "))\n"
        if let stopped = coverage.stoppedEarly { out += "stopped early: \(stopped)\n" }
        let steps = results.flatMap(\.steps)
        let known = steps.flatMap { s in s.accepted.filter { $0.reason == .knownBug }.map { (s.operationID, $0) } }
        if !known.isEmpty {
            out += "known master bugs (reported, not failing the run; --strict fails on them):\n"
            for (op, a) in known { out += "  \(op)  \(FailureText.line(a.failure))\(AcceptedText.more(a)) — \(a.note)\n" }
        }
        let baselined = steps.flatMap { s in s.accepted.filter { $0.reason == .baseline }.map { (s.operationID, $0) } }
        if !baselined.isEmpty {
            out += "baselined findings (accepted in --baseline):\n"
            for (op, a) in baselined.prefix(50) { out += "  \(op)  \(FailureText.line(a.failure))\n" }
            if baselined.count > 50 { out += "  … \(baselined.count - 50) more\n" }
        }
        if !coverage.staleBaseline.isEmpty {
            out += "baseline entries no longer found (remove them with --update-baseline):\n"
            for e in coverage.staleBaseline {
                out += "  \(e.operation)  \(e.check)\(e.requestText.map { " (\($0))" } ?? "")\(e.pointer.isEmpty ? "" : " \(e.pointer)")\n"
            }
        }
        return out
    }
}
