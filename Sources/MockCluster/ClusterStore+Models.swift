import Foundation
import JSON

/// Fields a model answer shows zeroed: the master reads some answers back from partial rows (reference part 4
/// §26.3–26.6), and clients meet those zeros.
struct ModelAnswerQuirks: OptionSet, Sendable {
    let rawValue: Int
    static let noUserID = ModelAnswerQuirks(rawValue: 1)
    static let noWorkspaceID = ModelAnswerQuirks(rawValue: 2)
    /// PatchModel's `RETURNING`: id, numVersions, username, workspaceId, userId and archived are zero.
    static let partialRow = ModelAnswerQuirks(rawValue: 4)
}

/// The model registry's models (§26.2–26.5): names or ids in the path, the name rules, the partial answers.
extension ClusterStore {
    /// Go's `%q` of a path segment, as the master's not-found texts quote it.
    static func goQuoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// `ModelFromIdentifier`: all digits is an id, anything else a name (exact, case-sensitive).
    func modelIndex(_ segment: String) throws(GatewayError) -> Int {
        let found: Int?
        if !segment.isEmpty, segment.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            let id = Int(segment)
            found = state.models.firstIndex { $0.id == id }
        } else {
            found = state.models.firstIndex { $0.name == segment }
        }
        guard let found else { throw GatewayError(.notFound, "model \(Self.goQuoted(segment)) not found") }
        return found
    }

    /// A model's versions whose checkpoint still exists (the master's view joins the checkpoint row).
    func liveVersions(of modelID: Int) -> [MockModelVersion] {
        state.modelVersions.filter { v in v.modelID == modelID && state.experiments.contains { $0.id == v.experimentID } }
    }

    func modelJSON(_ m: MockModel, _ quirks: ModelAnswerQuirks = [], numVersions: Int? = nil) -> JSONValue {
        let partial = quirks.contains(.partialRow)
        let owner = state.users.first { $0.id == m.ownerID }?.username ?? ""
        return MockJSON.object([
            ("name", .string(m.name)), ("description", .string(m.description)), ("metadata", m.metadata.value),
            ("creationTime", MockJSON.time(m.created)), ("lastUpdatedTime", MockJSON.time(m.updated)),
            ("id", MockJSON.int(partial ? 0 : m.id)),
            ("numVersions", MockJSON.int(partial ? 0 : numVersions ?? liveVersions(of: m.id).count)),
            ("labels", .array(m.labels.map(JSONValue.string))), ("username", .string(partial ? "" : owner)),
            ("workspaceId", MockJSON.int(partial || quirks.contains(.noWorkspaceID) ? 0 : m.workspaceID)),
            ("userId", MockJSON.int(partial || quirks.contains(.noUserID) ? 0 : m.ownerID)),
            ("archived", .bool(partial ? false : m.archived)), ("notes", .string(m.notes)),
        ])
    }

    /// §26.3 rows 1–4, for PostModel and a PatchModel rename.
    static func checkModelName(_ name: String) throws(GatewayError) {
        if name.unicodeScalars.allSatisfy({ $0 == " " }) { throw GatewayError(.invalidArgument, "model names cannot be blank") }
        if name.contains("  ") { throw GatewayError(.invalidArgument, "model names cannot have excessive spacing") }
        if name.contains("/") || name.contains("\\") { throw GatewayError(.invalidArgument, "model names cannot have slashes") }
        if name.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            throw GatewayError(.invalidArgument, "model names cannot be only numbers")
        }
    }

    /// A `repeated string` body field; a non-string is jsonpb's error.
    static func strings(_ body: JSONValue, _ key: String) throws(GatewayError) -> [String] {
        guard let v = body[key], !v.isNull else { return [] }
        guard let list = v.arrayValue else {
            throw GatewayError(.invalidArgument, "json: cannot unmarshal \(v.typeName) into Go value of type []string")
        }
        var out: [String] = []
        for item in list {
            guard let s = item.stringValue else {
                throw GatewayError(.invalidArgument, "json: cannot unmarshal \(item.typeName) into Go value of type string")
            }
            out.append(s)
        }
        return out
    }

    /// A `google.protobuf.ListValue` of labels: non-strings and repeats dropped, order kept.
    static func labelList(_ v: JSONValue) throws(GatewayError) -> [String] {
        guard let list = v.arrayValue else {
            throw GatewayError(.invalidArgument, "json: cannot unmarshal \(v.typeName) into Go value of type []interface {}")
        }
        var out: [String] = []
        for s in list.compactMap(\.stringValue) where !out.contains(s) { out.append(s) }
        return out
    }

    /// A `google.protobuf.Struct` field: an object, or `{}` when null or absent.
    static func structField(_ body: JSONValue, _ key: String) throws(GatewayError) -> JSONValue? {
        guard let v = body[key] else { return nil }
        if v.isNull { return .object(JSONObject()) }
        guard case .object = v else {
            throw GatewayError(.invalidArgument, "json: cannot unmarshal \(v.typeName) into Go value of type map[string]json.RawMessage")
        }
        return v
    }

    static let modelSorts = [
        "SORT_BY_UNSPECIFIED", "SORT_BY_NAME", "SORT_BY_DESCRIPTION", "", "SORT_BY_CREATION_TIME", "SORT_BY_LAST_UPDATED_TIME",
        "SORT_BY_NUM_VERSIONS", "SORT_BY_WORKSPACE",
    ]

    /// GetModels: filtered by name, archived, labels (any), users, workspaceIds; sorted; api.Paginate.
    func models(_ q: QueryParameters) throws(GatewayError) -> JSONValue {
        let sortBy = try q.enumValue("sortBy", cases: Self.modelSorts, typeName: "apiv1.GetModelsRequest_SortBy") ?? "SORT_BY_UNSPECIFIED"
        let descending = try q.enumValue("orderBy", cases: Self.orderNames, typeName: "apiv1.OrderBy") == "ORDER_BY_DESC"
        let archived = try q.boolValue("archived")
        let labels = Set(q.all("labels"))
        let users = Set(q.all("users"))
        let workspaces = Set(try q.int32s("workspaceIds"))
        let name = q.first("name")?.lowercased()
        var rows = state.models.map { modelJSON($0) }.filter { m in
            (archived == nil || m["archived"]?.boolValue == archived)
                && (labels.isEmpty || !labels.isDisjoint(with: (m["labels"]?.arrayValue ?? []).compactMap(\.stringValue)))
                && (users.isEmpty || users.contains(m["username"]?.stringValue ?? ""))
                && (workspaces.isEmpty || workspaces.contains(m["workspaceId"]?.intValue ?? 0))
                && (name.map { (m["name"]?.stringValue ?? "").lowercased().contains($0) } ?? true)
        }
        let key: String? = [
            "SORT_BY_NAME": "name", "SORT_BY_DESCRIPTION": "description", "SORT_BY_CREATION_TIME": "creationTime",
            "SORT_BY_LAST_UPDATED_TIME": "lastUpdatedTime", "SORT_BY_NUM_VERSIONS": "numVersions", "SORT_BY_WORKSPACE": "workspaceId",
        ][sortBy]
        rows.sort { a, b in
            let (x, y) = (a[key ?? "id"].map(JSONWriter().string) ?? "", b[key ?? "id"].map(JSONWriter().string) ?? "")
            let (ia, ib) = (a["id"]?.intValue ?? 0, b["id"]?.intValue ?? 0)
            if key == nil || key == "numVersions" || key == "workspaceId" {
                let (na, nb) = (a[key ?? "id"]?.intValue ?? 0, b[key ?? "id"]?.intValue ?? 0)
                return descending ? (na, ib) > (nb, ia) : (na, ia) < (nb, ib)
            }
            return descending ? (x, ia) > (y, ib) : (x, ia) < (y, ib)
        }
        let (page, pagination) = try Self.paginate(rows, offset: try q.int32("offset") ?? 0, limit: try q.int32("limit") ?? 0)
        return MockJSON.object([("models", .array(page)), ("pagination", pagination)])
    }

    /// GetModel by name or id.
    func model(_ segment: String) throws(GatewayError) -> JSONValue {
        MockJSON.object([("model", modelJSON(state.models[try modelIndex(segment)]))])
    }

    /// PostModel (§26.3): the name rules, the workspace by id or name (default 1), a 409 for a taken name; the
    /// answer's `userId` is 0.
    func postModel(caller: MockUser, body: JSONValue) throws(GatewayError) -> JSONValue {
        let name = try MockGateway.string(body, "name")
        try Self.checkModelName(name)
        let workspaceID = try MockGateway.int(body, "workspaceId", "workspace_id")
        let workspaceName = try MockGateway.string(body, "workspaceName")
        var workspace = 1
        if workspaceID != 0 {
            workspace = workspaceID
        } else if !workspaceName.isEmpty {
            guard let w = state.workspaces.first(where: { $0.name == workspaceName }) else {
                throw GatewayError(.internalError, "failed to get workspace \(workspaceName): not found")
            }
            workspace = w.id
        }
        let labels = try Self.strings(body, "labels").flatMap {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let metadata = try Self.structField(body, "metadata") ?? .object(JSONObject())
        let description = try MockGateway.string(body, "description")
        let notes = try MockGateway.string(body, "notes")
        guard !state.models.contains(where: { $0.name == name }) else {
            throw GatewayError(.alreadyExists, "avoid names equal to other models (case-sensitive)")
        }
        guard state.workspaces.contains(where: { $0.id == workspace }) else {
            throw GatewayError(
                .internalError,
                "error creating model \(Self.goQuoted(name)) in database: ERROR: insert or update on table \"models\" violates foreign key constraint \"models_workspace_id_fkey\" (SQLSTATE 23503)"
            )
        }
        let now = clock.now()
        let m = MockModel(
            id: (state.models.map(\.id).max() ?? 0) + 1, name: name, description: description, metadata: StoredJSON(metadata),
            labels: labels, notes: notes, ownerID: caller.id, workspaceID: workspace, archived: false, created: now, updated: now)
        state.models.append(m)
        persist()
        return MockJSON.object([("model", modelJSON(m, .noUserID))])
    }

    /// PatchModel (§26.4): any user; an archived model refuses; a changed model is answered from the partial row.
    func patchModel(caller: MockUser, segment: String, body: JSONValue) throws(GatewayError) -> JSONValue {
        let i = try modelIndex(segment)
        var m = state.models[i]
        if m.archived {
            throw GatewayError(.internalError, "model \(Self.goQuoted(m.name)) is archived and cannot have attributes updated")
        }
        var changed = false
        if let v = body["name"], !v.isNull {
            let name = try MockGateway.string(body, "name")
            if name != m.name {
                try Self.checkModelName(name)
                guard !state.models.contains(where: { $0.name == name }) else {
                    throw GatewayError(.alreadyExists, "avoid names equal to other models (case-sensitive)")
                }
                m.name = name
                changed = true
            }
        }
        for key in ["description", "notes"] {
            guard let v = body[key], !v.isNull else { continue }
            let text = try MockGateway.string(body, key)
            let current = key == "description" ? m.description : m.notes
            guard text != current else { continue }
            if key == "description" { m.description = text } else { m.notes = text }
            changed = true
        }
        if body["metadata"]?.isNull == false, let metadata = try Self.structField(body, "metadata"), metadata != m.metadata.value {
            m.metadata = StoredJSON(metadata)
            changed = true
        }
        if let v = body["labels"], !v.isNull {
            let labels = try Self.labelList(v)
            if labels != m.labels {
                m.labels = labels
                changed = true
            }
        }
        let workspaceName = try MockGateway.string(body, "workspaceName")
        if !workspaceName.isEmpty {
            guard let w = state.workspaces.first(where: { $0.name == workspaceName }) else {
                throw GatewayError(.internalError, "failed to get workspace \(workspaceName): not found")
            }
            if w.id != m.workspaceID {
                m.workspaceID = w.id
                changed = true
            }
        }
        let workspaceID = try MockGateway.int(body, "workspaceId", "workspace_id")
        if workspaceID != 0 {
            throw GatewayError(.internalError, "failed to get workspace with id \(workspaceID): expected 2 arguments, got 1")
        }
        guard changed else { return MockJSON.object([("model", modelJSON(m))]) }
        m.updated = clock.now()
        state.models[i] = m
        persist()
        return MockJSON.object([("model", modelJSON(m, .partialRow))])
    }

    /// ArchiveModel / UnarchiveModel (§26.5): `{}` even when already in that state.
    func archiveModel(segment: String, _ archived: Bool) throws(GatewayError) {
        let i = try modelIndex(segment)
        state.models[i].archived = archived
        state.models[i].updated = clock.now()
        persist()
    }

    /// MoveModel (§26.5): an unknown destination is the foreign key's 500.
    func moveModel(segment: String, body: JSONValue) throws(GatewayError) {
        let i = try modelIndex(segment)
        let destination = try MockGateway.int(body, "destinationWorkspaceId", "destination_workspace_id")
        guard state.workspaces.contains(where: { $0.id == destination }) else {
            throw GatewayError(
                .internalError,
                "error moving a model (\(state.models[i].name)): error running query: move_model: ERROR: insert or update on table \"models\" violates foreign key constraint \"models_workspace_id_fkey\" (SQLSTATE 23503)"
            )
        }
        state.models[i].workspaceID = destination
        state.models[i].updated = clock.now()
        persist()
    }

    /// DeleteModel (§26.5): its owner or an admin; the versions go with it, the checkpoints stay.
    func deleteModel(caller: MockUser, segment: String) throws(GatewayError) {
        let i = try modelIndex(segment)
        let m = state.models[i]
        guard caller.admin || caller.id == m.ownerID else {
            throw GatewayError(.permissionDenied, "non-admin users may not delete other users' models access denied")
        }
        state.models.remove(at: i)
        state.modelVersions.removeAll { $0.modelID == m.id }
        persist()
    }

    /// GetModelLabels (§26.5): distinct labels, most used first, then alphabetical.
    func modelLabels(_ q: QueryParameters) throws(GatewayError) -> JSONValue {
        let workspace = try q.int32("workspaceId") ?? 0
        var counts: [String: Int] = [:]
        for m in state.models where workspace <= 0 || m.workspaceID == workspace {
            for label in Set(m.labels) { counts[label, default: 0] += 1 }
        }
        let ordered = counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { JSONValue.string($0.key) }
        return MockJSON.object([("labels", .array(ordered))])
    }
}
