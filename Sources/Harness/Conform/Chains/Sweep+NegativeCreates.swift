import HTTP
import JSON
import OpenAPI

extension Sweep {
    /// A create's negative body cases, sent once the create itself was taken: each field of the wrong type, each required
    /// field left out, under a name of their own (`…-negative`).
    ///
    /// Each is in the ledger before it is sent. A refusal (4xx) made nothing; a create that takes a body it should
    /// have refused is a `negative_data_rejection` finding, and what it made is deleted at once; any other answer
    /// leaves the entry for the end-of-run cleanup, which looks the object up by name.
    func negativeCreates(
        _ kind: ResourceKind, plan: ChainPlan, objects: ChainObjects, found: [String: JSONValue], runner: Runner,
        vars: inout Variables, ledger: ConformLedger
    ) async -> Swept? {
        guard settings.checks.contains(.negativeDataRejection), kind.create.requestBody != nil else { return nil }
        let name = chainName(kind.noun, plan: plan, suffix: "-negative")
        var scratch = objects
        scratch.names[kind.noun] = name
        let base = chainStep(kind.create, plan: plan, objects: scratch, found: found, creating: kind)
        var builder = ConformCases(combinations: 0, seed: settings.seed)
        if let schema = kind.create.requestBody?.schema {
            builder.requiredFields = model.resolvingLocalReference(schema)["required"]?.arrayValue?.compactMap(\.stringValue)
        }
        let cases = builder.bodyCases(kind.create, base: base)
        guard !cases.isEmpty else { return nil }
        var one = skipped(kind.create, "")
        one.row.outcome = .passed
        for c in cases {
            if runner.options.interrupted() { break }
            let index = ledger.intend(noun: kind.noun, name: name, create: kind.create.id, delete: kind.delete.id)
            await settings.rateLimit?.acquire()
            let exchange = await runner.exchange(c.step, vars: &vars)
            record(c, kind.create, exchange.result, into: &one)
            let status = exchange.result.status ?? 0
            if (400..<500).contains(status) {
                ledger.deleted(index)
            } else if (200..<300).contains(status),
                let key = createdKey(
                    kind, answer: exchange.document.map { $0.value(at: $0.root) }, headers: exchange.result.responseHeaders, name: name),
                !key.isNull
            {
                // Taken although it should have been refused: delete what it made before the real create.
                scratch.keys[kind.noun] = key
                scratch.ledger[kind.noun] = index
                ledger.created(index, path: deletePath(kind, plan: plan, objects: scratch, found: found))
                let removed = await delete(kind, plan: plan, objects: &scratch, found: found, runner: runner, vars: &vars, ledger: ledger)
                one.row.failures += removed.row.failures.filter { $0.kind == .undo }
            }
        }
        Self.settle(&one)
        return one
    }
}
