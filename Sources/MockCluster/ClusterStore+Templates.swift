import Foundation
import JSON

/// Experiment-config templates (reference part 4 §27): open to every user, keyed by a case-sensitive name, with
/// the master's mix of 404s and bare `not found` 500s.
extension ClusterStore {
    static func templateJSON(name: String, config: JSONValue, workspaceID: Int) -> JSONValue {
        MockJSON.object([("name", .string(name)), ("config", config), ("workspaceId", MockJSON.int(workspaceID))])
    }

    static func templateJSON(_ t: MockTemplate) -> JSONValue {
        templateJSON(name: t.name, config: t.config.value, workspaceID: t.workspaceID)
    }

    /// The master's bare sentinel for a template it cannot find on the write paths.
    static let templateSentinel = GatewayError(.internalError, "not found")

    static let templateSorts = ["SORT_BY_UNSPECIFIED", "SORT_BY_NAME"]

    /// GetTemplates: `name` a case-insensitive substring, `workspaceIds`, always by name; bun's paging (limit 0 is
    /// 100 rows, -1 all; an offset past the end an empty page).
    func templates(_ q: QueryParameters) throws(GatewayError) -> JSONValue {
        _ = try q.enumValue("sortBy", cases: Self.templateSorts, typeName: "apiv1.GetTemplatesRequest_SortBy")
        let descending = try q.enumValue("orderBy", cases: Self.orderNames, typeName: "apiv1.OrderBy") == "ORDER_BY_DESC"
        let name = q.first("name")?.lowercased() ?? ""
        let workspaces = Set(try q.int32s("workspaceIds"))
        var rows = state.templates.filter { t in
            (name.isEmpty || t.name.lowercased().contains(name)) && (workspaces.isEmpty || workspaces.contains(t.workspaceID))
        }
        rows.sort { $0.name < $1.name }
        if descending { rows.reverse() }
        let offset = try q.int32("offset") ?? 0
        let limit = try q.int32("limit") ?? 0
        let total = rows.count
        let start = offset < 0 ? max(0, total + offset) : min(offset, total)
        let end = limit == -1 ? total : min(total, start + (limit == 0 ? 100 : max(0, limit)))
        return MockJSON.object([
            ("templates", .array(rows[start..<end].map(Self.templateJSON))),
            ("pagination", MockJSON.pagination(offset: offset, limit: limit, start: start, end: end, total: total)),
        ])
    }

    /// GetTemplate: 404 for an unknown name.
    func template(name: String) throws(GatewayError) -> JSONValue {
        guard let t = state.templates.first(where: { $0.name == name }) else {
            throw GatewayError(.notFound, "template '\(name)' not found")
        }
        return MockJSON.object([("template", Self.templateJSON(t))])
    }

    /// The workspace a template write names: 0 is workspace 1; unknown or archived is 404.
    private func templateWorkspace(_ id: Int) throws(GatewayError) -> Int {
        let id = id == 0 ? 1 : id
        guard state.workspaces.contains(where: { $0.id == id && !$0.archived }) else { throw .notFound("workspace", id) }
        return id
    }

    /// PostTemplate (and PutTemplate of a new name): the path's name wins over the body's.
    func postTemplate(name: String, body: JSONValue) throws(GatewayError) -> JSONValue {
        let workspace = try templateWorkspace(try MockGateway.int(body, "workspaceId", "workspace_id"))
        let config = try Self.structField(body, "config") ?? .object(JSONObject())
        guard !state.templates.contains(where: { $0.name == name }) else {
            throw GatewayError(
                .internalError,
                "failed to create template \(name): ERROR: duplicate key value violates unique constraint \"templates_pkey\" (SQLSTATE 23505)"
            )
        }
        let t = MockTemplate(name: name, config: StoredJSON(config), workspaceID: workspace)
        state.templates.append(t)
        persist()
        return MockJSON.object([("template", Self.templateJSON(t))])
    }

    /// PutTemplate: an upsert; a new template is answered with the request echoed (workspace 0 when none was sent).
    func putTemplate(name: String, body: JSONValue) throws(GatewayError) -> JSONValue {
        guard let i = state.templates.firstIndex(where: { $0.name == name }) else {
            _ = try postTemplate(name: name, body: body)
            return MockJSON.object([
                (
                    "template",
                    Self.templateJSON(
                        name: name, config: try Self.structField(body, "config") ?? .null,
                        workspaceID: try MockGateway.int(body, "workspaceId", "workspace_id"))
                )
            ])
        }
        let config = body["config"]?.isNull == false ? try Self.structField(body, "config") : nil
        let workspaceID = try MockGateway.int(body, "workspaceId", "workspace_id")
        guard config != nil || workspaceID != 0 else {
            throw GatewayError(
                .internalError, "failed to update template \(name): ERROR: syntax error at or near \"WHERE\" (SQLSTATE 42601)")
        }
        if workspaceID != 0 { state.templates[i].workspaceID = try templateWorkspace(workspaceID) }
        if let config { state.templates[i].config = StoredJSON(config) }
        persist()
        return MockJSON.object([("template", Self.templateJSON(state.templates[i]))])
    }

    /// PatchTemplateConfig: the body is the whole new config; an unknown name is the bare `not found` 500.
    func patchTemplateConfig(name: String, body: JSONValue) throws(GatewayError) -> JSONValue {
        guard let i = state.templates.firstIndex(where: { $0.name == name }) else { throw Self.templateSentinel }
        state.templates[i].config = StoredJSON(body)
        persist()
        return MockJSON.object([("template", Self.templateJSON(state.templates[i]))])
    }

    /// PatchTemplateName: `{oldName, newName}`.
    func renameTemplate(body: JSONValue) throws(GatewayError) -> JSONValue {
        let old = try MockGateway.string(body, "oldName")
        let new = try MockGateway.string(body, "newName")
        guard let i = state.templates.firstIndex(where: { $0.name == old }) else { throw Self.templateSentinel }
        guard new == old || !state.templates.contains(where: { $0.name == new }) else {
            throw GatewayError(
                .internalError,
                "failed to rename template \(old): ERROR: duplicate key value violates unique constraint \"templates_pkey\" (SQLSTATE 23505)"
            )
        }
        state.templates[i].name = new
        persist()
        return MockJSON.object([("template", Self.templateJSON(state.templates[i]))])
    }

    /// DeleteTemplate: an unknown name is the bare `not found` 500.
    func deleteTemplate(name: String) throws(GatewayError) {
        guard let i = state.templates.firstIndex(where: { $0.name == name }) else { throw Self.templateSentinel }
        state.templates.remove(at: i)
        persist()
    }
}
