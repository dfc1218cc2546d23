import Foundation
import Harness

/// The `--dry-run` plan as text: one line per request, every request that may change the cluster marked `←`.
///
/// ```
/// unarchive-experiment (specs/scenarios/unarchive.yaml) [experiments, writes]
///   log in                          POST   /api/v1/auth/login  {"username":"{{user}}","password":"***"}  ← POST
///   find one archived experiment    GET    /api/v1/experiments?archived=true&limit=1
/// 1 scenario, 2 requests (1 with a method other than GET, marked ←); nothing sent (--dry-run)
/// ```
public enum PlanReport {
    public static func render(_ plan: Plan) -> String {
        var out = ""
        for entry in plan.entries {
            out += "\(entry.name) (\(entry.file))\(entry.tags.isEmpty ? "" : " [" + entry.tags.joined(separator: ", ") + "]")\n"
            let width = min(44, entry.requests.map { label($0).count }.max() ?? 0)
            for r in entry.requests {
                let title = label(r).padding(toLength: max(width, label(r).count), withPad: " ", startingAt: 0)
                out += "  \(title)  \(r.method.padding(toLength: 6, withPad: " ", startingAt: 0)) \(r.target)"
                if let body = r.body { out += "  " + body }
                if let when = r.when { out += "  when \(when)" }
                if let polls = r.pollsUpTo { out += "  polls up to \(DurationText.describe(polls))" }
                out += r.changesState ? "  ← \(r.method)\n" : "\n"
            }
        }
        let scenarios = plan.entries.count
        let requests = plan.requestCount
        out += "\(Plural.count(scenarios, "scenario")), \(Plural.count(requests, "request"))"
        out += " (\(plan.writeCount) with a method other than GET, marked ←); nothing sent (--dry-run)\n"
        return out
    }

    private static func label(_ r: Plan.Request) -> String { (r.isFinally ? "finally: " : "") + r.stepName }
}
