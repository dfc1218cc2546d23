import HTTP
import JSON
import OpenAPI

extension Sweep {
    /// The list operations read before and after the writes: the collections (GETs without path parameters) of
    /// every kind the spec creates, and of the resources inverse pairs change.
    func proofLists(_ plan: ChainPlan) -> [OpenAPI.Operation] {
        var nouns = Set(plan.kinds.map { ResourceKind.normalized($0.noun) })
        for (op, reason) in plan.notSent {
            if case .noDelete(let noun) = reason, op.method == "POST" { nouns.insert(ResourceKind.normalized(noun)) }
        }
        for pair in inversePairs(outside: plan) {
            let segments = pair.forward.path.split(separator: "/")
            if segments.count >= 3 { nouns.insert(ResourceKind.normalized(ResourceKind.singular(String(segments[segments.count - 3])))) }
        }
        return model.operations.filter { op in
            guard op.method == "GET", !op.path.contains("{"), let last = op.path.split(separator: "/").last else { return false }
            return nouns.contains(ResourceKind.normalized(ResourceKind.singular(String(last))))
                && !op.parameters.contains { $0.required && $0.location != .path }
        }
    }

    /// Each list's identities (`id`, else `name`), every page; a list that does not answer 2xx is left out.
    func snapshot(_ lists: [OpenAPI.Operation], found: [String: JSONValue], runner: Runner, vars: inout Variables) async -> [String: Set<
        String
    >] {
        var out: [String: Set<String>] = [:]
        for op in lists {
            var base = step(for: op, found: found)
            base.name = op.id
            let (ids, _) = await identities(op, base, field: "id", runner: runner, vars: &vars)
            if let ids { out[op.id] = ids }
        }
        return out
    }

    /// The row that proves the cluster was left as found: every list the same before and after (an `undo` finding
    /// names each object that appeared or went), and every ledger entry deleted.
    func proof(before: [String: Set<String>], after: [String: Set<String>], ledger: ConformLedger) -> Swept {
        let name = "left as found"
        var coverage = ConformCoverage.Operation(id: name, tag: "detapi", method: "GET", path: "")
        coverage.isProof = true
        var failures: [CheckFailure] = []
        for (list, old) in before.sorted(by: { $0.key < $1.key }) {
            guard let new = after[list] else { continue }
            for object in new.subtracting(old).sorted() {
                failures.append(
                    CheckFailure(
                        .undo, expected: "absent", actual: "listed", reason: .notAsFound(list: list, object: object, appeared: true)))
            }
            for object in old.subtracting(new).sorted() {
                failures.append(
                    CheckFailure(
                        .undo, expected: "listed", actual: "absent", reason: .notAsFound(list: list, object: object, appeared: false)))
            }
        }
        for e in ledger.all where e.state != .deleted {
            failures.append(
                CheckFailure(
                    .undo, expected: "deleted", actual: e.state.rawValue, reason: .cleanupFailed(object: "\(e.noun) \(e.name)", status: nil)
                ))
        }
        var row = StepResult(name: name, operationID: name, method: "GET", url: "", milliseconds: 0, outcome: .passed)
        row.failures = failures
        coverage.statuses = failures.isEmpty ? [200] : []
        var one = Swept(row: row, coverage: coverage, found: [:], failing: [])
        Self.settle(&one)
        return one
    }
}
