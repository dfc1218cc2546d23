import Foundation
import Harness
import OpenAPI

/// `detapi conform`'s coverage summary: operations reached per tag, the statuses seen, and the checks run.
///
/// ```
/// coverage: 12 of 12 GET/HEAD operations reached (of 23 in the spec)
///   Experiments  2/2  statuses 200
/// checks: not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance, ignored_auth
/// ```
public enum ConformReport {
    public static let checks = [
        "not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance", "ignored_auth",
    ]

    public static func coverage(_ results: [ScenarioResult], swept: Int, total: Int) -> String {
        let steps = results.flatMap(\.steps)
        let reached = steps.filter { $0.status != nil }.count
        var out = "coverage: \(reached) of \(Plural.count(swept, "GET/HEAD operation")) reached (of \(total) in the spec)\n"
        let width = results.map(\.name.count).max() ?? 0
        for r in results {
            let statuses = Set(r.steps.compactMap(\.status)).sorted().map(String.init).joined(separator: ", ")
            out +=
                "  \(r.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(r.steps.filter { $0.status != nil }.count)/\(r.steps.count)  statuses \(statuses.isEmpty ? "none" : statuses)\n"
        }
        out += "checks: \(checks.joined(separator: ", "))\n"
        return out
    }
}
