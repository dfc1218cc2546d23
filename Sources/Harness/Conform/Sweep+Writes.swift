import HTTP
import JSON
import OpenAPI

/// A pair of POST operations that undo each other on one resource (`/experiments/{id}/archive` and
/// `/unarchive`, `/pause` and `/activate`, the word right after the resource's `{id}`): the only writes `conform --allow-writes` sends, because it can put
/// back what it changed.
public struct InversePair: Sendable {
    public var forward: OpenAPI.Operation
    public var inverse: OpenAPI.Operation

    /// The last path words that undo each other.
    public static let words = [("archive", "unarchive"), ("pause", "activate"), ("pin", "unpin")]
}

extension CheckFailure.Kind {
    /// conform --allow-writes: a change could not be put back (the cluster is left changed; the message says how).
    public static let undo = CheckFailure.Kind(rawValue: "undo")
}

extension Sweep {
    /// The inverse pairs on objects of kinds a chain cannot create, and those whose inverse starts work (pause,
    /// then activate, a running experiment): the others are sent in the chains, on objects the run made, which are
    /// never started.
    public func inversePairs(outside plan: ChainPlan) -> [InversePair] {
        inversePairs().filter { pair in
            !ChainPlan.pathKinds(pair.forward, kinds: plan.kinds).contains { $0 != nil } || ChainPlan.startsWork(pair.inverse)
        }
    }

    /// The inverse pairs among the spec's POST operations whose paths match the selection.
    public func inversePairs() -> [InversePair] {
        var out: [InversePair] = []
        for op in model.operations where op.method == "POST" && selection.matches(op) {
            let segments = op.path.split(separator: "/")
            // One resource only: the word follows its `{id}` (a bulk `/experiments/archive` could touch every row).
            guard let last = segments.last, let pair = InversePair.words.first(where: { $0.0 == last }), segments.count >= 2,
                segments[segments.count - 2].hasPrefix("{")
            else { continue }
            let inversePath = segments.dropLast().joined(separator: "/") + "/" + pair.1
            guard let inverse = model.operations.first(where: { $0.method == "POST" && $0.path.dropFirst() == inversePath }) else {
                continue
            }
            out.append(InversePair(forward: op, inverse: inverse))
        }
        return out
    }

    /// The path values of an object the read sweep listed as running, when its own GET still says so; nil when there
    /// is none or the GET cannot tell.
    func runningObject(_ pair: InversePair, found: [String: JSONValue], runner: Runner, vars: inout Variables) async -> [(
        String, JSONValue
    )]? {
        var path: [(String, JSONValue)] = []
        for p in pathParameters(pair.forward) {
            guard let list = link(for: p, in: pair.forward), let id = found[list + ".running"] else { return nil }
            path.append((p.name, id))
        }
        let item = String(pair.forward.path.dropLast((pair.forward.path.split(separator: "/").last?.count ?? 0) + 1))
        guard let read = model.operations.first(where: { $0.method == "GET" && ChainPlan.samePath($0.path, item) }) else { return nil }
        var step = step(for: read, found: found)
        step.path = zip(read.parameters.filter { $0.location == .path }, path).map { ($0.name, $1.1) }
        let exchange = await runner.exchange(step, vars: &vars)
        guard (200..<300).contains(exchange.result.status ?? 0), let body = exchange.response?.body,
            let answer = try? JSONValue(parsing: body)
        else { return nil }
        return Self.objectHolders(answer).contains(where: Self.isRunning) ? path : nil
    }

    /// Sends one side of the pair and, when it changed something, the other to put it back.
    ///
    /// When the first side was refused (the resource was already in that state), the other side goes first and
    /// the first undoes it. Once started, the pair always finishes, also after an interrupt.
    ///
    /// Besides the pair's row, each side's answers are returned as that operation's own coverage (a pause and an
    /// activate answered 200 reach both operations), without its findings, which the pair's row carries.
    func write(_ pair: InversePair, found: [String: JSONValue], runner: Runner, vars: inout Variables) async -> (
        pair: Swept, sides: [Swept]
    ) {
        let name = "\(pair.forward.id) ⇄ \(pair.inverse.id)"
        var coverage = ConformCoverage.Operation(
            id: name, tag: pair.forward.groupTag, method: "POST", path: pair.forward.path)
        coverage.documented = pair.forward.responses.map(\.status.description)
        coverage.isWrite = true
        // Writes go to an object the API lets change: never one it marks immutable.
        for p in pathParameters(pair.forward) {
            guard let list = link(for: p, in: pair.forward), found[list + ".immutable"] == true else { continue }
            let row = StepResult(
                name: name, operationID: name, method: "POST", url: "", milliseconds: 0,
                outcome: .skipped("the only \(list) seen is immutable; detapi changes no immutable object"))
            return (Swept(row: row, coverage: coverage, found: [:], failing: []), [])
        }
        var forward = step(for: pair.forward, found: found)
        let startsWork = ChainPlan.startsWork(pair.inverse)
        if startsWork {
            // Undone by starting it again (pause, then activate): only an object seen running is paused. Pausing
            // one that was paused already answers 200 too, and the undo would then start what its owner stopped.
            guard let running = await runningObject(pair, found: found, runner: runner, vars: &vars) else {
                let list = pathParameters(pair.forward).compactMap { link(for: $0, in: pair.forward) }.first ?? "object"
                let row = StepResult(
                    name: name, operationID: name, method: "POST", url: "", milliseconds: 0,
                    outcome: .skipped("no running \(list) seen: the pair is sent only to one that runs (its undo starts it)"))
                return (Swept(row: row, coverage: coverage, found: [:], failing: []), [])
            }
            forward.path = running
        }
        var inverse = step(for: pair.inverse, found: found)
        inverse.path = forward.path
        var failures: [CheckFailure] = []
        var statuses = Set<Int>()
        var first: StepResult?
        var sides: [String: [StepResult]] = [:]

        // An undo is a cleanup: like a scenario's `finally`, it is resent while its answer is transient.
        func send(_ step: Step, _ label: String, _ operation: OpenAPI.Operation, vars: inout Variables, cleanup: Bool = false) async
            -> StepResult
        {
            await settings.rateLimit?.acquire()
            let result =
                cleanup
                ? await runner.runFinally(step, vars: &vars, scenarioStarted: .now) : await runner.exchange(step, vars: &vars).result
            coverage.requests += 1
            if let status = result.status { statuses.insert(status) }
            let sent = ConformCase(ConformVariant(.write, note: label), step: step)
            failures += conformFailures(sent, result, operation)
            if case .error(let f) = result.outcome {
                var f = f
                f.variant = sent.variant
                failures.append(f)
            }
            if first == nil { first = result }
            sides[operation.id, default: []].append(result)
            return result
        }
        func changed(_ r: StepResult) -> Bool { (200..<300).contains(r.status ?? 0) }
        func undo(_ step: Step, _ operation: OpenAPI.Operation, _ what: String, vars: inout Variables) async {
            let r = await send(step, "undo: \(step.name)", operation, vars: &vars, cleanup: true)
            if !changed(r) {
                failures.append(
                    CheckFailure(
                        .undo, expected: "2xx", actual: r.status.map(String.init) ?? "no answer",
                        reason: .undoFailed(what: what, step: step.name, status: r.status)))
            }
        }

        let a = await send(forward, pair.forward.id, pair.forward, vars: &vars)
        if changed(a) {
            await undo(inverse, pair.inverse, "\(pair.forward.id)", vars: &vars)
        } else if (a.status ?? 0) < 500, !startsWork {
            let b = await send(inverse, pair.inverse.id, pair.inverse, vars: &vars)
            if changed(b) { await undo(forward, pair.forward, "\(pair.inverse.id)", vars: &vars) }
        }
        var row = first ?? StepResult(name: name, operationID: name, method: "POST", url: "", milliseconds: 0, outcome: .passed)
        row.name = name
        row.operationID = name
        row.failures = failures
        if case .error = row.outcome { row.outcome = .failed }
        coverage.statuses = statuses.sorted()
        for check in [ConformCheck.notAServerError, .statusCodeConformance, .contentTypeConformance, .responseSchemaConformance]
        where settings.checks.contains(check) {
            coverage.checks[check] = .passed
        }
        var one = Swept(row: row, coverage: coverage, found: [:], failing: [])
        Sweep.settle(&one)
        let each = [pair.forward, pair.inverse].compactMap { op -> Swept? in
            guard let results = sides[op.id], var last = results.last else { return nil }
            var c = ConformCoverage.Operation(id: op.id, tag: op.groupTag, method: op.method, path: op.path)
            c.documented = op.responses.map(\.status.description)
            c.requests = results.count
            for r in results {
                guard let status = r.status else { continue }
                c.statusCounts[status, default: 0] += 1
            }
            c.statuses = c.statusCounts.keys.sorted()
            last.name = op.id
            last.operationID = op.id
            last.failures = []
            if case .error = last.outcome { last.outcome = .passed }
            return Swept(row: last, coverage: c, found: [:], failing: [])
        }
        return (one, each)
    }
}
