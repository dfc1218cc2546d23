import Foundation
import JSON

/// Users, workspaces and projects (reference §12–13), with their own pagination rule (`api.Paginate`).
extension ClusterStore {
    /// limit 0 means all; an offset outside [−total, total] is 400; a negative limit is the master's 500.
    static func paginate<T>(_ rows: [T], offset: Int, limit: Int) throws(GatewayError) -> (page: [T], pagination: JSONValue) {
        let total = rows.count
        let start = offset < 0 ? total + offset : offset
        var end = start + limit
        if limit == 0 || end > total { end = total }
        if start < 0 || start > total { throw GatewayError(.invalidArgument, "offset out of bounds") }
        if end < start { throw GatewayError(.internalError, "reflect.Value.Slice: slice index out of bounds") }
        return (Array(rows[start..<end]), MockJSON.pagination(offset: offset, limit: limit, start: start, end: end, total: total))
    }

    static let userSorts = [
        "SORT_BY_UNSPECIFIED", "SORT_BY_DISPLAY_NAME", "SORT_BY_USER_NAME", "SORT_BY_ADMIN", "SORT_BY_ACTIVE",
        "SORT_BY_MODIFIED_TIME", "SORT_BY_NAME", "SORT_BY_LAST_AUTH_TIME", "SORT_BY_REMOTE",
    ]

    func users(_ q: QueryParameters) throws(GatewayError) -> JSONValue {
        let sortBy = try q.enumValue("sortBy", cases: Self.userSorts, typeName: "apiv1.GetUsersRequest_SortBy") ?? "SORT_BY_UNSPECIFIED"
        let descending = try q.enumValue("orderBy", cases: Self.orderNames, typeName: "apiv1.OrderBy") == "ORDER_BY_DESC"
        let offset = try q.int32("offset") ?? 0
        let limit = try q.int32("limit") ?? 0
        let active = try q.goBool("active")
        let admin = try q.goBool("admin")
        if q.has("roleIdAssignedDirectlyToUser") {
            throw GatewayError(.invalidArgument, "cannot filter by role id. RBAC must be enabled.")
        }
        let name = q.first("name")?.lowercased()
        var rows = state.users.filter { u in
            if let active, u.active != active { return false }
            if let admin, u.admin != admin { return false }
            if let name, !name.isEmpty, !u.username.lowercased().contains(name), !u.displayName.lowercased().contains(name) { return false }
            return true
        }
        rows.sort { a, b in
            let (ka, kb): (String, String)
            switch sortBy {
            case "SORT_BY_DISPLAY_NAME": (ka, kb) = (a.displayName, b.displayName)
            case "SORT_BY_USER_NAME": (ka, kb) = (a.username, b.username)
            case "SORT_BY_NAME":
                (ka, kb) = (a.displayName.isEmpty ? a.username : a.displayName, b.displayName.isEmpty ? b.username : b.displayName)
            case "SORT_BY_ADMIN": (ka, kb) = (a.admin ? "1" : "0", b.admin ? "1" : "0")
            case "SORT_BY_ACTIVE": (ka, kb) = (a.active ? "1" : "0", b.active ? "1" : "0")
            default: (ka, kb) = ("", "")
            }
            if ka != kb { return descending ? ka > kb : ka < kb }
            return sortBy == "SORT_BY_UNSPECIFIED" && descending ? a.id > b.id : a.id < b.id
        }
        let (page, pagination) = try Self.paginate(rows, offset: offset, limit: limit)
        return MockJSON.object([("users", .array(page.map(MockJSON.user))), ("pagination", pagination)])
    }

    /// GetUserByUsername: `{user}`; an unknown name is 404 `user not found`.
    func userJSON(username: String) throws(GatewayError) -> JSONValue {
        guard let u = state.users.first(where: { $0.username == username }) else { throw GatewayError(.notFound, "user not found") }
        return MockJSON.object([("user", MockJSON.user(u))])
    }

    func userJSON(id: Int) throws(GatewayError) -> JSONValue {
        guard let u = user(id: id) else { throw GatewayError(.notFound, "user not found") }
        return MockJSON.object([("user", MockJSON.user(u))])
    }

    func workspaces(_ q: QueryParameters, caller: MockUser) throws(GatewayError) -> JSONValue {
        let sortBy =
            try q.enumValue(
                "sortBy", cases: ["SORT_BY_UNSPECIFIED", "SORT_BY_ID", "SORT_BY_NAME"], typeName: "apiv1.GetWorkspacesRequest_SortBy")
            ?? "SORT_BY_UNSPECIFIED"
        let descending = try q.enumValue("orderBy", cases: Self.orderNames, typeName: "apiv1.OrderBy") == "ORDER_BY_DESC"
        let offset = try q.int32("offset") ?? 0
        let limit = try q.int32("limit") ?? 0
        let archived = try q.boolValue("archived")
        let pinned = try q.boolValue("pinned")
        let userIDs = try q.int32s("userIds")
        let usernames = Set(q.all("users"))
        let name = q.first("name")?.lowercased()
        let exactName = q.first("nameCaseSensitive")
        var rows = state.workspaces.filter { w in
            if breakage.contains(.hidesNewWorkspaces) && w.id > 2 { return false }
            if let archived, w.archived != archived { return false }
            if let pinned, (w.pins?.contains { $0.userID == caller.id } ?? false) != pinned { return false }
            if let name, w.name.lowercased() != name { return false }
            if let exactName, w.name != exactName { return false }
            if !userIDs.isEmpty && !userIDs.contains(w.ownerID) { return false }
            if !usernames.isEmpty && !usernames.contains(user(id: w.ownerID)?.username ?? "") { return false }
            return true
        }
        rows.sort { a, b in
            if sortBy == "SORT_BY_NAME" && a.name != b.name { return descending ? a.name > b.name : a.name < b.name }
            return descending ? a.id > b.id : a.id < b.id
        }
        let (page, pagination) = try Self.paginate(rows, offset: offset, limit: limit)
        return MockJSON.object([
            ("workspaces", .array(page.map { MockJSON.workspace($0, store: state, caller: caller.id) })), ("pagination", pagination),
        ])
    }

    func workspaceJSON(id: Int, caller: MockUser) throws(GatewayError) -> JSONValue {
        guard let w = state.workspaces.first(where: { $0.id == id }) else { throw .notFound("workspace", id) }
        return MockJSON.object([("workspace", MockJSON.workspace(w, store: state, caller: caller.id))])
    }

    func workspaceProjects(id: Int, _ q: QueryParameters) throws(GatewayError) -> JSONValue {
        let sorts = [
            "SORT_BY_UNSPECIFIED", "SORT_BY_CREATION_TIME", "SORT_BY_LAST_EXPERIMENT_START_TIME", "SORT_BY_NAME", "SORT_BY_DESCRIPTION",
            "SORT_BY_ID",
        ]
        let sortBy = try q.enumValue("sortBy", cases: sorts, typeName: "apiv1.GetWorkspaceProjectsRequest_SortBy") ?? "SORT_BY_UNSPECIFIED"
        let descending = try q.enumValue("orderBy", cases: Self.orderNames, typeName: "apiv1.OrderBy") == "ORDER_BY_DESC"
        let offset = try q.int32("offset") ?? 0
        let limit = try q.int32("limit") ?? 0
        let archived = try q.boolValue("archived")
        let userIDs = try q.int32s("userIds")
        let name = q.first("name")?.lowercased()
        advance()
        if id != 0 && !state.workspaces.contains(where: { $0.id == id }) { throw .notFound("workspace", id) }
        var rows = state.projects.filter { p in
            if id != 0 && p.workspaceID != id { return false }
            if let archived, p.archived != archived { return false }
            if let name, p.name.lowercased() != name { return false }
            if !userIDs.isEmpty && !userIDs.contains(p.ownerID) { return false }
            return true
        }
        rows.sort { a, b in
            let (ka, kb): (String, String)
            switch sortBy {
            case "SORT_BY_NAME": (ka, kb) = (a.name, b.name)
            case "SORT_BY_DESCRIPTION": (ka, kb) = (a.description, b.description)
            default: (ka, kb) = ("", "")
            }
            if ka != kb { return descending ? ka > kb : ka < kb }
            return descending ? a.id > b.id : a.id < b.id
        }
        let (page, pagination) = try Self.paginate(rows, offset: offset, limit: limit)
        return MockJSON.object([
            ("projects", .array(page.map { MockJSON.project($0, store: state, inList: true) })), ("pagination", pagination),
        ])
    }

    func projectJSON(id: Int) throws(GatewayError) -> JSONValue {
        advance()
        guard let p = state.projects.first(where: { $0.id == id }) else { throw .notFound("project", id) }
        return MockJSON.object([("project", MockJSON.project(p, store: state, inList: false))])
    }
}
