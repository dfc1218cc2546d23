import JSON
import OpenAPI

/// The `--dry-run` plan: each scenario's requests as they would be sent, templates left unexpanded and secret
/// fields masked, with every request that can change the cluster marked — so a user sees, before anything is
/// sent, exactly which endpoints a run will call.
public enum Plan {
    public static func render(_ scenarios: [Scenario], model: APIModel) -> String {
        let checker = ScenarioChecker(model: model)
        var out = ""
        var requests = 0
        var writes = 0
        for s in scenarios {
            out += "\(s.name) (\(s.file))\(s.tags.isEmpty ? "" : " [" + s.tags.joined(separator: ", ") + "]")\n"
            let steps = s.steps.map { ($0, "") } + s.finally.map { ($0, "finally: ") }
            let width = min(44, steps.map { $0.1.count + $0.0.name.count }.max() ?? 0)
            for (step, label) in steps {
                let op = try? checker.operation(for: step)
                let method = op?.method ?? step.request?.method ?? "?"
                var path = op?.path ?? step.request?.path ?? "?"
                for (name, value) in step.path { path = path.replacingOccurrences(of: "{\(name)}", with: Variables.text(value)) }
                let query = step.query.map { "\($0.0)=\(Variables.text($0.1))" }.joined(separator: "&")
                let changes = !["GET", "HEAD", "OPTIONS"].contains(method.uppercased())
                requests += 1
                if changes { writes += 1 }
                let title = (label + step.name).padding(toLength: max(width, label.count + step.name.count), withPad: " ", startingAt: 0)
                out += "  \(title)  \(method.uppercased().padding(toLength: 6, withPad: " ", startingAt: 0)) \(path)"
                out += query.isEmpty ? "" : "?" + query
                if let body = step.body { out += "  " + JSONWriter().string(Checks.maskSecretFields(body)) }
                if let when = step.when { out += "  when \(Variables.text(when))" }
                if let retry = step.retry { out += "  polls up to \(DurationText.describe(retry.timeout))" }
                out += changes ? "  ← \(method.uppercased())\n" : "\n"
            }
        }
        out += "\(scenarios.count) scenario\(scenarios.count == 1 ? "" : "s"), \(requests) request\(requests == 1 ? "" : "s")"
        out += " (\(writes) with a method other than GET, marked ←); nothing sent (--dry-run)\n"
        return out
    }
}
