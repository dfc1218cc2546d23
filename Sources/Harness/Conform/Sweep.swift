import HTTP
import JSON
import OpenAPI

/// `detapi conform`'s sweep of every safe (GET/HEAD) operation of a spec.
///
/// Each operation is sent as its `ConformCases` (the base request, then one parameter at a time with documented,
/// boundary and forbidden values) on the same step path as `run` (`Runner.exchange`: RequestBuilder → HTTPClient →
/// Checks → Redactor); `ConformCheck`s are applied to every answer. Results come back as one `ScenarioResult` per
/// tag with a step per operation, so every report renders them as it renders a run, plus a `ConformCoverage`.
///
/// Path parameters are filled from earlier answers (links inferred by name: `experimentId` and the `id` of
/// `/api/v1/workspaces/{id}` take the first `id` of an `experiments` or `workspaces` list seen), else from the
/// spec's example, default or first enum value, else from `SchemaSampler` with `seed`.
public struct Sweep: Sendable {
    /// Which operations to sweep.
    public struct Selection: Sendable {
        public var tags: [String] = []
        public var operations: [String] = []
        public var excluded: [String] = []
        public var includeDeprecated = false
        /// `--safe-op`: POST operations (ids or globs such as `Range*`) that only read, swept like GETs with
        /// generated bodies; an overlay can mark one with `x-detapi-safe: true` instead.
        public var safeOperations: [String] = []

        public init(
            tags: [String] = [], operations: [String] = [], excluded: [String] = [], includeDeprecated: Bool = false,
            safeOperations: [String] = []
        ) {
            self.tags = tags
            self.operations = operations
            self.excluded = excluded
            self.includeDeprecated = includeDeprecated
            self.safeOperations = safeOperations
        }

        /// Whether conform may sweep `op`: a GET or HEAD, or a POST named safe.
        public func isSweepable(_ op: OpenAPI.Operation) -> Bool {
            if ["GET", "HEAD"].contains(op.method) { return true }
            guard op.method == "POST" else { return false }
            return op.markedSafe || safeOperations.contains { Self.glob($0, matches: op.id) }
        }

        /// Whether any filter narrows the selection (for the message when nothing is selected).
        public var isFiltered: Bool { !tags.isEmpty || !operations.isEmpty || !excluded.isEmpty }

        /// `*` and `?` globs, case-insensitive (`Range*` matches `RangeKeys`).
        static func glob(_ pattern: String, matches text: String) -> Bool {
            let p = Array(pattern.lowercased())
            let t = Array(text.lowercased())
            var (i, j, star, mark) = (0, 0, -1, 0)
            while j < t.count {
                if i < p.count && (p[i] == "?" || p[i] == t[j]) {
                    i += 1
                    j += 1
                } else if i < p.count && p[i] == "*" {
                    star = i
                    mark = j
                    i += 1
                } else if star >= 0 {
                    i = star + 1
                    mark += 1
                    j = mark
                } else {
                    return false
                }
            }
            while i < p.count && p[i] == "*" { i += 1 }
            return i == p.count
        }

        func matches(_ op: OpenAPI.Operation) -> Bool {
            let lowerTags = Set(tags.map { $0.lowercased() })
            let lowerOps = Set(operations.map { $0.lowercased() })
            return (includeDeprecated || !op.deprecated) && (lowerTags.isEmpty || op.tags.contains { lowerTags.contains($0.lowercased()) })
                && (lowerOps.isEmpty || lowerOps.contains(op.id.lowercased()))
                && !excluded.contains { $0.lowercased() == op.id.lowercased() }
        }
    }

    /// How the sweep runs and judges.
    public struct Settings: Sendable {
        public var seed: UInt64 = 1
        public var checks: Set<ConformCheck> = ConformCheck.defaults
        /// Operations sent at once.
        public var workers = 4
        /// Seeded combinations of optional parameters per operation.
        public var combinations = 100
        /// `max_response_time`'s threshold.
        public var maxResponseMilliseconds: Double?
        /// Stop sending new operations once this many have failed.
        public var maxFailures: Int?
        public var knownBugs: [KnownMasterBug] = []
        /// Known master bugs fail the run.
        public var strict = false
        public var baseline: ConformBaseline?
        public var rateLimit: RateLimit?
        /// Also send the writes detapi can undo: create → read → update → delete chains on objects it creates, and
        /// `InversePair`s on objects of kinds it cannot create, each put back at once.
        public var allowWrites = false
        /// Names what a run creates (`detapi-conform-<runID>`) and its ledger.
        public var runID = "local"
        /// Where the ledger of created objects is written (nil: kept in memory only).
        public var ledgerPath: String?
        /// Writes never sent, with why (Determined's built-in list).
        public var neverSend: [String: String] = [:]
        /// `--shard i/n`: this job sweeps one group of operations that feed each other's path values; the chains,
        /// pairs and the proof (one tree in one scratch workspace) stay whole in shard 1.
        public var shard: Shard?

        public init() {}
    }

    /// A failing request, kept so that `--save-failures` can write it as a scenario.
    public struct FailingCase: Sendable {
        public var operation: String
        public var check: ConformCheck
        public var step: Step
        public var status: Int?
    }

    /// What a sweep found.
    public struct Outcome: Sendable {
        public var results: [ScenarioResult]
        public var coverage: ConformCoverage
        /// The first failing request of each operation and check (accepted findings left out).
        public var failingCases: [FailingCase]
    }

    public let model: APIModel
    public let settings: Settings
    public let selection: Selection
    /// The operations swept, in the order they are sent: those that need no path parameter first.
    public let operations: [OpenAPI.Operation]

    public init(model: APIModel, selection: Selection, settings: Settings = Settings()) {
        self.model = model
        self.settings = settings
        self.selection = selection
        let selected = model.operations.filter { selection.isSweepable($0) && selection.matches($0) }
        if let shard = settings.shard {
            let groups = Self.linkGroups(selected, model: model)
            operations = selected.filter { op in groups[op.id].map(shard.holds(position:)) ?? true }
        } else {
            operations = selected
        }
    }

    /// Whether this job sends the writes (a shard other than the first leaves them to shard 1).
    var sendsWrites: Bool { settings.allowWrites && (settings.shard?.index ?? 1) == 1 }

    /// Operations grouped so that an operation and the ones whose answers fill its path values share a group
    /// (a list `experiments` in an answer schema feeds `experimentId`), numbered by size so that `Shard.holds`
    /// spreads them evenly: each group's number, by operation id.
    static func linkGroups(_ operations: [OpenAPI.Operation], model: APIModel) -> [String: Int] {
        var parent = Dictionary(uniqueKeysWithValues: operations.map { ($0.id, $0.id) })
        func root(_ id: String) -> String {
            var id = id
            while let p = parent[id], p != id { id = p }
            return id
        }
        func union(_ a: String, _ b: String) { parent[root(a)] = root(b) }
        // Which operations answer with a top-level list of each name.
        var providers: [String: [String]] = [:]
        for op in operations {
            guard let schema = op.response(for: 200)?.schema else { continue }
            for member in model.resolvingLocalReference(schema)["properties"]?.objectValue ?? JSONObject() {
                providers[member.key.lowercased(), default: []].append(op.id)
            }
        }
        for op in operations {
            let segments = op.path.split(separator: "/").map(String.init)
            for (n, segment) in segments.enumerated() where segment.hasPrefix("{") {
                let name = String(segment.dropFirst().dropLast())
                guard let named = ResourceKind.names(name, previousSegment: n > 0 ? segments[n - 1] : nil) else { continue }
                let list = (named.noun + "s").lowercased()
                for provider in providers[list] ?? [] { union(op.id, provider) }
            }
        }
        var members: [String: [String]] = [:]
        for op in operations { members[root(op.id), default: []].append(op.id) }
        // Largest groups first, then spec order: a round-robin over them balances the shards.
        let ordered = members.values.sorted { $0.count != $1.count ? $0.count > $1.count : $0[0] < $1[0] }
        var out: [String: Int] = [:]
        for (n, group) in ordered.enumerated() { for id in group { out[id] = n } }
        return out
    }

    /// One operation as it went.
    struct Swept: Sendable {
        var row: StepResult
        var coverage: ConformCoverage.Operation
        var found: [String: JSONValue]
        var failing: [FailingCase]
    }

    /// Sends every operation, then probes paths without GET with a GET (`unsupported_method`).
    public func run(with runner: Runner) async -> Outcome {
        var vars = Variables()
        if let token = runner.options.token { vars.set("token", .string(token), secret: true) }
        var found: [String: JSONValue] = [:]
        var pending = operations
        var swept: [String: Swept] = [:]
        var failed = 0
        var stopped: String?
        // Each pass sends what its links allow; an operation whose link never appears gets sampled values.
        passes: while !pending.isEmpty {
            let ready = pending.filter { op in pathParameters(op).allSatisfy { link(for: $0, in: op).map { found[$0] != nil } ?? true } }
            var batch = ready.isEmpty ? pending : ready
            pending.removeAll { op in batch.contains { $0.id == op.id } }
            // The first operation goes alone, so that an automatic login happens once and its token is shared.
            if swept.isEmpty, let first = batch.first {
                let one = await sweep(first, found: found, runner: runner, vars: &vars)
                swept[first.id] = one
                found.merge(one.found) { old, _ in old }
                if one.row.outcome != .passed { failed += 1 }
                batch.removeFirst()
                // No answer at all: the rest would only repeat that (exit 3 says so once).
                if case .error(let f) = one.row.outcome, f.kind.isTransport {
                    stopped = "the master could not be reached"
                    break passes
                }
            }
            let known = found
            let shared = vars
            var results: [Swept] = []
            await withTaskGroup(of: Swept?.self) { group in
                var next = 0
                func start() -> Bool {
                    guard next < batch.count else { return false }
                    if runner.options.interrupted() {
                        stopped = "interrupted"
                        return false
                    }
                    if let max = settings.maxFailures, failed >= max {
                        stopped = "stopped after \(max) failing operations (--max-failures)"
                        return false
                    }
                    let op = batch[next]
                    next += 1
                    group.addTask {
                        var own = shared
                        return await self.sweep(op, found: known, runner: runner, vars: &own)
                    }
                    return true
                }
                for _ in 0..<max(1, settings.workers) where start() {}
                for await done in group {
                    guard let done else { continue }
                    results.append(done)
                    if done.row.outcome != .passed { failed += 1 }
                    _ = start()
                }
            }
            for one in results {
                swept[one.row.operationID] = one
                found.merge(one.found) { old, _ in old }
            }
            if stopped != nil { break passes }
        }
        var probes: [Swept] = []
        var notSent: [ConformCoverage.NotSent] = []
        if sendsWrites {
            let plan = chainPlan()
            notSent = plan.notSent.map { ConformCoverage.NotSent($0.operation, $0.reason) }
            if stopped == nil {
                let ledger = ConformLedger(file: settings.ledgerPath, runID: settings.runID, master: runner.options.master)
                let lists = proofLists(plan)
                let before = await snapshot(lists, found: found, runner: runner, vars: &vars)
                for pair in inversePairs(outside: plan) {
                    if runner.options.interrupted() {
                        stopped = "interrupted"
                        break
                    }
                    let (row, sides) = await write(pair, found: found, runner: runner, vars: &vars)
                    probes.append(row)
                    for side in sides {
                        Self.absorb(side, into: &swept)
                    }
                }
                for r in rewrites() where !runner.options.interrupted() {
                    let one = await rewrite(r, found: found, runner: runner, vars: &vars)
                    Self.absorb(one, into: &swept)
                }
                for one in await runChains(plan, found: found, runner: runner, vars: &vars, ledger: ledger) {
                    Self.absorb(one, into: &swept)
                }
                if runner.options.interrupted() { stopped = "interrupted" }
                // Whatever a chain could not delete (an interrupt between a create and its answer), found again and
                // deleted from the ledger.
                _ = await LedgerCleanup(model: model).run(ledger, runner: runner, vars: &vars)
                let after = await snapshot(lists, found: found, runner: runner, vars: &vars)
                probes.append(proof(before: before, after: after, ledger: ledger))
            }
        }
        if settings.checks.contains(.unsupportedMethod), stopped == nil {
            for (n, (path, ops)) in pathsWithoutGET().enumerated() where settings.shard?.holds(position: n) ?? true {
                if runner.options.interrupted() { break }
                if let one = await probe(path: path, operations: ops, found: found, runner: runner, vars: &vars) { probes.append(one) }
            }
        }
        var outcome = assemble(swept: swept, probes: probes, stopped: stopped)
        outcome.coverage.notSent = notSent
        return outcome
    }

    /// Adds a row to the rows by operation: merged into one already there (its read sweep, a pair's side).
    static func absorb(_ one: Swept, into swept: inout [String: Swept]) {
        if var old = swept[one.row.operationID] {
            merge(&old, one)
            swept[one.row.operationID] = old
        } else {
            swept[one.row.operationID] = one
        }
    }

    /// The chains `--allow-writes` runs and what it leaves out, from the spec alone.
    public func chainPlan() -> ChainPlan {
        var never = settings.neverSend
        for op in selection.excluded { never[op] = never[op] ?? "excluded by --exclude-op" }
        var plan = ChainPlan(model: model, selection: selection, neverSend: never)
        // Pairs on objects no chain creates are sent (and undone) as pairs.
        let pairs = inversePairs(outside: plan).flatMap { [$0.forward.id, $0.inverse.id] } + rewrites().map(\.write.id)
        plan.notSent.removeAll { pairs.contains($0.operation.id) }
        return plan
    }

    /// Results per tag in the spec's tag order, the baseline applied, and the coverage.
    private func assemble(swept: [String: Swept], probes: [Swept], stopped: String?) -> Outcome {
        var rows: [(tag: String, Swept)] = []
        for group in model.operationsByTag() {
            for op in group.operations { if let one = swept[op.id] { rows.append((group.tag, one)) } }
            for p in probes where p.coverage.tag == group.tag { rows.append((group.tag, p)) }
        }
        // detapi's own rows (the proof that the cluster was left as found) come last.
        let tags = Set(model.operationsByTag().map(\.tag))
        for p in probes where !tags.contains(p.coverage.tag) { rows.append((p.coverage.tag, p)) }
        var matched = Set<ConformBaseline.Entry>()
        if let baseline = settings.baseline {
            for i in rows.indices {
                var one = rows[i].1
                let operation = one.coverage.id
                var kept: [CheckFailure] = []
                for f in one.row.failures {
                    if let entry = baseline.entries.first(where: { $0.matches(operation: operation, f) }) {
                        matched.insert(entry)
                        one.row.accepted.append(AcceptedFailure(failure: f, reason: .baseline, note: "in the baseline"))
                    } else {
                        kept.append(f)
                    }
                }
                one.row.failures = kept
                one.failing.removeAll { c in !kept.contains { $0.kind == c.check.kind } }
                Self.settle(&one)
                rows[i].1 = one
            }
        }
        var results: [ScenarioResult] = []
        for (tag, one) in rows {
            if results.last?.name == tag {
                results[results.count - 1].steps.append(one.row)
            } else {
                results.append(ScenarioResult(name: tag, file: model.source, steps: [one.row]))
            }
        }
        var coverage = ConformCoverage(
            operations: rows.map(\.1.coverage), checks: settings.checks.sorted(), specOperations: model.operations.count,
            swept: operations.count + rows.filter { r in r.1.coverage.isSwept && !operations.contains { $0.id == r.1.coverage.id } }.count)
        coverage.staleBaseline = (settings.baseline?.entries ?? []).filter { !matched.contains($0) }
        coverage.strict = settings.strict
        coverage.stoppedEarly = stopped
        return Outcome(results: results, coverage: coverage, failingCases: rows.flatMap(\.1.failing))
    }

    /// Sets the outcome and the coverage's check states from the row's failures and accepted findings.
    static func settle(_ one: inout Swept) {
        switch one.row.outcome {
        case .error, .skipped: break
        case .passed, .failed: one.row.outcome = one.row.failures.isEmpty ? .passed : .failed
        }
        for check in one.coverage.checks.keys {
            if one.row.failures.contains(where: { $0.kind == check.kind }) {
                one.coverage.checks[check] = .failed
            } else if one.row.accepted.contains(where: { $0.failure.kind == check.kind && $0.reason == .baseline }) {
                one.coverage.checks[check] = .baselined
            } else if one.row.accepted.contains(where: { $0.failure.kind == check.kind }) {
                one.coverage.checks[check] = .knownBug
            } else if one.coverage.checks[check] != .notJudged {
                one.coverage.checks[check] = .passed
            }
        }
    }

    func pathParameters(_ op: OpenAPI.Operation) -> [Parameter] { op.parameters.filter { $0.location == .path } }

    /// The list a path parameter's value comes from: `experimentId` → `experiments`; `{id}` after
    /// `/workspaces/` → `workspaces`; `checkpointUuid` → the `uuid` of `checkpoints` (key `checkpoints.uuid`);
    /// `modelName` and `template.name` → the `name` of `models` and `templates`; `modelVersionNum` → the `version`
    /// of `modelVersions`.
    func link(for p: Parameter, in op: OpenAPI.Operation) -> String? {
        if p.name == "username" { return "users.username" }
        if p.name.hasSuffix("Id"), p.name.count > 2 { return String(p.name.dropLast(2)) + "s" }
        if p.name.hasSuffix("Uuid"), p.name.count > 4 { return String(p.name.dropLast(4)) + "s.uuid" }
        for (suffix, field) in [("Name", "name"), (".name", "name"), ("Num", "version")]
        where p.name.hasSuffix(suffix) && p.name.count > suffix.count {
            return String(p.name.dropLast(suffix.count)) + "s." + field
        }
        guard p.name == "id" else { return nil }
        let segments = op.path.split(separator: "/")
        guard let i = segments.firstIndex(of: "{id}"), i > 0 else { return nil }
        return String(segments[i - 1])
    }

    /// The step for an operation: linked path values, then example/default/enum, then a sample; required query
    /// parameters the same way.
    func step(for op: OpenAPI.Operation, found: [String: JSONValue]) -> Step {
        var step = Step(name: op.id, operation: op.id, location: SourceLocation(file: model.source, line: 0, column: 0))
        // A safe POST gets a body built from its request schema.
        if op.method == "POST", let node = op.requestBody?.schemaNode {
            step.body = SchemaSampler(schemas: model.schemas, maxDepth: 3).sample(node, seed: settings.seed)
        }
        // conform's checks judge every status themselves (a 4xx is the right answer to a forbidden value).
        step.expect.anyStatus = true
        // Its cases send forbidden values on purpose.
        step.requestCheck = false
        for p in op.parameters where p.location == .path || (p.location == .query && p.required) {
            let value = link(for: p, in: op).flatMap { found[$0] } ?? specValue(p)
            if p.location == .path { step.path.append((p.name, value)) } else { step.query.append((p.name, value)) }
        }
        return step
    }

    func specValue(_ p: Parameter) -> JSONValue {
        if let example = p.schema["example"] ?? p.schema["x-example"] { return example }
        if let d = p.defaultValue { return d }
        if let first = p.enumValues?.first { return first }
        // Untyped parameters are sampled as strings (a sample of an empty schema would be an object).
        guard p.type != nil, let node = p.schemaNode else { return p.type == "integer" ? 1 : "x" }
        return SchemaSampler(schemas: model.schemas, maxDepth: 1).sample(node, seed: settings.seed)
    }

    /// Remembers the first `id` (and `uuid`) of every top-level list of objects in an answer (`experiments`,
    /// `workspaces`, `checkpoints.uuid`).
    static func collect(_ value: JSONValue, into found: inout [String: JSONValue]) {
        guard let object = value.objectValue else { return }
        for m in object {
            guard let items = m.value.arrayValue, let any = items.first else { continue }
            // The first object the API lets change (not `immutable: true`, as Determined's Uncategorized is), else the
            // first: writes never go to an immutable one (`.immutable` marks a list that has nothing else).
            let first = items.first { $0["immutable"]?.boolValue != true } ?? any
            if found[m.key] == nil, let id = first["id"], !id.isNull {
                found[m.key] = id
                if first["immutable"]?.boolValue == true { found[m.key + ".immutable"] = true }
            }
            // The first one that runs (`state: STATE_RUNNING`), for a pause that is undone by starting it again.
            if found[m.key + ".running"] == nil,
                let running = items.first(where: { Self.isRunning($0) && $0["archived"]?.boolValue != true }), let id = running["id"],
                !id.isNull
            {
                found[m.key + ".running"] = id
            }
            for field in ["uuid", "username", "name", "version"] where found[m.key + "." + field] == nil {
                if let value = first[field], !value.isNull { found[m.key + "." + field] = value }
            }
        }
    }

    /// An answer and the objects its members hold: where an object's own fields are, whether the answer is the
    /// object (`{"state": …}`) or wraps it (`{"experiment": {"state": …}}`).
    static func objectHolders(_ answer: JSONValue) -> [JSONValue] {
        [answer] + (answer.objectValue ?? JSONObject()).compactMap { $0.value.objectValue != nil ? $0.value : nil }
    }

    /// Whether an object's `state` says it is running (`STATE_ACTIVE`, `STATE_RUNNING`, `QUEUED`…), not paused or ended.
    public static func isRunning(_ object: JSONValue) -> Bool {
        guard let state = object["state"]?.stringValue?.uppercased() else { return false }
        return ["ACTIVE", "RUNNING", "QUEUED", "PULLING", "STARTING"].contains { state.hasSuffix($0) }
    }

    /// Paths of the selection's tags that document no GET, with their operations (spec order).
    func pathsWithoutGET() -> [(String, [OpenAPI.Operation])] {
        var order: [String] = []
        var byPath: [String: [OpenAPI.Operation]] = [:]
        for op in model.operations {
            if byPath[op.path] == nil { order.append(op.path) }
            byPath[op.path, default: []].append(op)
        }
        return order.compactMap { path in
            let ops = byPath[path] ?? []
            guard !ops.contains(where: { $0.method == "GET" }), ops.contains(where: selection.matches) else { return nil }
            return (path, ops)
        }
    }
}
