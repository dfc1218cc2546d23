import JSON
import OpenAPI

extension Sweep {
    /// A rename of the run's own object, sent twice: to `<name>-renamed`, then back.
    ///
    /// The object's key is its name, so when the way back fails the chain goes on with the new name (its delete
    /// and the ledger follow it) and the failed undo is a finding.
    func rename(
        _ op: OpenAPI.Operation, _ kind: ResourceKind, plan: ChainPlan, objects: inout ChainObjects, found: [String: JSONValue],
        runner: Runner, vars: inout Variables, ledger: ConformLedger
    ) async -> Swept {
        guard let fields = ChainPlan.renameFields(op, model: model), let name = objects.keys[kind.noun]?.stringValue else {
            return skipped(op, "its \(kind.noun) has no name to rename")
        }
        let renamed = name + "-renamed"
        func step(from old: String, to new: String) -> Step {
            var s = chainStep(op, plan: plan, objects: objects, found: found)
            s.body = .object(JSONObject([.init(key: fields.old, value: .string(old)), .init(key: fields.new, value: .string(new))]))
            return s
        }
        var (one, _) = await chainExchange(op, step(from: name, to: renamed), role: "update", runner: runner, vars: &vars)
        guard (200..<300).contains(one.row.status ?? 0) else { return one }
        objects.keys[kind.noun] = .string(renamed)
        objects.names[kind.noun] = renamed
        let (back, _) = await chainExchange(op, step(from: renamed, to: name), role: "undo", runner: runner, vars: &vars, cleanup: true)
        Self.merge(&one, back)
        if (200..<300).contains(back.row.status ?? 0) {
            objects.keys[kind.noun] = .string(name)
            objects.names[kind.noun] = name
        } else {
            one.row.failures.append(
                CheckFailure(
                    .undo, expected: "2xx", actual: back.row.status.map(String.init) ?? "no answer",
                    reason: .undoFailed(what: "\(op.id) to \(renamed)", step: op.id, status: back.row.status)))
            if let index = objects.ledger[kind.noun] {
                ledger.created(index, path: deletePath(kind, plan: plan, objects: objects, found: found))
            }
        }
        Self.settle(&one)
        return one
    }
}
