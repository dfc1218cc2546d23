import Foundation
import JSON

/// GetExperiments, GetExperiment, archive/unarchive (single and bulk) and the lifecycle actions.
extension ClusterStore {
    static let stateNames = [
        "STATE_UNSPECIFIED", "STATE_ACTIVE", "STATE_PAUSED", "STATE_STOPPING_COMPLETED", "STATE_STOPPING_CANCELED",
        "STATE_STOPPING_ERROR", "STATE_COMPLETED", "STATE_CANCELED", "STATE_ERROR", "STATE_DELETED", "STATE_DELETING",
        "STATE_DELETE_FAILED", "STATE_STOPPING_KILLED", "STATE_QUEUED", "STATE_PULLING", "STATE_STARTING", "STATE_RUNNING",
    ]
    static let sortNames: [String] = {
        var names = [String](repeating: "", count: 18)
        for (i, n) in [
            (0, "SORT_BY_UNSPECIFIED"), (1, "SORT_BY_ID"), (2, "SORT_BY_DESCRIPTION"), (4, "SORT_BY_START_TIME"),
            (5, "SORT_BY_END_TIME"), (6, "SORT_BY_STATE"), (8, "SORT_BY_NUM_TRIALS"), (9, "SORT_BY_PROGRESS"), (10, "SORT_BY_USER"),
            (11, "SORT_BY_NAME"), (12, "SORT_BY_FORKED_FROM"), (13, "SORT_BY_RESOURCE_POOL"), (14, "SORT_BY_PROJECT_ID"),
            (15, "SORT_BY_CHECKPOINT_SIZE"), (16, "SORT_BY_CHECKPOINT_COUNT"), (17, "SORT_BY_SEARCHER_METRIC_VAL"),
        ] { names[i] = n }
        return names
    }()
    static let orderNames = ["ORDER_BY_UNSPECIFIED", "ORDER_BY_ASC", "ORDER_BY_DESC"]

    /// GetExperiments with every filter, sort and the pagination arithmetic of reference §4.
    func experiments(_ q: QueryParameters, now nowOverride: Date? = nil) throws(GatewayError) -> [UInt8] {
        let now = nowOverride ?? clock.now()
        advance(now)
        let sortBy =
            try q.enumValue("sortBy", cases: Self.sortNames, typeName: "apiv1.GetExperimentsRequest_SortBy") ?? "SORT_BY_UNSPECIFIED"
        let orderBy = try q.enumValue("orderBy", cases: Self.orderNames, typeName: "apiv1.OrderBy") ?? "ORDER_BY_UNSPECIFIED"
        let offset = try q.int32("offset") ?? 0
        let limit = try q.int32("limit") ?? 0
        let archived = try q.boolValue("archived")
        let states = try q.enumValues("states", cases: Self.stateNames, typeName: "experimentv1.State")
        let userIDs = try q.int32s("userIds")
        let projectID = try q.int32("projectId") ?? 0
        let lt = try q.int32("experimentIdFilter.lt"), lte = try q.int32("experimentIdFilter.lte")
        let gt = try q.int32("experimentIdFilter.gt"), gte = try q.int32("experimentIdFilter.gte")
        let incl = try q.int32s("experimentIdFilter.incl"), notIn = try q.int32s("experimentIdFilter.notIn")
        if projectID != 0 && !state.projects.contains(where: { $0.id == projectID }) {
            throw GatewayError(.notFound, "project '\(projectID)' not found")
        }
        let usernames = Set(q.all("users"))
        let labels = q.all("labels")
        let description = q.first("description")?.lowercased()
        let name = q.first("name")?.lowercased()
        // States match the DB column: STATE_RUNNING, QUEUED … never match (the master's FIXME DET-9567).
        let dbStates = Set(states.map { String($0.dropFirst("STATE_".count)) })

        let noFilter =
            archived == nil && dbStates.isEmpty && usernames.isEmpty && userIDs.isEmpty && projectID == 0 && labels.isEmpty
            && (description ?? "").isEmpty && (name ?? "").isEmpty && lt == nil && lte == nil && gt == nil && gte == nil && incl.isEmpty
            && notIn.isEmpty
        let defaultOrder = sortBy == "SORT_BY_UNSPECIFIED" || sortBy == "SORT_BY_ID"
        if noFilter && defaultOrder && orderBy != "ORDER_BY_DESC" {
            // The common case (a plain page) copies no rows.
            return page(state.experiments.indices.map { $0 }, offset: offset, limit: limit, now: now)
        }
        var rows = state.experiments.filter { e in
            if let archived {
                if e.archived != archived { return false }
                if !archived && projectID == 0 && parentArchived(e) { return false }
            }
            if !dbStates.isEmpty && !dbStates.contains(e.state) { return false }
            if !usernames.isEmpty && !usernames.contains(user(id: e.ownerID)?.username ?? "") { return false }
            if !userIDs.isEmpty && !userIDs.contains(e.ownerID) { return false }
            if projectID != 0 && e.projectID != projectID { return false }
            if !labels.allSatisfy({ e.labels.contains($0) }) { return false }
            if let description, !description.isEmpty, !e.description.lowercased().contains(description) { return false }
            if let name, !name.isEmpty, !e.name.lowercased().contains(name) { return false }
            if let lt, !(e.id < lt) { return false }
            if let lte, !(e.id <= lte) { return false }
            if let gt, !(e.id > gt) { return false }
            if let gte, !(e.id >= gte) { return false }
            if !incl.isEmpty && !incl.contains(e.id) { return false }
            if notIn.contains(e.id) { return false }
            return true
        }
        if defaultOrder {
            if orderBy == "ORDER_BY_DESC" { rows.reverse() }
        } else {
            sortExperiments(&rows, by: sortBy, descending: orderBy == "ORDER_BY_DESC")
        }
        var position: [Int: Int] = [:]
        for (i, e) in state.experiments.enumerated() { position[e.id] = i }
        return page(rows.map { position[$0.id]! }, offset: offset, limit: limit, now: now)
    }

    /// Slices rows (indices into `state.experiments`) as §4's arithmetic says and renders the page.
    private func page(_ rows: [Int], offset: Int, limit: Int, now: Date) -> [UInt8] {
        let total = rows.count
        let (start, end) = Self.pageInfoBounds(total: total, offset: offset, limit: limit)
        var out = Array(#"{"experiments":["#.utf8)
        if end > start {
            for (k, row) in rows[start..<end].enumerated() {
                if k > 0 { out.append(0x2C) }
                let id = state.experiments[row].id
                let second = state.experiments[row].endTime != nil ? -1 : Int(now.timeIntervalSince1970)
                if let cached = listCache[id], cached.second == second {
                    out.append(contentsOf: cached.bytes)
                    continue
                }
                let bytes = JSONWriter().bytes(MockJSON.experiment(state.experiments[row], list: true, store: state, now: now))
                listCache[id] = (second, bytes)
                out.append(contentsOf: bytes)
            }
        }
        out.append(contentsOf: Array(#"],"pagination":"#.utf8))
        out.append(contentsOf: JSONWriter().bytes(MockJSON.pagination(offset: offset, limit: limit, start: start, end: end, total: total)))
        out.append(0x7D)
        return out
    }

    private func parentArchived(_ e: MockExperiment) -> Bool {
        guard let p = state.projects.first(where: { $0.id == e.projectID }) else { return false }
        return p.archived || (state.workspaces.first { $0.id == p.workspaceID }?.archived ?? false)
    }

    private func sortExperiments(_ rows: inout [MockExperiment], by: String, descending: Bool) {
        func key(_ e: MockExperiment) -> String {
            switch by {
            case "SORT_BY_DESCRIPTION": return e.description
            case "SORT_BY_START_TIME": return String(format: "%020.6f", e.startTime.timeIntervalSince1970)
            case "SORT_BY_END_TIME": return e.endTime.map { String(format: "%020.6f", $0.timeIntervalSince1970) } ?? "~"
            case "SORT_BY_STATE": return e.state
            case "SORT_BY_NUM_TRIALS": return String(format: "%010d", e.numTrials)
            case "SORT_BY_PROGRESS": return e.progress.map { String(format: "%08.4f", $0) } ?? "~"
            case "SORT_BY_USER": return user(id: e.ownerID)?.username ?? ""
            case "SORT_BY_NAME": return e.name
            case "SORT_BY_FORKED_FROM": return e.forkedFrom.map { String(format: "%010d", $0) } ?? "~"
            case "SORT_BY_RESOURCE_POOL": return e.resourcePool
            case "SORT_BY_PROJECT_ID": return String(format: "%010d", e.projectID)
            case "SORT_BY_CHECKPOINT_SIZE": return String(format: "%020lld", e.checkpointSize)
            case "SORT_BY_CHECKPOINT_COUNT": return String(format: "%010d", e.checkpointCount)
            default: return ""
            }
        }
        rows.sort { a, b in
            let (ka, kb) = (key(a), key(b))
            if ka != kb {
                // DESC puts NULLs (rendered "~") last, as the master's DESC NULLS LAST does.
                if descending { return ka == "~" ? false : (kb == "~" ? true : ka > kb) }
                return ka < kb
            }
            return descending ? a.id > b.id : a.id < b.id
        }
    }

    /// GetExperiment: `{experiment, jobSummary, config}`.
    func experiment(id: Int, now nowOverride: Date? = nil) throws(GatewayError) -> JSONValue {
        let now = nowOverride ?? clock.now()
        advance(now)
        guard let e = state.experiments.first(where: { $0.id == id }) else { throw .notFound("experiment", id) }
        let jobSummary: JSONValue = e.state == "ACTIVE" ? MockJSON.object([("state", "STATE_QUEUED"), ("jobsAhead", 0)]) : .null
        return MockJSON.object([
            ("experiment", MockJSON.experiment(e, list: false, store: state, now: now)), ("jobSummary", jobSummary),
            ("config", MockJSON.config(e)),
        ])
    }

    /// Archive or unarchive one experiment with §6's preconditions, in order.
    func setArchived(id: Int, _ archive: Bool, projectID: Int? = nil, now nowOverride: Date? = nil) throws(GatewayError) {
        let now = nowOverride ?? clock.now()
        advance(now)
        guard let i = state.experiments.firstIndex(where: { $0.id == id && (projectID == nil || $0.projectID == projectID) }) else {
            throw .notFound("experiment", id)
        }
        let e = state.experiments[i]
        if archive && e.archived { throw GatewayError(.failedPrecondition, "Experiment is already archived.") }
        if !archive && !e.archived { throw GatewayError(.failedPrecondition, "Experiment is not archived.") }
        guard e.isTerminal else { throw GatewayError(.failedPrecondition, "Experiment is not in terminal state.") }
        state.experiments[i].archived = archive
        persist()
    }

    /// The bulk variants: one result per id; rejected, then not found, then accepted (§6).
    func bulkArchive(projectID: Int, ids: [Int], _ archive: Bool) -> JSONValue {
        advance()
        var rejected: [JSONValue] = []
        var missing: [JSONValue] = []
        var accepted: [JSONValue] = []
        for id in ids {
            do {
                try setArchived(id: id, archive, projectID: projectID)
                accepted.append(MockJSON.object([("error", ""), ("id", MockJSON.int(id))]))
            } catch {
                let entry = MockJSON.object([("error", .string(error.rpcDescription)), ("id", MockJSON.int(id))])
                if error.code == .notFound { missing.append(entry) } else { rejected.append(entry) }
            }
        }
        return MockJSON.object([("results", .array(rejected + missing + accepted))])
    }

    /// The bulk variants with `filters`: ids are ignored; eligible experiments of the project are selected,
    /// so every result is a success.
    func bulkArchive(projectID: Int, filters: JSONValue, _ archive: Bool) -> JSONValue {
        advance()
        let name = filters["name"]?.stringValue?.lowercased() ?? ""
        let description = filters["description"]?.stringValue?.lowercased() ?? ""
        let labels = filters["labels"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let states = Set((filters["states"]?.arrayValue ?? []).compactMap { $0.stringValue.map { String($0.dropFirst("STATE_".count)) } })
        let userIDs = Set((filters["userIds"]?.arrayValue ?? []).compactMap(\.intValue))
        let excluded = Set((filters["excludedExperimentIds"]?.arrayValue ?? []).compactMap(\.intValue))
        var results: [JSONValue] = []
        for i in state.experiments.indices {
            let e = state.experiments[i]
            guard e.projectID == projectID, e.isTerminal, e.archived != archive, !excluded.contains(e.id),
                name.isEmpty || e.name.lowercased().contains(name), description.isEmpty || e.description.lowercased().contains(description),
                labels.allSatisfy({ e.labels.contains($0) }), states.isEmpty || states.contains(e.state),
                userIDs.isEmpty || userIDs.contains(e.ownerID)
            else { continue }
            state.experiments[i].archived = archive
            results.append(MockJSON.object([("error", ""), ("id", MockJSON.int(e.id))]))
        }
        persist()
        return MockJSON.object([("results", .array(results))])
    }

    /// Kill, cancel, pause and activate, following the outcome table of §11.3.
    func lifecycle(_ action: String, id: Int, now nowOverride: Date? = nil) throws(GatewayError) {
        let now = nowOverride ?? clock.now()
        advance(now)
        guard let i = state.experiments.firstIndex(where: { $0.id == id }) else { throw .notFound("experiment", id) }
        let e = state.experiments[i]
        if e.archived { throw .notFound("experiment", id) }
        let inRegistry =
            !e.unmanaged
            && ["ACTIVE", "PAUSED", "STOPPING_CANCELED", "STOPPING_COMPLETED", "STOPPING_ERROR", "STOPPING_KILLED"].contains(e.state)
        func incompatible() -> GatewayError { GatewayError(.failedPrecondition, "experiment in incompatible state \(e.state)") }
        guard inRegistry else {
            switch action {
            case "kill", "cancel": return
            case "pause": throw GatewayError(.failedPrecondition, "experiment in terminal state")
            default: throw .notFound("experiment", id)
            }
        }
        var target: String?
        switch (action, e.state) {
        case ("kill", "ACTIVE"), ("kill", "PAUSED"), ("kill", "STOPPING_CANCELED"): target = "STOPPING_KILLED"
        case ("kill", "STOPPING_KILLED"): target = nil
        case ("kill", _): throw incompatible()
        case ("cancel", "ACTIVE"), ("cancel", "PAUSED"): target = "STOPPING_CANCELED"
        case ("cancel", _): target = nil
        case ("pause", "ACTIVE"): target = "PAUSED"
        case ("pause", "PAUSED"): target = nil
        case ("pause", _): throw incompatible()
        case ("activate", "PAUSED"), ("activate", "STOPPING_ERROR"): target = "ACTIVE"
        case ("activate", "ACTIVE"): target = nil
        case ("activate", _): throw incompatible()
        default: throw .notFound("experiment", id)
        }
        guard let target else { return }
        state.experiments[i].state = target
        if target.hasPrefix("STOPPING_") {
            let terminal = [
                "STOPPING_KILLED": "CANCELED", "STOPPING_CANCELED": "CANCELED", "STOPPING_COMPLETED": "COMPLETED",
                "STOPPING_ERROR": "ERROR",
            ][target]!
            if e.numTrials == 0 {
                // No live trials: stop() runs inside the request, so the answer already finds it terminal (§11.3).
                state.experiments[i].state = terminal
                state.experiments[i].endTime = now
                if terminal == "COMPLETED" { state.experiments[i].progress = 1 }
            } else {
                state.experiments[i].pendingAt = now.addingTimeInterval(transitionDelay)
                state.experiments[i].pendingState = terminal
            }
        }
        persist()
    }

    /// DeleteExperiment with §11.4's checks; the row goes away after the transition delay.
    func delete(id: Int, caller: MockUser, now nowOverride: Date? = nil) throws(GatewayError) {
        let now = nowOverride ?? clock.now()
        advance(now)
        guard let i = state.experiments.firstIndex(where: { $0.id == id }) else { throw .notFound("experiment", id) }
        let e = state.experiments[i]
        guard caller.admin || caller.id == e.ownerID else {
            throw GatewayError(.permissionDenied, "non admin users may not delete other user's experiments")
        }
        if state.modelVersions.contains(where: { $0.experimentID == id }) {
            throw GatewayError(.invalidArgument, "checkpoints are registered as model versions")
        }
        guard e.isTerminal || e.state == "DELETE_FAILED" else {
            throw GatewayError(.failedPrecondition, "cannot delete experiment in STATE_\(e.state) state")
        }
        state.experiments[i].state = "DELETING"
        state.experiments[i].pendingAt = now.addingTimeInterval(transitionDelay)
        state.experiments[i].pendingState = ""
        persist()
    }
}
