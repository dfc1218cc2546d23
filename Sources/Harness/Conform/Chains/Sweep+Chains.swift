import Foundation
import HTTP
import JSON
import OpenAPI

/// The objects a chain run has made, by kind noun: the value that names each in paths, and the name it was given.
struct ChainObjects: Sendable {
    var keys: [String: JSONValue] = [:]
    var names: [String: String] = [:]
    var ledger: [String: Int] = [:]
    /// Each object as its create answered (for the state its pairs start from: `pinned`, `archived`).
    var answers: [String: JSONValue] = [:]
    /// Each create's whole answer, which the spec's links point into (`$response.body#/id`).
    var bodies: [String: JSONValue] = [:]
    /// A second object of a kind, made for a move's destination (a project cannot move into its own workspace).
    var spares: [String: JSONValue] = [:]
    var spareLedger: [String: Int] = [:]
}

extension Sweep {
    /// The name a run gives what it creates: the scratch workspace `detapi-conform-<run>`, others
    /// `detapi-<noun>-<run>`.
    func chainName(_ noun: String, plan: ChainPlan, suffix: String = "") -> String {
        (noun == plan.scratch ? "detapi-conform-\(settings.runID)" : "detapi-\(noun)-\(settings.runID)") + suffix
    }

    /// Runs every chain of the plan and returns a row per operation sent.
    ///
    /// Creates every kind in order (each read and updated at once), then, in reverse order, sends each kind's actions
    /// and deletes it; after an interrupt only the deletes are sent. Every create is in the ledger before it is sent.
    func runChains(_ plan: ChainPlan, found: [String: JSONValue], runner: Runner, vars: inout Variables, ledger: ConformLedger) async
        -> [Swept]
    {
        var objects = ChainObjects()
        var rows: [String: Swept] = [:]
        var order: [String] = []
        func keep(_ one: Swept) {
            if rows[one.row.operationID] == nil { order.append(one.row.operationID) }
            if var old = rows[one.row.operationID] {
                Self.merge(&old, one)
                rows[one.row.operationID] = old
            } else {
                rows[one.row.operationID] = one
            }
        }
        var made: [ResourceKind] = []
        forward: for kind in plan.kinds {
            if runner.options.interrupted() { break }
            guard kind.parents.allSatisfy({ objects.keys[$0] != nil }) else {
                keep(skipped(kind.create, "its \(kind.parents.filter { objects.keys[$0] == nil }.joined(separator: ", ")) was not created"))
                continue
            }
            let (one, key) = await create(kind, plan: plan, objects: &objects, found: found, runner: runner, vars: &vars, ledger: ledger)
            keep(one)
            guard key != nil else { continue }
            made.append(kind)
            if let negative = await negativeCreates(
                kind, plan: plan, objects: objects, found: found, runner: runner, vars: &vars, ledger: ledger)
            {
                keep(negative)
            }
            for op in kind.operations where ChainPlan.rank(op) < 2 {
                if runner.options.interrupted() { break forward }
                if ChainPlan.renamedKind(op, model: model, kinds: plan.kinds) == kind.noun {
                    keep(await rename(op, kind, plan: plan, objects: &objects, found: found, runner: runner, vars: &vars, ledger: ledger))
                    continue
                }
                keep(
                    await send(
                        op, role: ChainPlan.rank(op) == 0 ? "read" : "update", plan: plan, objects: objects, found: found, runner: runner,
                        vars: &vars))
            }
        }
        for kind in made.reversed() {
            if !runner.options.interrupted() {
                var stopped = false
                for op in ChainPlan.actionOrder(kind, state: objects.answers[kind.noun]) {
                    if runner.options.interrupted() { break }
                    let isStop = ChainPlan.stopVerbs.contains(op.path.split(separator: "/").last.map(String.init) ?? "")
                    if stopped && !isStop {
                        // What follows a kill needs the object at rest (an experiment archives only once it has ended).
                        stopped = false
                        await settle(kind, plan: plan, objects: objects, found: found, runner: runner, vars: &vars)
                    }
                    stopped = stopped || isStop
                    await makeSpares(for: op, plan: plan, objects: &objects, found: found, runner: runner, vars: &vars, ledger: ledger)
                    keep(await send(op, role: "action", plan: plan, objects: objects, found: found, runner: runner, vars: &vars))
                }
                if stopped { await settle(kind, plan: plan, objects: objects, found: found, runner: runner, vars: &vars) }
            }
            keep(await delete(kind, plan: plan, objects: &objects, found: found, runner: runner, vars: &vars, ledger: ledger))
            // A spare goes right after the object of its kind, before their parent: what moved into it was deleted
            // with its own chain.
            if let key = objects.spares[kind.noun] {
                objects.keys[kind.noun] = key
                objects.ledger[kind.noun] = objects.spareLedger[kind.noun]
                keep(await delete(kind, plan: plan, objects: &objects, found: found, runner: runner, vars: &vars, ledger: ledger))
            }
        }
        return order.compactMap { rows[$0] }
    }

    /// A move names a destination of the kind the object lives in; a second object of that kind is made for it (once).
    func makeSpares(
        for op: OpenAPI.Operation, plan: ChainPlan, objects: inout ChainObjects, found: [String: JSONValue], runner: Runner,
        vars: inout Variables, ledger: ConformLedger
    ) async {
        for field in ChainPlan.bodyFields(op, model: model) where field.lowercased().hasPrefix("destination") {
            guard let named = ResourceKind.names(field), let kind = plan.kinds.first(where: { $0.isNamed(by: named.noun) }),
                objects.spares[kind.noun] == nil, kind.parents.allSatisfy({ objects.keys[$0] != nil })
            else { continue }
            var spare = ChainObjects()
            spare.keys = objects.keys
            spare.keys[kind.noun] = nil
            let (_, key) = await create(
                kind, plan: plan, objects: &spare, found: found, runner: runner, vars: &vars, ledger: ledger, suffix: "-b")
            if let key {
                objects.spares[kind.noun] = key
                objects.spareLedger[kind.noun] = spare.ledger[kind.noun]
            }
        }
    }

    /// A row for an operation that was not sent, with why.
    func skipped(_ op: OpenAPI.Operation, _ why: String) -> Swept {
        var coverage = ConformCoverage.Operation(id: op.id, tag: op.groupTag, method: op.method, path: op.path)
        coverage.documented = op.responses.map(\.status.description)
        let row = StepResult(name: op.id, operationID: op.id, method: op.method, url: "", milliseconds: 0, outcome: .skipped(why))
        return Swept(row: row, coverage: coverage, found: [:], failing: [])
    }

    /// Two rows of one operation (its GET sweep and its chain read) as one.
    static func merge(_ a: inout Swept, _ b: Swept) {
        a.coverage.requests += b.coverage.requests
        a.coverage.statuses = Array(Set(a.coverage.statuses + b.coverage.statuses)).sorted()
        for (s, n) in b.coverage.statusCounts { a.coverage.statusCounts[s, default: 0] += n }
        for (check, state) in b.coverage.checks where a.coverage.checks[check] == nil || state == .failed {
            a.coverage.checks[check] = state
        }
        a.row.failures += b.row.failures
        a.row.accepted += b.row.accepted.filter { n in !a.row.accepted.contains { $0.failure.kind == n.failure.kind && $0.note == n.note } }
        a.failing += b.failing
        if case .skipped = a.row.outcome { a.row = b.row }
        settle(&a)
    }

    /// The step of a chain operation: path values of created objects, the rest as the GET sweep fills them.
    func chainStep(
        _ op: OpenAPI.Operation, plan: ChainPlan, objects: ChainObjects, found: [String: JSONValue], creating: ResourceKind? = nil
    )
        -> Step
    {
        var s = step(for: op, found: found)
        s.name = op.id
        let segments = op.path.split(separator: "/").map(String.init)
        for i in s.path.indices {
            let name = s.path[i].0
            // A documented link: the value is in the create's answer at its pointer.
            if let kind = plan.kinds.first(where: { $0.links[op.id]?[name] != nil }), let answer = objects.bodies[kind.noun],
                let pointer = kind.links[op.id]?[name].flatMap({ try? JSONPointer(parsing: $0) }),
                let value = pointer.resolve(in: answer)
            {
                s.path[i].1 = value
                continue
            }
            if let creating, name == creating.nameInPath {
                s.path[i].1 = .string(objects.names[creating.noun] ?? chainName(creating.noun, plan: plan))
                continue
            }
            let previous = segments.firstIndex(of: "{\(name)}").flatMap { $0 > 0 ? segments[$0 - 1] : nil }
            if let named = ResourceKind.names(name, previousSegment: previous),
                let kind = plan.kinds.first(where: { $0.isNamed(by: named.noun) }), let key = objects.keys[kind.noun]
            {
                s.path[i].1 = key
            }
        }
        s.body = chainBody(op, plan: plan, objects: objects, found: found, creating: creating)
        return s
    }

    /// A body from the request schema: the required fields, fields naming created objects (their keys), names
    /// (the run's), and for updates a description that says who wrote it; other optional fields left out.
    func chainBody(_ op: OpenAPI.Operation, plan: ChainPlan, objects: ChainObjects, found: [String: JSONValue], creating: ResourceKind?)
        -> JSONValue?
    {
        guard let body = op.requestBody, let node = body.schemaNode, let schema = body.schema else { return nil }
        let resolved = model.resolvingLocalReference(schema)
        let sampler = SchemaSampler(schemas: model.schemas, maxDepth: 3)
        guard let properties = resolved["properties"]?.objectValue else { return sampler.sample(node, seed: settings.seed) }
        let required = Set(resolved["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        let owner = creating ?? plan.kinds.last { k in ChainPlan.pathKinds(op, kinds: plan.kinds).contains(k.noun) }
        var out: [JSONObject.Member] = []
        for member in properties {
            let field = member.key
            let many = field.hasSuffix("Ids")
            let named = ResourceKind.names(many ? String(field.dropLast()) : field)
            if let named, let kind = plan.kinds.first(where: { $0.isNamed(by: named.noun) }),
                named.field == kind.keyField || named.field == "id"
            {
                // An update moves nothing it does not have to: optional fields naming objects are left out.
                if creating == nil, !required.contains(field) { continue }
                if field.lowercased().hasPrefix("destination"), let spare = objects.spares[kind.noun] {
                    out.append(.init(key: field, value: many ? .array([spare]) : spare))
                    continue
                }
                if let key = objects.keys[kind.noun] {
                    out.append(.init(key: field, value: many ? .array([key]) : key))
                    continue
                }
                if creating?.noun == kind.noun, named.field == "name" {
                    out.append(.init(key: field, value: .string(objects.names[kind.noun] ?? chainName(kind.noun, plan: plan))))
                    continue
                }
            }
            if let named, creating != nil,
                let value = found[named.noun + "s." + named.field] ?? (named.field == "id" ? found[named.noun + "s"] : nil)
            {
                // A reference a create needs to an object that was there (a checkpoint to register): read, not changed.
                out.append(.init(key: field, value: value))
                continue
            }
            if field == "name" || field == "username", let owner {
                out.append(.init(key: field, value: .string(objects.names[owner.noun] ?? chainName(owner.noun, plan: plan))))
                continue
            }
            if creating == nil, ["description", "comment", "notes"].contains(field), member.value["type"]?.stringValue == "string" {
                out.append(.init(key: field, value: .string("written by detapi conform \(settings.runID)")))
                continue
            }
            if Self.isURLField(field, member.value) {
                // A URL the server may call back (a webhook's): nothing listens there.
                if required.contains(field) || creating != nil {
                    out.append(.init(key: field, value: .string(Self.harmlessURL(runID: settings.runID))))
                }
                continue
            }
            guard required.contains(field), let child = model.schemas.child(of: node, property: field) else { continue }
            out.append(.init(key: field, value: setValue(sampler.sample(child, seed: settings.seed), schema: member.value)))
        }
        if let creating,
            let known = KnownCreates.fields(
                op, model: model, name: objects.names[creating.noun] ?? chainName(creating.noun, plan: plan), runID: settings.runID)
        {
            for (key, value) in known {
                out.removeAll { $0.key == key }
                out.append(.init(key: key, value: value))
            }
        }
        return .object(JSONObject(out))
    }

    /// A URL that answers nothing (the loopback address's discard port), for fields a server may call back.
    static func harmlessURL(runID: String) -> String { "http://127.0.0.1:9/detapi-conform-\(runID)" }

    /// Whether a body field holds a URL: named `url`, `uri` or `…Url`, or a string of format `uri`.
    static func isURLField(_ name: String, _ schema: JSONValue) -> Bool {
        let lower = name.lowercased()
        return lower == "url" || lower == "uri" || lower.hasSuffix("url") || schema["format"]?.stringValue == "uri"
    }

    /// An enum's set value where the sample chose the proto3 zero value (`WEBHOOK_TYPE_UNSPECIFIED`), which a
    /// grpc-gateway server reads as "not given".
    func setValue(_ sampled: JSONValue, schema: JSONValue) -> JSONValue {
        let resolved = model.resolvingLocalReference(schema)
        guard let name = sampled.stringValue, name.hasSuffix("_UNSPECIFIED"),
            let other = resolved["enum"]?.arrayValue?.first(where: { !($0.stringValue ?? "").hasSuffix("_UNSPECIFIED") })
        else { return sampled }
        return other
    }

    /// Sends one chain request with the automatic checks; the row and the parsed answer.
    func chainExchange(
        _ op: OpenAPI.Operation, _ step: Step, role: String, runner: Runner, vars: inout Variables, cleanup: Bool = false
    ) async -> (Swept, JSONValue?) {
        await settings.rateLimit?.acquire()
        var coverage = ConformCoverage.Operation(id: op.id, tag: op.groupTag, method: op.method, path: op.path)
        coverage.documented = op.responses.map(\.status.description)
        let sent = ConformCase(ConformVariant(.write, note: role), step: step)
        let answer: JSONValue?
        var result: StepResult
        if cleanup {
            result = await runner.runFinally(step, vars: &vars, scenarioStarted: .now)
            answer = nil
        } else {
            let exchange = await runner.exchange(step, vars: &vars)
            result = exchange.result
            answer = exchange.response.flatMap { try? JSONValue(parsing: $0.body) }
        }
        coverage.requests = max(1, result.attempts)
        if let status = result.status {
            coverage.statuses = [status]
            coverage.statusCounts[status] = 1
        }
        var failures = conformFailures(sent, result, op)
        if case .error(let f) = result.outcome {
            var f = f
            f.variant = sent.variant
            if f.kind == .transport, case .noAnswer = f.reason { f.kind = ConformCheck.notAServerError.kind }
            failures.append(f)
            result.outcome = .failed
        }
        result.name = op.id
        result.operationID = op.id
        result.failures = failures.filter { f in ConformCheck(rawValue: f.kind.rawValue).map(settings.checks.contains) ?? true }
        for check in [ConformCheck.notAServerError, .statusCodeConformance, .contentTypeConformance, .responseSchemaConformance]
        where settings.checks.contains(check) {
            coverage.checks[check] = .passed
        }
        var one = Swept(row: result, coverage: coverage, found: [:], failing: [])
        if let check = result.failures.compactMap({ ConformCheck(rawValue: $0.kind.rawValue) }).first {
            one.failing.append(FailingCase(operation: op.id, check: check, step: step, status: result.status))
        }
        Self.settle(&one)
        return (one, answer)
    }

    func send(
        _ op: OpenAPI.Operation, role: String, plan: ChainPlan, objects: ChainObjects, found: [String: JSONValue], runner: Runner,
        vars: inout Variables
    ) async -> Swept {
        if let missing = missingObject(op, plan: plan, objects: objects) {
            return skipped(op, "its \(missing) is not there (not created, or already deleted)")
        }
        let step = chainStep(op, plan: plan, objects: objects, found: found)
        var (one, _) = await chainExchange(op, step, role: role, runner: runner, vars: &vars)
        guard role == "update", settings.checks.contains(.negativeDataRejection), (200..<300).contains(one.row.status ?? 0) else {
            return one
        }
        // An update of the run's own object also gets the body's negative cases: each field of the wrong type, each
        // required field left out (the object is deleted with its chain, whatever they change).
        var builder = ConformCases(combinations: 0, seed: settings.seed)
        if let schema = op.requestBody?.schema {
            builder.requiredFields = model.resolvingLocalReference(schema)["required"]?.arrayValue?.compactMap(\.stringValue)
        }
        for c in builder.bodyCases(op, base: step) {
            if runner.options.interrupted() { break }
            await settings.rateLimit?.acquire()
            let result = await runner.exchange(c.step, vars: &vars).result
            record(c, op, result, into: &one)
        }
        Self.settle(&one)
        return one
    }

    /// The kind a chain operation's path or required body names whose object the run does not hold: such an
    /// operation is not sent (its value would otherwise come from the read sweep, an object that was there).
    func missingObject(_ op: OpenAPI.Operation, plan: ChainPlan, objects: ChainObjects) -> String? {
        let named =
            ChainPlan.pathKinds(op, kinds: plan.kinds).compactMap { $0 }
            + ChainPlan.requiredBodyKinds(op, model: model, kinds: plan.kinds)
        return named.first { objects.keys[$0] == nil }
    }

    /// Counts a negative body case's answer in `one` and adds its findings (a known master bug is accepted with its
    /// note unless `--strict`).
    func record(_ c: ConformCase, _ op: OpenAPI.Operation, _ result: StepResult, into one: inout Swept) {
        one.coverage.requests += 1
        if let status = result.status {
            one.coverage.statuses = Array(Set(one.coverage.statuses + [status])).sorted()
            one.coverage.statusCounts[status, default: 0] += 1
        }
        one.coverage.checks[.negativeDataRejection] = .passed
        let answer = ConformAnswer(conformCase: c, operation: op, result: result, settings: settings)
        for var f in ConformChecks.findings(in: answer) {
            f.variant = c.variant
            guard let check = ConformCheck(rawValue: f.kind.rawValue) else { continue }
            if let note = knownBugNote(check, c, op) {
                if !settings.strict {
                    if !one.row.accepted.contains(where: { $0.failure.kind == f.kind && $0.note == note }) {
                        one.row.accepted.append(AcceptedFailure(failure: f, reason: .knownBug, note: note))
                    }
                    continue
                }
                f.knownBug = note
            }
            // The repro of this finding is the case's own request, not the chain's.
            if !one.row.failures.contains(where: { $0.variant != nil }) {
                one.row.curl = result.curl.isEmpty ? Self.repro(result) : result.curl
            }
            one.row.failures.append(f)
            if !one.failing.contains(where: { $0.check == check }) {
                one.failing.append(FailingCase(operation: op.id, check: check, step: c.step, status: result.status))
            }
        }
    }

    /// Sends a kind's create with its intent in the ledger first; on success records the key and checks that the
    /// object can be read and is listed (`ensure_resource_availability`).
    func create(
        _ kind: ResourceKind, plan: ChainPlan, objects: inout ChainObjects, found: [String: JSONValue], runner: Runner,
        vars: inout Variables, ledger: ConformLedger, suffix: String = ""
    ) async -> (Swept, JSONValue?) {
        let name = chainName(kind.noun, plan: plan, suffix: suffix)
        let index = ledger.intend(noun: kind.noun, name: name, create: kind.create.id, delete: kind.delete.id)
        objects.names[kind.noun] = name
        let step = chainStep(kind.create, plan: plan, objects: objects, found: found, creating: kind)
        var (one, answer) = await chainExchange(kind.create, step, role: "create", runner: runner, vars: &vars)
        guard (200..<300).contains(one.row.status ?? 0), answer != nil || kind.keyFromLocation else { return (one, nil) }
        let holder = kind.answerMember.flatMap { answer?[$0] } ?? answer ?? .object(JSONObject())
        let key = createdKey(kind, answer: answer, headers: one.row.responseHeaders, name: name)
        if key == nil { objects.names[kind.noun] = nil }
        guard let key, !key.isNull else {
            one.row.failures.append(
                CheckFailure(
                    ConformCheck.ensureResourceAvailability.kind, expected: kind.keyField, actual: "absent",
                    reason: .createdNotFound(
                        object: "the new \(kind.noun)",
                        place: kind.keyFromLocation ? "the create's Location header" : "the create's answer (\(kind.keyField))", status: nil
                    )))
            Self.settle(&one)
            return (one, nil)
        }
        objects.keys[kind.noun] = key
        objects.names[kind.noun] = holder["name"]?.stringValue ?? holder["username"]?.stringValue ?? name
        objects.ledger[kind.noun] = index
        objects.answers[kind.noun] = holder
        objects.bodies[kind.noun] = answer ?? holder
        ledger.created(index, path: deletePath(kind, plan: plan, objects: objects, found: found))
        if settings.checks.contains(.ensureResourceAvailability) {
            let findings = await availability(kind, key: key, plan: plan, objects: objects, found: found, runner: runner, vars: &vars)
            one.row.failures += findings
            one.coverage.checks[.ensureResourceAvailability] = .passed
            Self.settle(&one)
        }
        return (one, key)
    }

    /// What names a new object in paths: its name (a template's), or the key field of the create's answer, under its
    /// own name or prefixed with the noun (a group's `groupId`).
    func createdKey(_ kind: ResourceKind, answer: JSONValue?, headers: HTTPHeaders, name: String) -> JSONValue? {
        if kind.nameInPath != nil { return .string(name) }
        if kind.keyFromLocation {
            return headers["Location"].flatMap { ResourceKind.key(inLocation: $0, template: (kind.read ?? kind.delete).path) }
        }
        guard let answer else { return nil }
        let holder = kind.answerMember.flatMap { answer[$0] } ?? answer
        let prefixed = kind.noun + kind.keyField.prefix(1).uppercased() + kind.keyField.dropFirst()
        return holder[kind.keyField] ?? holder[prefixed]
    }

    /// The delete's path values for the ledger.
    func deletePath(_ kind: ResourceKind, plan: ChainPlan, objects: ChainObjects, found: [String: JSONValue]) -> [(String, JSONValue)] {
        chainStep(kind.delete, plan: plan, objects: objects, found: found).path
    }

    /// `ensure_resource_availability`: the object's GET answers 2xx, and its collection lists it (every page).
    func availability(
        _ kind: ResourceKind, key: JSONValue, plan: ChainPlan, objects: ChainObjects, found: [String: JSONValue], runner: Runner,
        vars: inout Variables
    ) async -> [CheckFailure] {
        var out: [CheckFailure] = []
        let object = "\(kind.noun) \(JSONWriter().string(key))"
        if let read = kind.read {
            let step = chainStep(read, plan: plan, objects: objects, found: found)
            let r = await runner.exchange(step, vars: &vars).result
            if !(200..<300).contains(r.status ?? 0) {
                out.append(
                    CheckFailure(
                        ConformCheck.ensureResourceAvailability.kind, expected: "2xx", actual: r.status.map(String.init) ?? "no answer",
                        reason: .createdNotFound(object: object, place: "\(read.id)", status: r.status)))
            }
        }
        if let list = kind.list {
            var step = chainStep(list, plan: plan, objects: objects, found: found)
            // A list that can be narrowed to the object's parent is (`GetExperiments?projectId=`): a cluster's whole
            // list can be long.
            for p in list.parameters where p.location == .query && !step.query.contains(where: { $0.0 == p.name }) {
                guard let named = ResourceKind.names(p.name), let parent = plan.kinds.first(where: { $0.isNamed(by: named.noun) }),
                    kind.parents.contains(parent.noun), named.field == parent.keyField || named.field == "id",
                    let key = objects.keys[parent.noun]
                else { continue }
                step.query.append((p.name, key))
            }
            let (listed, lastStatus) = await identities(list, step, field: kind.keyField, runner: runner, vars: &vars)
            if let listed, !listed.contains(JSONWriter().string(key)) {
                out.append(
                    CheckFailure(
                        ConformCheck.ensureResourceAvailability.kind, expected: "listed", actual: "absent",
                        reason: .createdNotFound(object: object, place: "\(list.id)", status: nil)))
            } else if listed == nil {
                out.append(
                    CheckFailure(
                        ConformCheck.ensureResourceAvailability.kind, expected: "2xx", actual: lastStatus.map(String.init) ?? "no answer",
                        reason: .createdNotFound(object: object, place: "\(list.id)", status: lastStatus)))
            }
        }
        return out
    }

    /// Every item's `field` in a list answer, page by page (`pagination.endIndex < total` moves `offset` on, at most
    /// 100 pages); nil when a page was not a 2xx.
    func identities(_ op: OpenAPI.Operation, _ base: Step, field: String, runner: Runner, vars: inout Variables) async -> (
        Set<String>?, Int?
    ) {
        var out = Set<String>()
        var step = base
        for _ in 0..<100 {
            let exchange = await runner.exchange(step, vars: &vars)
            guard (200..<300).contains(exchange.result.status ?? 0), let body = exchange.response?.body,
                let value = try? JSONValue(parsing: body)
            else { return (nil, exchange.result.status) }
            // A list is an array at the top (`[{…}]`) or in a member (`{"pets": [{…}], "pagination": …}`).
            let lists = value.arrayValue.map { [$0] } ?? (value.objectValue ?? JSONObject()).compactMap(\.value.arrayValue)
            for item in lists.joined() {
                if let v = item[field] ?? item["id"], !v.isNull { out.insert(JSONWriter().string(v)) }
            }
            guard let p = value["pagination"], let end = p["endIndex"]?.intValue, let total = p["total"]?.intValue, end < total,
                op.parameters.contains(where: { $0.name == "offset" })
            else { break }
            step.query.removeAll { $0.0 == "offset" }
            step.query.append(("offset", .number(JSONNumber(end))))
        }
        return (out, nil)
    }

    /// Sends a kind's delete (resent through transient failures, as `finally` steps are); on success the object's GET
    /// must no longer find it (`use_after_free`).
    func delete(
        _ kind: ResourceKind, plan: ChainPlan, objects: inout ChainObjects, found: [String: JSONValue], runner: Runner,
        vars: inout Variables, ledger: ConformLedger
    ) async -> Swept {
        let step = chainStep(kind.delete, plan: plan, objects: objects, found: found)
        var (one, _) = await chainExchange(kind.delete, step, role: "delete", runner: runner, vars: &vars, cleanup: true)
        let object = "\(kind.noun) \(objects.keys[kind.noun].map { JSONWriter().string($0) } ?? "?")"
        if (200..<300).contains(one.row.status ?? 0) || [404, 410].contains(one.row.status ?? 0) {
            if let i = objects.ledger[kind.noun] { ledger.deleted(i) }
        } else {
            one.row.failures.append(
                CheckFailure(
                    .undo, expected: "2xx", actual: one.row.status.map(String.init) ?? "no answer",
                    reason: .cleanupFailed(object: object, status: one.row.status)))
        }
        if settings.checks.contains(.useAfterFree), (200..<300).contains(one.row.status ?? 0), kind.read != nil,
            // A delete that answers at once and finishes later (`STATE_DELETING`) is judged once it has finished.
            let r = await settle(kind, plan: plan, objects: objects, found: found, runner: runner, vars: &vars)
        {
            one.coverage.requests += 1
            if let status = r.status, (200..<300).contains(status) {
                one.row.curl = r.curl.isEmpty ? Self.repro(r) : r.curl
                one.row.failures.append(
                    CheckFailure(
                        ConformCheck.useAfterFree.kind, expected: "404 or 410", actual: String(status),
                        reason: .stillThereAfterDelete(object: object, status: status)))
            }
            one.coverage.checks[.useAfterFree] = .passed
        }
        objects.keys[kind.noun] = nil
        Self.settle(&one)
        return one
    }
}
