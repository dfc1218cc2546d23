import Foundation
import JSON

/// Renders mock rows as a master's gateway does (reference §8): every field in proto order, `null` for
/// unset messages, int64 as strings, enum names, RFC 3339 UTC timestamps.
enum MockJSON {
    static func object(_ pairs: [(String, JSONValue)]) -> JSONValue {
        .object(JSONObject(writeOnly: pairs.map { JSONObject.Member(key: $0.0, value: $0.1) }))
    }

    static func int(_ v: Int) -> JSONValue { .number(JSONNumber(v)) }
    static func time(_ d: Date?) -> JSONValue { d.map { .string(Timestamp.string($0)) } ?? .null }

    static func user(_ u: MockUser) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("id", int(u.id)), ("username", .string(u.username)), ("admin", .bool(u.admin)), ("active", .bool(u.active)),
            ("agentUserGroup", .null), ("displayName", .string(u.displayName)), ("modifiedAt", time(u.modifiedAt)),
            ("remote", .bool(u.remote ?? false)),
        ]
        if let last = u.lastAuthAt { pairs.append(("lastAuthAt", time(last))) }
        return object(pairs)
    }

    /// The API state: DB ACTIVE is enriched to QUEUED/RUNNING (never STATE_ACTIVE).
    static func apiState(_ e: MockExperiment) -> String {
        if e.state == "ACTIVE" { return e.id % 2 == 0 ? "STATE_QUEUED" : "STATE_RUNNING" }
        return "STATE_" + e.state
    }

    static func config(_ e: MockExperiment) -> JSONValue {
        object([
            ("name", .string(e.name)), ("description", .string(e.description)),
            ("labels", .array(e.labels.map(JSONValue.string))), ("entrypoint", "model_def:Trial"),
            ("searcher", object([("name", .string(e.searcherType)), ("metric", .string(e.searcherMetric)), ("smaller_is_better", true)])),
            ("resources", object([("resource_pool", .string(e.resourcePool)), ("slots_per_trial", 1)])),
            ("hyperparameters", object([("learning_rate", object([("type", "const"), ("val", 0.01)]))])),
        ])
    }

    /// An experiment as GetExperiments (`list`) or GetExperiment (single) renders it (§4's table).
    static func experiment(_ e: MockExperiment, list: Bool, store: MockState, now: Date) -> JSONValue {
        let owner = store.users.first { $0.id == e.ownerID }
        let project = store.projects.first { $0.id == e.projectID }
        let workspace = project.flatMap { p in store.workspaces.first { $0.id == p.workspaceID } }
        var pairs: [(String, JSONValue)] = [
            ("id", int(e.id)), ("description", .string(e.description)), ("labels", .array(e.labels.map(JSONValue.string))),
            ("startTime", time(e.startTime)), ("endTime", time(e.endTime)), ("state", .string(apiState(e))),
            ("archived", .bool(e.archived)), ("numTrials", int(e.numTrials)),
            ("trialIds", list ? .array([]) : .array((0..<e.numTrials).map { int(e.id * 100 + $0) })),
            ("displayName", .string(list ? (owner.map { $0.displayName.isEmpty ? $0.username : $0.displayName } ?? "") : "")),
            ("userId", int(e.ownerID)), ("username", .string(owner?.username ?? "")), ("resourcePool", .string(e.resourcePool)),
            ("searcherType", .string(e.searcherType)), ("searcherMetric", .string(list ? e.searcherMetric : "")),
            ("hyperparameters", list ? object([("learning_rate", object([("type", "const"), ("val", 0.01)]))]) : .null),
            ("name", .string(e.name)), ("notes", .string(list && !e.notes.isEmpty ? "omitted" : e.notes)),
            ("jobId", .string(e.jobID)), ("forkedFrom", e.forkedFrom.map(int) ?? .null),
            ("progress", e.progress.map { .number(JSONNumber($0)) } ?? .null), ("projectId", int(e.projectID)),
            ("projectName", .string(project?.name ?? "")), ("workspaceId", int(workspace?.id ?? 0)),
            ("workspaceName", .string(workspace?.name ?? "")),
            ("parentArchived", .bool((workspace?.archived ?? false) || (project?.archived ?? false))),
            ("config", config(e)), ("originalConfig", .string(list ? "" : "name: \(e.name)\n")),
            ("projectOwnerId", int(project?.ownerID ?? 1)), ("checkpointSize", .string(String(e.checkpointSize))),
            ("checkpointCount", int(e.checkpointCount)), ("unmanaged", .bool(e.unmanaged)),
        ]
        if list {
            let end = e.endTime ?? now
            pairs.append(("duration", int(max(0, Int(end.timeIntervalSince(e.startTime))))))
        } else {
            pairs.append(("modelDefinitionSize", int(4096)))
        }
        return object(pairs)
    }

    /// A workspace as `caller` reads it: `pinned` and `pinnedAt` are the caller's own pin (§22.3); PostWorkspace's
    /// answer, built from the inserted row, has no `pinnedAt` (§22.2).
    static func workspace(_ w: MockWorkspace, store: MockState, caller: Int = 0, showsPinnedAt: Bool = true) -> JSONValue {
        let projects = store.projects.filter { $0.workspaceID == w.id }
        let ids = Set(projects.map(\.id))
        let pin = w.pins?.first { $0.userID == caller }
        var pairs: [(String, JSONValue)] = [
            ("id", int(w.id)), ("name", .string(w.name)), ("archived", .bool(w.archived)),
            ("username", .string(store.users.first { $0.id == w.ownerID }?.username ?? "")), ("immutable", .bool(w.immutable)),
            ("numProjects", int(projects.count)), ("pinned", .bool(pin != nil)), ("userId", int(w.ownerID)),
            ("numExperiments", int(store.experiments.filter { ids.contains($0.projectID) }.count)),
            ("state", .string(w.deleteError == nil ? "WORKSPACE_STATE_UNSPECIFIED" : "WORKSPACE_STATE_DELETE_FAILED")),
            ("errorMessage", .string(w.deleteError ?? "")), ("defaultComputePool", ""), ("defaultAuxPool", ""),
        ]
        if let pin, showsPinnedAt { pairs.insert(("pinnedAt", time(pin.at)), at: 7) }
        return object(pairs)
    }

    /// A project; `inList` is GetWorkspaceProjects' rendering (no `workspaceName`).
    static func project(_ p: MockProject, store: MockState, inList: Bool) -> JSONValue {
        let experiments = store.experiments.filter { $0.projectID == p.id }
        let workspace = store.workspaces.first { $0.id == p.workspaceID }
        return object([
            ("id", int(p.id)), ("name", .string(p.name)), ("workspaceId", int(p.workspaceID)), ("description", .string(p.description)),
            ("lastExperimentStartedAt", time(experiments.map(\.startTime).max())), ("notes", .array([])),
            ("numExperiments", int(experiments.count)), ("numActiveExperiments", int(experiments.filter { $0.state == "ACTIVE" }.count)),
            ("archived", .bool(p.archived || (workspace?.archived ?? false))),
            ("username", .string(store.users.first { $0.id == p.ownerID }?.username ?? "")), ("immutable", .bool(p.immutable)),
            ("userId", int(p.ownerID)), ("workspaceName", .string(inList ? "" : (workspace?.name ?? ""))),
            // GetProject always says UNSPECIFIED (the double-prefix bug, §23.3); the list shows a delete in progress.
            ("state", .string(inList && p.deleteDue != nil ? "WORKSPACE_STATE_DELETING" : "WORKSPACE_STATE_UNSPECIFIED")),
            ("errorMessage", ""), ("key", .string(p.key)), ("numRuns", 0),
        ])
    }

    /// A webhook in the master's field order, its triggers with their `webhookId`.
    static func webhook(_ w: MockWebhook) -> JSONValue {
        object([
            ("id", int(w.id)), ("url", .string(w.url)),
            (
                "triggers",
                .array(
                    w.triggers.map { t in
                        object([
                            ("id", int(t.id)), ("triggerType", .string(t.triggerType)), ("condition", t.condition.value),
                            ("webhookId", int(w.id)),
                        ])
                    })
            ),
            ("webhookType", .string(w.webhookType)), ("name", .string(w.name)), ("workspaceId", int(w.workspaceID)),
            ("mode", .string(w.mode)),
        ])
    }

    static func pagination(offset: Int, limit: Int, start: Int, end: Int, total: Int) -> JSONValue {
        object([("offset", int(offset)), ("limit", int(limit)), ("startIndex", int(start)), ("endIndex", int(end)), ("total", int(total))])
    }
}
