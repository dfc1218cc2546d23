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
        let writes = swept.contains { !["GET", "HEAD"].contains($0.method) } || !coverage.notSent.isEmpty
        var out =
            "coverage: \(swept.filter(\.reached).count) of \(Plural.count(coverage.swept, writes ? "operation" : "GET/HEAD operation")) reached with a documented 2xx (of \(coverage.specOperations) in the spec), \(Plural.count(coverage.requests, "request"))"
        if !coverage.notSent.isEmpty { out += ", \(coverage.notSent.count) not sent" }
        if !probes.isEmpty { out += ", \(Plural.count(probes.count, "path")) probed with an undocumented GET" }
        let pairs = coverage.operations.filter(\.isWrite)
        if !pairs.isEmpty { out += ", \(Plural.count(pairs.count, "write")) sent and undone" }
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
        if !coverage.notSent.isEmpty {
            out += "not sent (\(coverage.notSent.count)):\n"
            let idWidth = coverage.notSent.map(\.id.count).max() ?? 0
            for n in coverage.notSent.sorted(by: { $0.id < $1.id }) {
                out += "  \(n.id.padding(toLength: idWidth, withPad: " ", startingAt: 0))  \(n.reason.text)\n"
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

    /// `conform --plan`: the chains in the order they run (create, reads, updates, then actions and the delete
    /// in reverse), the pairs on objects no chain creates, and every write that will not be sent, with why.
    public static func plan(_ plan: ChainPlan, pairs: [InversePair], rewrites: [Rewrite] = [], runID: String) -> String {
        var out = "conform --allow-writes would send (nothing was sent):\n"
        if let scratch = plan.scratch {
            out += "  scratch \(scratch): detapi-conform-\(runID) (this run's id; every other object is created in it)\n"
        }
        if plan.kinds.isEmpty { out += "  no chain: the spec has no create with a delete\n" }
        for kind in plan.kinds {
            var line = "  \(kind.noun): \(kind.create.id)"
            if !kind.parents.isEmpty { line += " (in its \(kind.parents.joined(separator: ", ")))" }
            let reads = kind.operations.filter { ChainPlan.rank($0) == 0 }.map(\.id)
            let updates = kind.operations.filter { ChainPlan.rank($0) == 1 }.map(\.id)
            // In the order the chain sends them (stops, then pairs, moves last), as a created object starts.
            let actions = ChainPlan.actionOrder(kind, state: nil).map(\.id)
            if let read = kind.read { line += " → \(read.id)" }
            if let list = kind.list { line += " + \(list.id) (ensure_resource_availability)" }
            let others = reads.filter { $0 != kind.read?.id && $0 != kind.list?.id }
            if !others.isEmpty { line += " → \(others.joined(separator: ", "))" }
            if !updates.isEmpty { line += " → \(updates.joined(separator: ", "))" }
            if !actions.isEmpty { line += " … \(actions.joined(separator: ", "))" }
            line += " → \(kind.delete.id)"
            if let read = kind.read { line += " → \(read.id) (use_after_free)" }
            out += line + "\n"
        }
        if !pairs.isEmpty {
            out += "pairs on objects that were there (each undone at once):\n"
            for p in pairs { out += "  \(p.forward.id) ⇄ \(p.inverse.id)\n" }
        }
        if !rewrites.isEmpty {
            out += "writes of the values just read (the read after must answer the same):\n"
            for r in rewrites { out += "  \(r.read.id) → \(r.write.id) → \(r.read.id)\n" }
        }
        if !plan.notSent.isEmpty {
            out += "not sent (\(plan.notSent.count)):\n"
            let width = plan.notSent.map(\.operation.id.count).max() ?? 0
            for (op, reason) in plan.notSent.sorted(by: { $0.operation.id < $1.operation.id }) {
                out += "  \(op.id.padding(toLength: width, withPad: " ", startingAt: 0))  \(reason.text)\n"
            }
        }
        return out
    }
}
