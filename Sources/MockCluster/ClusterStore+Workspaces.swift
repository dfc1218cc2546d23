import Foundation
import JSON

/// Workspace and project writes and moving experiments (reference §22–§24), with the real master's checks in
/// its order, its texts and its status codes (many failures are 500s).
extension ClusterStore {
    func workspaceIndex(_ id: Int) throws(GatewayError) -> Int {
        guard let i = state.workspaces.firstIndex(where: { $0.id == id }) else { throw .notFound("workspace", id) }
        return i
    }

    func projectIndex(_ id: Int) throws(GatewayError) -> Int {
        advance()
        guard let i = state.projects.firstIndex(where: { $0.id == id }) else { throw .notFound("project", id) }
        return i
    }

    /// `validateWorkspaceName` (§22.2 rows 1–3).
    private static func checkWorkspaceName(_ name: String) throws(GatewayError) {
        if name.isEmpty { throw GatewayError(.invalidArgument, "name '' must be at least 1 character long") }
        if name.utf8.count > 80 { throw GatewayError(.invalidArgument, "name '\(name)' must be at most 53 character long") }
        if name.allSatisfy(\.isWhitespace) { throw GatewayError(.invalidArgument, "name must contain at least non-whitespace letter") }
    }

    private func owns(_ caller: MockUser, workspace w: MockWorkspace) -> Bool { caller.admin || w.ownerID == caller.id }

    func postWorkspace(caller: MockUser, body: JSONValue) throws(GatewayError) -> JSONValue {
        let name = try MockGateway.string(body, "name")
        try Self.checkWorkspaceName(name)
        if let group = body["agentUserGroup"] ?? body["agent_user_group"], !group.isNull, !caller.admin {
            throw GatewayError(.permissionDenied, "only admin privileged users can set workspace agent user groups")
        }
        guard !state.workspaces.contains(where: { $0.name == name }) else {
            throw GatewayError(.alreadyExists, "avoid names equal to other workspaces (case-insensitive)")
        }
        let now = clock.now()
        let w = MockWorkspace(
            id: (state.workspaces.map(\.id).max() ?? 1) + 1, name: name, archived: false, ownerID: caller.id, immutable: false,
            pins: [WorkspacePin(userID: caller.id, at: now)])
        state.workspaces.append(w)
        persist()
        return MockJSON.object([
            ("workspace", MockJSON.workspace(w, store: state, caller: caller.id, showsPinnedAt: false)),
            ("namespaceBindings", .object(JSONObject())),
        ])
    }

    func patchWorkspace(caller: MockUser, id: Int, body: JSONValue) throws(GatewayError) -> JSONValue {
        let i = try workspaceIndex(id)
        let w = state.workspaces[i]
        if w.immutable { throw GatewayError(.internalError, "workspace (\(id)) is immutable and cannot add new projects") }
        if w.archived { throw GatewayError(.internalError, "workspace (\(id)) is archived and cannot add new projects") }
        var changed = false
        if let v = body["name"], !v.isNull {
            let name = try MockGateway.string(body, "name")
            try Self.checkWorkspaceName(name)
            if name != w.name {
                guard owns(caller, workspace: w) else {
                    throw GatewayError(.permissionDenied, "only admins may set other user's workspaces names")
                }
                guard !state.workspaces.contains(where: { $0.name == name }) else {
                    throw GatewayError(.alreadyExists, "avoid names equal to other workspaces (case-insensitive)")
                }
                state.workspaces[i].name = name
                changed = true
            }
        }
        if let group = body["agentUserGroup"] ?? body["agent_user_group"], !group.isNull, !caller.admin {
            throw GatewayError(.permissionDenied, "only admin privileged users can set workspace agent user groups")
        }
        if changed { persist() }
        return MockJSON.object([
            ("workspace", MockJSON.workspace(state.workspaces[i], store: state, caller: caller.id)),
            ("namespaceBindings", .object(JSONObject())),
        ])
    }

    func archiveWorkspace(caller: MockUser, id: Int, _ archive: Bool) throws(GatewayError) {
        let i = try workspaceIndex(id)
        let verb = archive ? "archive" : "unarchive"
        guard owns(caller, workspace: state.workspaces[i]) else {
            throw GatewayError(.permissionDenied, "only admins may \(verb) other user's workspaces")
        }
        if state.workspaces[i].immutable { throw GatewayError(.internalError, "error \(verb)ing workspace (\(id)): not found") }
        state.workspaces[i].archived = archive
        persist()
    }

    func pinWorkspace(caller: MockUser, id: Int, _ pin: Bool) throws(GatewayError) {
        let i = try workspaceIndex(id)
        var pins = state.workspaces[i].pins ?? []
        let has = pins.contains { $0.userID == caller.id }
        if pin && has {
            throw GatewayError(
                .internalError,
                "error pinning workspace (\(id)): error running query: pin_workspace: ERROR: duplicate key value violates unique constraint \"workspace_pins_user_id_workspace_id_key\" (SQLSTATE 23505)"
            )
        }
        if !pin && !has { throw GatewayError(.internalError, "error un-pinning workspace (\(id)): not found") }
        if pin { pins.append(WorkspacePin(userID: caller.id, at: clock.now())) } else { pins.removeAll { $0.userID == caller.id } }
        state.workspaces[i].pins = pins
        persist()
    }

    /// DeleteWorkspace (§22.7): the work is done inside the request (its projects and their experiments go);
    /// `completed` is true only when it had no projects.
    func deleteWorkspace(caller: MockUser, id: Int) throws(GatewayError) -> JSONValue {
        let i = try workspaceIndex(id)
        guard owns(caller, workspace: state.workspaces[i]) else {
            throw GatewayError(.permissionDenied, "only admins may delete other user's workspaces")
        }
        if state.models.contains(where: { $0.workspaceID == id }) {
            throw GatewayError(.failedPrecondition, "workspace (\(id)) contains models; move or delete models first")
        }
        if state.workspaces[i].immutable {
            throw GatewayError(.internalError, "workspace (\(id)) does not exist or not deletable by this user: not found")
        }
        let projects = Set(state.projects.filter { $0.workspaceID == id }.map(\.id))
        state.experiments.removeAll { projects.contains($0.projectID) }
        state.projects.removeAll { projects.contains($0.id) }
        state.templates.removeAll { $0.workspaceID == id }
        if state.webhooks.contains(where: { $0.workspaceID == id }) {
            // The row's delete hits webhooks' foreign key: DELETE_FAILED, and still 200 (§22.7 step 5).
            state.workspaces[i].deleteError =
                "error running query: delete_workspace: ERROR: update or delete on table \"workspaces\" violates foreign key constraint \"webhooks_workspace_id_fkey\" on table \"webhooks\" (SQLSTATE 23503)"
        } else if !breakage.contains(.keepsDeletedWorkspaces) {
            state.workspaces.remove(at: i)
        }
        persist()
        return MockJSON.object([("completed", .bool(projects.isEmpty))])
    }

    /// PostProject (§23.2).
    func postProject(caller: MockUser, workspaceID: Int, body: JSONValue) throws(GatewayError) -> JSONValue {
        let w = state.workspaces[try workspaceIndex(workspaceID)]
        if w.immutable { throw GatewayError(.internalError, "workspace (\(w.id)) is immutable and cannot add new projects") }
        if w.archived { throw GatewayError(.internalError, "workspace (\(w.id)) is archived and cannot add new projects") }
        let name = try MockGateway.string(body, "name")
        let description = try MockGateway.string(body, "description")
        var key = try MockGateway.string(body, "key").uppercased()
        if body["key"].map({ !$0.isNull }) ?? false { try Self.checkProjectKey(key) }
        if state.projects.contains(where: { $0.workspaceID == w.id && $0.name == name }) {
            throw GatewayError(
                .alreadyExists,
                "error creating project \(name) in database: rpc error: code = AlreadyExists desc = error inserting project \(name) into database: project name \(name) is already in use: row already exists"
            )
        }
        if !key.isEmpty, state.projects.contains(where: { $0.key == key }) {
            throw GatewayError(
                .alreadyExists,
                "error creating project \(name) in database: rpc error: code = AlreadyExists desc = error inserting project \(name) into database: project key \(key) is already in use: row already exists"
            )
        }
        if name.isEmpty || name.utf8.count > 80 {
            throw GatewayError(
                .internalError, "error creating project \(name) in database: rpc error: code = Internal desc = internal server error")
        }
        let id = (state.projects.map(\.id).max() ?? 1) + 1
        if key.isEmpty { key = Self.generatedKey(name, id: id, taken: Set(state.projects.map(\.key))) }
        let p = MockProject(
            id: id, name: name, workspaceID: w.id, description: description, archived: false, ownerID: caller.id, immutable: false, key: key
        )
        state.projects.append(p)
        persist()
        // The inserted row: no workspaceName (§23.2).
        return MockJSON.object([("project", MockJSON.project(p, store: state, inList: true))])
    }

    /// `ValidateProjectKey` (§23.2 row 5), on the upper-cased key.
    static func checkProjectKey(_ key: String) throws(GatewayError) {
        if key.count > 5 { throw GatewayError(.invalidArgument, "project key cannot be longer than 5 characters") }
        if key.isEmpty { throw GatewayError(.invalidArgument, "project key cannot be empty") }
        if !key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            throw GatewayError(.invalidArgument, "project key can only contain alphanumeric characters: \(key)")
        }
    }

    /// The name's first ≤3 letters and digits, upper-cased, padded to 5 (deterministically here, by the id).
    static func generatedKey(_ name: String, id: Int, taken: Set<String>) -> String {
        let stem = String(name.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.uppercased().prefix(3))
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var n = id &* 7919
        var key = stem
        repeat {
            key = stem
            while key.count < 5 {
                key.append(alphabet[abs(n) % alphabet.count])
                n = n / alphabet.count + 13
            }
            n += 1
        } while taken.contains(key)
        return key
    }

    private func ownsProject(_ caller: MockUser, _ p: MockProject) -> Bool {
        caller.admin || p.ownerID == caller.id || state.workspaces.first { $0.id == p.workspaceID }?.ownerID == caller.id
    }

    private func workspaceArchived(_ p: MockProject) -> Bool { state.workspaces.first { $0.id == p.workspaceID }?.archived ?? false }

    /// PatchProject (§23.4): name, description, key; the owner quirk (only admins and workspace owners may).
    func patchProject(caller: MockUser, id: Int, body: JSONValue, empty: Bool) throws(GatewayError) -> JSONValue {
        if empty { throw GatewayError(.internalError, "project in request is nil while updating project") }
        if let v = body["key"], !v.isNull { try Self.checkProjectKey(try MockGateway.string(body, "key").uppercased()) }
        let i = try projectIndex(id)
        let p = state.projects[i]
        if p.archived || workspaceArchived(p) {
            throw GatewayError(.internalError, "project (\(id)) is archived and cannot have attributes updated")
        }
        if p.immutable { throw GatewayError(.internalError, "project (\(id)) is immutable and cannot have attributes updated") }
        // The permission row lacks user_id: only admins and the workspace's owner pass (§23.4 owner quirk).
        let allowed = caller.admin || state.workspaces.first { $0.id == p.workspaceID }?.ownerID == caller.id
        var next = p
        for (key, what) in [("name", "name"), ("description", "name"), ("key", "key")] {
            guard let v = body[key], !v.isNull else { continue }
            var value = try MockGateway.string(body, key)
            if key == "key" { value = value.uppercased() }
            let current = key == "name" ? p.name : key == "description" ? p.description : p.key
            guard value != current else { continue }
            guard allowed else {
                throw GatewayError(.permissionDenied, "can't set project \(what): non admin users need to own the project or workspace")
            }
            switch key {
            case "name": next.name = value
            case "description": next.description = value
            default: next.key = value
            }
        }
        if next.key != p.key, state.projects.contains(where: { $0.id != id && $0.key == next.key }) {
            throw GatewayError(.alreadyExists, "project key \(next.key) is already in use")
        }
        if next.name != p.name, state.projects.contains(where: { $0.id != id && $0.workspaceID == p.workspaceID && $0.name == next.name }) {
            throw GatewayError(.internalError, "error updating project \(next.name): row already exists")
        }
        state.projects[i] = next
        persist()
        return MockJSON.object([("project", MockJSON.project(next, store: state, inList: false))])
    }

    func archiveProject(caller: MockUser, id: Int, _ archive: Bool) throws(GatewayError) {
        let i = try projectIndex(id)
        let p = state.projects[i]
        let verb = archive ? "archive" : "unarchive"
        guard ownsProject(caller, p) else {
            throw GatewayError(.permissionDenied, "can't \(verb) project: non admin users need to own the project or workspace")
        }
        if workspaceArchived(p) {
            throw GatewayError(
                .internalError, "This project belongs to an archived workspace. To make changes, first unarchive the workspace.")
        }
        if p.immutable { throw GatewayError(.internalError, "error \(verb)ing project (\(id)): not found") }
        state.projects[i].archived = archive
        persist()
    }

    /// DeleteProject (§23.6): a project without experiments goes at once (`completed: true`); one with experiments
    /// answers `completed: false` and goes, with them, after the transition delay (GetProject meanwhile answers
    /// 200, the list shows it DELETING).
    func deleteProject(caller: MockUser, id: Int) throws(GatewayError) -> JSONValue {
        let i = try projectIndex(id)
        let p = state.projects[i]
        guard ownsProject(caller, p) else {
            throw GatewayError(.permissionDenied, "can't delete project: non admin users need to own the project or workspace")
        }
        if p.immutable { throw GatewayError(.internalError, "project (\(id)) does not exist or not deletable by this user: not found") }
        let hasExperiments = state.experiments.contains { $0.projectID == id }
        if hasExperiments {
            state.projects[i].deleteDue = clock.now().addingTimeInterval(transitionDelay)
        } else {
            state.projects.remove(at: i)
        }
        persist()
        return MockJSON.object([("completed", .bool(!hasExperiments))])
    }

    /// Project deletes whose time has come: the project and its experiments go.
    func advanceProjectDeletes(_ now: Date) -> Bool {
        let due = Set(state.projects.filter { $0.deleteDue.map { $0 <= now } ?? false }.map(\.id))
        guard !due.isEmpty else { return false }
        state.experiments.removeAll { due.contains($0.projectID) }
        state.projects.removeAll { due.contains($0.id) }
        return true
    }

    /// MoveProject (§23.7).
    func moveProject(caller: MockUser, id: Int, body: JSONValue) throws(GatewayError) {
        let i = try projectIndex(id)
        let destination = try MockGateway.int(body, "destinationWorkspaceId", "destination_workspace_id")
        let w = state.workspaces[try workspaceIndex(destination)]
        if w.immutable { throw GatewayError(.internalError, "workspace (\(w.id)) is immutable and cannot add new projects") }
        if w.archived { throw GatewayError(.internalError, "workspace (\(w.id)) is archived and cannot add new projects") }
        let p = state.projects[i]
        guard caller.admin || p.ownerID == caller.id else {
            throw GatewayError(.permissionDenied, "non admin users can't move projects that someone else owns")
        }
        if state.projects.contains(where: { $0.workspaceID == w.id && $0.name == p.name }) {
            throw GatewayError(.internalError, "project with name '\(p.name)' already exists in target workspace")
        }
        if p.immutable || p.archived || workspaceArchived(p) || (state.workspaces.first { $0.id == p.workspaceID }?.immutable ?? false) {
            throw GatewayError(.internalError, "error moving project (\(id)): not found")
        }
        state.projects[i].workspaceID = w.id
        persist()
    }

    /// Whether a project reads as archived (its own flag, or its workspace's).
    private func projectArchived(_ id: Int) -> Bool {
        guard let p = state.projects.first(where: { $0.id == id }) else { return false }
        return p.archived || workspaceArchived(p)
    }

    /// MoveExperiment (§24.1): checks in the master's order; any user may move any experiment.
    func moveExperiment(id: Int, body: JSONValue) throws(GatewayError) {
        advance()
        guard let i = state.experiments.firstIndex(where: { $0.id == id }) else { throw .notFound("experiment", id) }
        let e = state.experiments[i]
        if e.archived { throw GatewayError(.internalError, "experiment (\(id)) is archived and cannot be moved") }
        if projectArchived(e.projectID) {
            throw GatewayError(.internalError, "project (\(e.projectID)) is archived and cannot have experiments moved from it")
        }
        let destination = try MockGateway.int(body, "destinationProjectId", "destination_project_id")
        guard state.projects.contains(where: { $0.id == destination }) else { throw .notFound("project", destination) }
        if projectArchived(destination) {
            throw GatewayError(.internalError, "project (\(destination)) is archived and cannot add new experiments")
        }
        state.experiments[i].projectID = destination
        persist()
    }

    /// MoveExperiments (§24.2): always 200 with a result per id (archived first, then not found, then moved).
    func moveExperiments(projectID: Int, body: JSONValue) throws(GatewayError) -> JSONValue {
        advance()
        let destination = try MockGateway.int(body, "destinationProjectId", "destination_project_id")
        guard state.projects.contains(where: { $0.id == destination }) else { throw .notFound("project", destination) }
        if projectArchived(destination) {
            throw GatewayError(.internalError, "project (\(destination)) is archived and cannot add new experiments")
        }
        let ids = try MockGateway.ints(body, "experimentIds", "experiment_ids")
        let candidates = state.experiments.filter { $0.projectID == projectID && ids.contains($0.id) }
        var archived: [JSONValue] = []
        var moved: [JSONValue] = []
        for e in candidates {
            if e.archived || projectArchived(e.projectID) {
                archived.append(
                    MockJSON.object([
                        ("error", "rpc error: code = FailedPrecondition desc = Experiment is archived."), ("id", MockJSON.int(e.id)),
                    ]))
            } else if let i = state.experiments.firstIndex(where: { $0.id == e.id }) {
                state.experiments[i].projectID = destination
                moved.append(MockJSON.object([("error", ""), ("id", MockJSON.int(e.id))]))
            }
        }
        let found = Set(candidates.map(\.id))
        let missing = ids.filter { !found.contains($0) }.map {
            MockJSON.object([
                ("error", .string("rpc error: code = NotFound desc = experiment '\($0)' not found")), ("id", MockJSON.int($0)),
            ])
        }
        if !moved.isEmpty { persist() }
        return MockJSON.object([("results", .array(archived + missing + moved))])
    }
}
