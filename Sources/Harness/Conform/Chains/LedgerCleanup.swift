import HTTP
import JSON
import OpenAPI

/// Deletes what a ledger says is still there, newest first: at the end of a run for anything its chains could not
/// delete, and for `conform --cleanup LEDGER` after a run that was killed.
public struct LedgerCleanup: Sendable {
    /// What happened to one object.
    public struct Outcome: Sendable {
        public var noun: String
        public var name: String
        /// The delete's status; nil when none was sent (the object could not be found again).
        public var status: Int?
        public var done: Bool
        public var note: String
    }

    public let model: APIModel
    public let plan: ChainPlan

    public init(model: APIModel) {
        self.model = model
        plan = ChainPlan(model: model, selection: .init())
    }

    /// Deletes every entry not yet deleted, each resent through transient failures; a 404 or 410 counts as gone.
    public func run(_ ledger: ConformLedger, runner: Runner, vars: inout Variables) async -> [Outcome] {
        if let token = runner.options.token { vars.set("token", .string(token), secret: true) }
        var out: [Outcome] = []
        for (i, e) in ledger.all.enumerated().reversed() where e.state != .deleted {
            guard model.operation(id: e.delete) != nil else {
                out.append(Outcome(noun: e.noun, name: e.name, status: nil, done: false, note: "the spec has no operation \(e.delete)"))
                continue
            }
            var path = e.path
            if e.state == .intended {
                // The create's answer was never read: find the object by the name the run gave it.
                guard let found = await find(e, ledger: ledger, runner: runner, vars: &vars) else {
                    // Nothing by that name: the create never took effect.
                    ledger.deleted(i)
                    out.append(Outcome(noun: e.noun, name: e.name, status: nil, done: true, note: "never created"))
                    continue
                }
                path = found
            }
            var step = Step(
                name: "cleanup: \(e.delete) \(e.name)", operation: e.delete, location: SourceLocation(file: "ledger", line: 0, column: 0))
            step.path = path
            step.expect.anyStatus = true
            step.requestCheck = false
            let result = await runner.runFinally(step, vars: &vars, scenarioStarted: .now)
            let status = result.status
            let done = (200..<300).contains(status ?? 0) || status == 404 || status == 410
            if done { ledger.deleted(i) }
            out.append(
                Outcome(
                    noun: e.noun, name: e.name, status: status, done: done,
                    note: done ? (status == 404 || status == 410 ? "already gone" : "deleted") : "not deleted"))
        }
        return out
    }

    /// The delete's path values of an object known only by name: its kind's list, read with the parents' values the
    /// ledger holds, searched for that name.
    func find(_ e: ConformLedger.Entry, ledger: ConformLedger, runner: Runner, vars: inout Variables) async -> [(String, JSONValue)]? {
        guard let kind = plan.kinds.first(where: { $0.noun == e.noun }), let list = kind.list,
            let delete = model.operation(id: e.delete)
        else { return nil }
        // A parent's value: the ledger entry of that kind names itself in its own delete path.
        func value(for parameter: String, in op: OpenAPI.Operation) -> JSONValue? {
            guard let named = Self.named(parameter, in: op) else { return nil }
            for other in ledger.all where other.noun != e.noun {
                guard let parent = plan.kinds.first(where: { $0.noun == other.noun }), parent.isNamed(by: named.noun),
                    let otherDelete = model.operation(id: other.delete)
                else { continue }
                if let own = other.path.first(where: { Self.named($0.0, in: otherDelete).map { parent.isNamed(by: $0.noun) } ?? false }) {
                    return own.1
                }
            }
            return nil
        }
        var step = Step(name: "cleanup: find \(e.name)", operation: list.id, location: SourceLocation(file: "ledger", line: 0, column: 0))
        for p in list.parameters where p.location == .path {
            guard let v = value(for: p.name, in: list) else { return nil }
            step.path.append((p.name, v))
        }
        step.expect.anyStatus = true
        step.requestCheck = false
        for _ in 0..<100 {
            let exchange = await runner.exchange(step, vars: &vars)
            guard (200..<300).contains(exchange.result.status ?? 0), let body = exchange.response?.body,
                let answer = try? JSONValue(parsing: body)
            else { return nil }
            for member in answer.objectValue ?? JSONObject() {
                for item in member.value.arrayValue ?? []
                where item["name"]?.stringValue == e.name || item["username"]?.stringValue == e.name {
                    guard let key = item[kind.keyField] else { continue }
                    var path: [(String, JSONValue)] = []
                    for p in delete.parameters where p.location == .path {
                        if let named = Self.named(p.name, in: delete), kind.isNamed(by: named.noun) {
                            path.append((p.name, key))
                        } else if let v = value(for: p.name, in: delete) {
                            path.append((p.name, v))
                        }
                    }
                    return path
                }
            }
            guard let p = answer["pagination"], let end = p["endIndex"]?.intValue, let total = p["total"]?.intValue, end < total else {
                return nil
            }
            step.query.removeAll { $0.0 == "offset" }
            step.query.append(("offset", .number(JSONNumber(end))))
        }
        return nil
    }

    /// The kind and field a path parameter of `op` names.
    static func named(_ parameter: String, in op: OpenAPI.Operation) -> (noun: String, field: String)? {
        let segments = op.path.split(separator: "/").map(String.init)
        let previous = segments.firstIndex(of: "{\(parameter)}").flatMap { $0 > 0 ? segments[$0 - 1] : nil }
        return ResourceKind.names(parameter, previousSegment: previous)
    }
}
