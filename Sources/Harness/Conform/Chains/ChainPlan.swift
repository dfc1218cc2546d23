import JSON
import OpenAPI

/// Why conform does not send an operation: shown in `--plan`, the console, and every report's coverage.
public enum NotSentReason: Sendable, Hashable, Codable {
    /// A write, and `--allow-writes` was not given.
    case writesNotAllowed
    /// Logs in or out: detapi manages its own session (a logout would end it).
    case session
    /// It would change something this run did not create: no path value names a created object (cluster-wide,
    /// or an object that was there before).
    case notScoped
    /// It creates an object the API has no delete for: the cluster could not be left as found.
    case noDelete(noun: String)
    /// Its body must name an object of a kind this run does not create (`experimentIds`).
    case namesPreexisting(field: String)
    /// On the built-in list of operations never sent to this API, with the list's reason.
    case builtIn(String)
    /// `--exclude-op`, `--op` or `--tag` left it out, or it is deprecated.
    case excluded
    /// A path parameter that neither a created object nor an earlier answer fills.
    case unfillable(parameter: String)
    /// It creates a kind whose parent kind cannot be created.
    case parentNotCreated(noun: String)
    /// It starts an object the run made (`activate`, `resume`): what a run creates is never started (an experiment
    /// would train).
    case startsWork

    /// The reason in words, for the console, `--plan` and the reports.
    public var text: String {
        switch self {
        case .writesNotAllowed: return "a write; conform sends writes only with --allow-writes"
        case .session: return "logs in or out; detapi manages its own session (a logout would end it mid-run)"
        case .notScoped: return "changes no object this run creates (cluster-wide, or an object that was there before)"
        case .noDelete(let noun): return "creates a \(noun), and the API has no delete for it: the cluster would be left changed"
        case .namesPreexisting(let field): return "its body must name an object this run did not create (\(field))"
        case .builtIn(let why): return why
        case .excluded: return "excluded by --op, --tag, --exclude-op or as deprecated"
        case .unfillable(let p): return "no created object or earlier answer fills {\(p)}"
        case .parentNotCreated(let noun): return "needs a \(noun), which this run cannot create"
        case .startsWork: return "would start an object this run made (an experiment would train); what a run creates is never started"
        }
    }
}

/// What `conform --allow-writes` will do with every write of a spec, built without sending anything.
///
/// The create → read → update → delete chains are inferred from paths and names; every write no chain sends is
/// listed with the reason (`--plan` prints both).
public struct ChainPlan: Sendable {
    /// Kinds in creation order: a parent before its children; the scratch workspace (where the API has one) first.
    public var kinds: [ResourceKind]
    /// Every write of the spec that no chain sends, with why.
    public var notSent: [(operation: OpenAPI.Operation, reason: NotSentReason)]
    /// The kind every other kind is created in (`workspace` where the API has one).
    public var scratch: String?

    /// Infers the chains of `model`, leaving out what `excluded` names and Determined's never-send list.
    public init(model: APIModel, selection: Sweep.Selection, neverSend: [String: String] = [:]) {
        var kinds: [ResourceKind] = []
        var notSent: [(OpenAPI.Operation, NotSentReason)] = []
        let writes = model.operations.filter { !$0.isSafe && !selection.isSweepable($0) }
        let deletes = model.operations.filter { $0.method == "DELETE" }
        // 1. Creates: a POST to a collection that has a GET or items, or to an item path that names the new object.
        for op in model.operations where op.method == "POST" {
            guard let kind = Self.kind(created: op, model: model, deletes: deletes) else { continue }
            if let why = neverSend[op.id] {
                // Never created: its kind's other operations then name objects that were there, and are not sent.
                notSent.append((op, .builtIn(why)))
                continue
            }
            kinds.append(kind)
        }
        // A create without a delete is not a kind a chain can undo.
        var undeletable: [String: String] = [:]
        for op in model.operations where op.method == "POST" {
            if let noun = Self.createdNoun(op, model: model), !kinds.contains(where: { $0.create.id == op.id }), neverSend[op.id] == nil {
                undeletable[op.id] = noun
            }
        }
        // 1b. Links the spec writes down: the operations a create's answer feeds, by parameter.
        for i in kinds.indices { kinds[i].links = Self.links(of: kinds[i].create, model: model) }
        // 2. Parents: the create's path parameters and body fields that name another kind.
        for i in kinds.indices {
            var parents: [String] = []
            let create = kinds[i].create
            let segments = create.path.split(separator: "/").map(String.init)
            for (n, segment) in segments.enumerated() where segment.hasPrefix("{") {
                let name = String(segment.dropFirst().dropLast())
                guard name != kinds[i].nameInPath,
                    let named = ResourceKind.names(name, previousSegment: n > 0 ? segments[n - 1] : nil),
                    let parent = kinds.first(where: { $0.isNamed(by: named.noun) }), parent.noun != kinds[i].noun
                else { continue }
                parents.append(parent.noun)
            }
            for field in Self.bodyFields(create, model: model) {
                guard let named = ResourceKind.names(field), let parent = kinds.first(where: { $0.isNamed(by: named.noun) }),
                    parent.noun != kinds[i].noun, !parents.contains(parent.noun)
                else { continue }
                parents.append(parent.noun)
            }
            kinds[i].parents = parents
        }
        // 3. Order: parents first; kinds whose parents cannot be made are dropped with their reason.
        var ordered: [ResourceKind] = []
        var remaining = kinds
        while let next = remaining.firstIndex(where: { k in k.parents.allSatisfy { p in ordered.contains { $0.noun == p } } }) {
            ordered.append(remaining.remove(at: next))
        }
        for k in remaining {
            notSent.append((k.create, .parentNotCreated(noun: k.parents.first { p in !ordered.contains { $0.noun == p } } ?? "?")))
        }
        let scratch = ordered.first { ResourceKind.normalized($0.noun) == "workspace" }?.noun
        if let scratch, let i = ordered.firstIndex(where: { $0.noun == scratch }), i != 0 {
            // The scratch kind has no parent of its own (else it could not come first); move it to the front.
            if ordered[i].parents.isEmpty { ordered.insert(ordered.remove(at: i), at: 0) }
        }
        // 4. Every other write: in a chain when each path value names a created object, else not sent.
        var chained = Set(ordered.flatMap { [$0.create.id, $0.delete.id] })
        for op in model.operations where !chained.contains(op.id) && !notSent.contains(where: { $0.0.id == op.id }) {
            if let why = neverSend[op.id] {
                if !op.isSafe { notSent.append((op, .builtIn(why))) }
                continue
            }
            // A rename of the run's own object (`PATCH /template/rename {oldName, newName}`): renamed and back.
            if !op.isSafe, let noun = Self.renamedKind(op, model: model, kinds: ordered),
                let i = ordered.firstIndex(where: { $0.noun == noun })
            {
                ordered[i].operations.append(op)
                chained.insert(op.id)
                continue
            }
            // A documented link puts the operation in that kind's chain, whatever its parameters are called.
            if let linked = ordered.firstIndex(where: { $0.links[op.id] != nil }) {
                let filled = Set(ordered[linked].links[op.id]?.keys.map { $0 } ?? [])
                let rest = op.parameters.filter { $0.location == .path && !filled.contains($0.name) }
                if rest.allSatisfy({ p in Self.pathKinds(op, kinds: ordered, only: p.name) != nil }) {
                    ordered[linked].operations.append(op)
                    chained.insert(op.id)
                    continue
                }
            }
            let path = Self.pathKinds(op, kinds: ordered)
            // A body that must name objects of created kinds (`experimentIds`) puts the operation in the chain of the
            // last of them: a bulk action under `/projects/{projectId}` acts on the run's experiment, not its project.
            let body = Self.requiredBodyKinds(op, model: model, kinds: ordered)
            let owned = path.contains { $0 != nil } || !body.isEmpty
            guard owned, !Self.namesForeign(op, kinds: ordered) else {
                if !op.isSafe && !selection.isSweepable(op) && !notSent.contains(where: { $0.0.id == op.id }) {
                    if let last = op.path.split(separator: "/").last, ["login", "logout"].contains(last.lowercased()) {
                        notSent.append((op, .session))
                    } else if let noun = undeletable[op.id] {
                        notSent.append((op, .noDelete(noun: noun)))
                    } else if let unfilled = Self.unfillable(op, kinds: ordered) {
                        notSent.append((op, unfilled))
                    } else {
                        notSent.append((op, .notScoped))
                    }
                }
                continue
            }
            // The deepest kind the path or the body names owns the operation (a version's read, not its model's).
            let named = Set(path.compactMap { $0 } + body)
            guard let owner = ordered.last(where: { named.contains($0.noun) })?.noun else { continue }
            if !op.isSafe, let field = Self.requiredForeignField(op, model: model, kinds: ordered) {
                notSent.append((op, .namesPreexisting(field: field)))
                continue
            }
            if !op.isSafe, Self.startsWork(op) {
                notSent.append((op, .startsWork))
                continue
            }
            guard let i = ordered.firstIndex(where: { $0.noun == owner }) else { continue }
            ordered[i].operations.append(op)
            chained.insert(op.id)
        }
        for i in ordered.indices {
            // Reads, then updates, then actions (an archived object refuses updates), each in spec order.
            ordered[i].operations.sort { Self.rank($0) < Self.rank($1) }
        }
        for k in ordered where !selection.matches(k.create) { notSent.append((k.create, .excluded)) }
        self.kinds = ordered.filter { selection.matches($0.create) }
        self.notSent = notSent.filter { pair in writes.contains { $0.id == pair.0.id } || !pair.0.isSafe }
        self.scratch = scratch
    }

    /// The operations of a kind grouped as a chain sends them: reads 0, updates 1, actions 2.
    public static func rank(_ op: OpenAPI.Operation) -> Int {
        switch op.method {
        case "GET", "HEAD": return 0
        case "PATCH", "PUT": return 1
        default: return 2
        }
    }

    /// The kind one path parameter names, or nil.
    static func pathKinds(_ op: OpenAPI.Operation, kinds: [ResourceKind], only parameter: String) -> String? {
        let segments = op.path.split(separator: "/").map(String.init)
        guard let n = segments.firstIndex(of: "{\(parameter)}"),
            let named = ResourceKind.names(parameter, previousSegment: n > 0 ? segments[n - 1] : nil)
        else { return nil }
        return kinds.first { $0.isNamed(by: named.noun) }?.noun
    }

    /// The `links` (OpenAPI 3) or `x-links` (Swagger) of a create's success answer.
    ///
    /// Operation id → parameter → JSON pointer into the answer body. Only `$response.body#/…` values are read;
    /// `operationRef`s are not followed.
    static func links(of op: OpenAPI.Operation, model: APIModel) -> [String: [String: String]] {
        var out: [String: [String: String]] = [:]
        for response in op.responses {
            guard case .code(let status) = response.status, (200..<300).contains(status),
                let pointer = try? JSONPointer(fragment: String(response.pointer.dropFirst())),
                let raw = pointer.resolve(in: model.document)
            else { continue }
            for link in (raw["links"] ?? raw["x-links"])?.objectValue ?? JSONObject() {
                let value = model.resolvingLocalReference(link.value)
                guard let id = value["operationId"]?.stringValue else { continue }
                for p in value["parameters"]?.objectValue ?? JSONObject() {
                    guard let expression = p.value.stringValue, expression.hasPrefix("$response.body#") else { continue }
                    out[id, default: [:]][p.key.split(separator: ".").last.map(String.init) ?? p.key] = String(
                        expression.dropFirst("$response.body#".count))
                }
            }
        }
        return out
    }

    /// For each path parameter, the created kind it names (nil where it names none).
    public static func pathKinds(_ op: OpenAPI.Operation, kinds: [ResourceKind]) -> [String?] {
        let segments = op.path.split(separator: "/").map(String.init)
        var out: [String?] = []
        for (n, segment) in segments.enumerated() where segment.hasPrefix("{") {
            let name = String(segment.dropFirst().dropLast())
            let named = ResourceKind.names(name, previousSegment: n > 0 ? segments[n - 1] : nil)
            out.append(named.flatMap { nm in kinds.first { $0.isNamed(by: nm.noun) }?.noun })
        }
        return out
    }

    /// Whether a path parameter names an object of a kind the run does not create (`{agentId}`, `{trial_id}`);
    /// one that names no object (`{label}`) is filled as the read sweep fills it.
    public static func namesForeign(_ op: OpenAPI.Operation, kinds: [ResourceKind]) -> Bool {
        let segments = op.path.split(separator: "/").map(String.init)
        for (n, segment) in segments.enumerated() where segment.hasPrefix("{") {
            let name = String(segment.dropFirst().dropLast())
            guard let named = ResourceKind.names(name, previousSegment: n > 0 ? segments[n - 1] : nil) else { continue }
            if !kinds.contains(where: { $0.isNamed(by: named.noun) }) { return true }
        }
        return false
    }

    /// A path parameter no created kind names, when some other does (so the operation is about a created object).
    static func unfillable(_ op: OpenAPI.Operation, kinds: [ResourceKind]) -> NotSentReason? {
        let path = pathKinds(op, kinds: kinds)
        guard path.contains(where: { $0 != nil }) else { return nil }
        let segments = op.path.split(separator: "/").map(String.init)
        let names = segments.enumerated().filter { $0.element.hasPrefix("{") }.map { n, segment in
            (String(segment.dropFirst().dropLast()), n > 0 ? segments[n - 1] : nil)
        }
        for ((name, previous), kind) in zip(names, path) where kind == nil && ResourceKind.names(name, previousSegment: previous) != nil {
            return .unfillable(parameter: name)
        }
        return nil
    }

    /// The top-level fields of an operation's JSON body schema.
    static func bodyFields(_ op: OpenAPI.Operation, model: APIModel) -> [String] {
        guard let schema = op.requestBody?.schema else { return [] }
        let resolved = model.resolvingLocalReference(schema)
        return resolved["properties"]?.objectValue?.map(\.key) ?? []
    }

    /// A required body field naming a kind this run does not create (MoveExperiments' `experimentIds`).
    static func requiredForeignField(_ op: OpenAPI.Operation, model: APIModel, kinds: [ResourceKind]) -> String? {
        guard let schema = op.requestBody?.schema else { return nil }
        let resolved = model.resolvingLocalReference(schema)
        let required = resolved["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        for field in required {
            let base = field.hasSuffix("Ids") ? String(field.dropLast()) : field
            guard let named = ResourceKind.names(base) else { continue }
            if !kinds.contains(where: { $0.isNamed(by: named.noun) }) { return field }
        }
        return nil
    }

    /// The kind a rename acts on: the last path word is `rename`, the word before it names a kind keyed by its name,
    /// and the body has an old and a new name (`oldName`, `new_name`).
    public static func renamedKind(_ op: OpenAPI.Operation, model: APIModel, kinds: [ResourceKind]) -> String? {
        let segments = op.path.split(separator: "/")
        guard segments.count >= 2, segments.last == "rename", renameFields(op, model: model) != nil else { return nil }
        let noun = ResourceKind.singular(String(segments[segments.count - 2]))
        return kinds.first { ResourceKind.normalized($0.noun) == ResourceKind.normalized(noun) && $0.keyField == "name" }?.noun
    }

    /// A rename's body fields for the old and the new name.
    public static func renameFields(_ op: OpenAPI.Operation, model: APIModel) -> (old: String, new: String)? {
        let fields = bodyFields(op, model: model)
        guard let old = fields.first(where: { ResourceKind.normalized($0) == "oldname" }),
            let new = fields.first(where: { ResourceKind.normalized($0) == "newname" })
        else { return nil }
        return (old, new)
    }

    /// The created kinds a body's required fields name (`experimentIds` → experiment).
    public static func requiredBodyKinds(_ op: OpenAPI.Operation, model: APIModel, kinds: [ResourceKind]) -> [String] {
        guard let schema = op.requestBody?.schema else { return [] }
        let required = model.resolvingLocalReference(schema)["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return required.compactMap { field in
            let base = field.hasSuffix("Ids") ? String(field.dropLast()) : field
            guard let named = ResourceKind.names(base) else { return nil }
            return kinds.first { $0.isNamed(by: named.noun) }?.noun
        }
    }

    /// The last path words that start an object's work: a chain never sends them to what it made.
    public static let startVerbs: Set<String> = ["activate", "resume", "unpause", "start", "continue"]

    /// Whether `op` is a POST whose last path word starts its object (`/experiments/{id}/activate`).
    public static func startsWork(_ op: OpenAPI.Operation) -> Bool {
        op.method == "POST" && op.path.split(separator: "/").last.map { startVerbs.contains(String($0)) } == true
    }

    /// The noun a POST creates, from its answer: the one member holding an object with an id or name
    /// (`{"workspace": {…}}`), or a top-level `<noun>Id` (`{"token": …, "tokenId": 7}`); nil for other POSTs.
    static func createdNoun(_ op: OpenAPI.Operation, model: APIModel) -> String? {
        created(op, model: model)?.noun
    }

    private static func created(_ op: OpenAPI.Operation, model: APIModel) -> (noun: String, member: String?, field: String?)? {
        let segments = op.path.split(separator: "/").map(String.init)
        guard let last = segments.last else { return nil }
        let collection: String
        if last.hasPrefix("{") {
            // POST /templates/{template.name}: the path names the new object.
            let variable = String(last.dropFirst().dropLast())
            guard segments.count >= 2, ResourceKind.names(variable, previousSegment: segments[segments.count - 2])?.field == "name"
            else { return nil }
            collection = segments[segments.count - 2]
        } else {
            collection = last
            // An action on an item (`/experiments/{id}/archive`) is not a create: a create's collection is listed or
            // has items.
            let prefix = "/" + segments.joined(separator: "/")
            let listed = model.operations.contains { $0.method == "GET" && samePath($0.path, prefix) }
            let items = model.operations.contains { o in
                let parts = o.path.split(separator: "/")
                return parts.count == segments.count + 1 && parts.last?.hasPrefix("{") == true
                    && samePath("/" + parts.dropLast().joined(separator: "/"), prefix)
            }
            guard listed || items else { return nil }
        }
        let singular = ResourceKind.normalized(ResourceKind.singular(collection))
        let success = Self.success(op)
        // No key in the answer, but a documented `Location` header: the URL names the new object.
        let location = success?.headers.contains { $0.lowercased() == "location" } == true
        guard let schema = success?.schema else { return location ? (ResourceKind.singular(collection), nil, Self.locationHeader) : nil }
        let answer = model.resolvingLocalReference(schema)
        let properties = answer["properties"]?.objectValue ?? JSONObject()
        for member in properties {
            let value = model.resolvingLocalReference(member.value)
            guard let fields = value["properties"]?.objectValue,
                fields["id"] != nil || fields["name"] != nil || fields["uuid"] != nil || fields["version"] != nil,
                ResourceKind.normalized(member.key).hasSuffix(singular) || ResourceKind.normalized(member.key) == singular
            else { continue }
            return (member.key, member.key, nil)
        }
        for member in properties where ResourceKind.normalized(member.key) == singular + "id" {
            return (ResourceKind.singular(collection), nil, member.key)
        }
        // The answer is the new object itself (`{"id": 7, "name": …}`), as most REST APIs write it.
        for key in ["id", "uuid", "name"] where properties[key] != nil {
            return (ResourceKind.singular(collection), nil, key)
        }
        return location ? (ResourceKind.singular(collection), nil, Self.locationHeader) : nil
    }

    /// The `field` `created` answers when the key comes from the `Location` header, not the body.
    static let locationHeader = "Location"

    /// The kind a POST creates, when the API can also delete it.
    static func kind(created op: OpenAPI.Operation, model: APIModel, deletes: [OpenAPI.Operation]) -> ResourceKind? {
        guard let made = created(op, model: model) else { return nil }
        // A delete the create's answer links to, whatever its parameter is called.
        for (id, parameters) in links(of: op, model: model) {
            guard let delete = deletes.first(where: { $0.id == id }), let pointer = parameters.values.first else { continue }
            let (read, list) = readAndList(create: op, delete: delete, model: model)
            // `/id` (or `/pet/id`): the last token is the key, under the member before it.
            let tokens = pointer.split(separator: "/").map(String.init)
            return ResourceKind(
                noun: made.noun, create: op, delete: delete, read: read, list: list, answerMember: tokens.count > 1 ? tokens[0] : nil,
                keyField: tokens.last ?? "id", nameInPath: nil, parents: [])
        }
        // The delete: a DELETE whose last path segment names an object of this noun.
        for delete in deletes {
            let segments = delete.path.split(separator: "/").map(String.init)
            guard let last = segments.last, last.hasPrefix("{"),
                let named = ResourceKind.names(String(last.dropFirst().dropLast()), previousSegment: segments.dropLast().last),
                ResourceKind.normalized(named.noun) == ResourceKind.normalized(made.noun)
                    || ResourceKind.normalized(made.noun).hasSuffix(ResourceKind.normalized(named.noun))
            else { continue }
            let (read, list) = readAndList(create: op, delete: delete, model: model)
            var nameInPath: String?
            if let tail = op.path.split(separator: "/").last, tail.hasPrefix("{") { nameInPath = String(tail.dropFirst().dropLast()) }
            // A top-level answer names the object by the field the delete's path uses when it has it.
            let topLevelKey = made.field.map { field in
                ["id", "uuid", "name"].contains(field) && Self.answerHas(op, named.field, model: model) ? named.field : field
            }
            var kind = ResourceKind(
                noun: made.noun, create: op, delete: delete, read: read, list: list, answerMember: made.member,
                keyField: made.member == nil ? (topLevelKey ?? "id") : named.field, nameInPath: nameInPath, parents: [])
            if made.field == Self.locationHeader {
                kind.keyFromLocation = true
                kind.keyField = named.field
            }
            return kind
        }
        return nil
    }

    /// Whether the create's answer has a top-level field `name`.
    static func answerHas(_ op: OpenAPI.Operation, _ name: String, model: APIModel) -> Bool {
        guard let schema = success(op)?.schema else { return false }
        return model.resolvingLocalReference(schema)["properties"]?[name] != nil
    }

    /// A create's success answer: its 201, else its 200.
    static func success(_ op: OpenAPI.Operation) -> OpenAPI.Response? {
        op.responses.first(where: { $0.status == .code(201) }) ?? op.response(for: 200)
    }

    /// The GET of the object a delete removes, and the GET of the collection it is listed in (the create's path,
    /// else the delete's parent path).
    static func readAndList(create op: OpenAPI.Operation, delete: OpenAPI.Operation, model: APIModel) -> (
        read: OpenAPI.Operation?, list: OpenAPI.Operation?
    ) {
        let read = model.operations.first { $0.method == "GET" && samePath($0.path, delete.path) }
        let collection = "/" + delete.path.split(separator: "/").dropLast().joined(separator: "/")
        let list =
            model.operations.first { $0.method == "GET" && samePath($0.path, op.path) && !op.path.hasSuffix("}") }
            ?? model.operations.first { $0.method == "GET" && $0.path == collection }
        return (read, list)
    }

    /// Two templates with their variables' names set aside (`/templates/{templateName}` and `/templates/{template.name}`).
    static func samePath(_ a: String, _ b: String) -> Bool {
        let x = a.split(separator: "/")
        let y = b.split(separator: "/")
        return x.count == y.count && zip(x, y).allSatisfy { $0 == $1 || ($0.hasPrefix("{") && $1.hasPrefix("{")) }
    }
}
