import Foundation
import JSON

/// A long-lived access token (reference part 3 §19): used like a session token, kept by logout.
struct MockAccessToken: Sendable, Codable {
    var id: Int
    var token: String
    var userID: Int
    var createdAt: Date
    var expiry: Date
    var description: String
    var revoked: Bool
}

/// PatchExperiment and labels (§18.4), resource pools, the job queue and tasks (§18.6), and
/// access tokens (§19).
extension ClusterStore {
    // MARK: experiment edits

    /// PatchExperiment: `name`, `description`, `notes`, `labels` (null or absent: unchanged); the single-GET shape back.
    func patchExperiment(id: Int, body: JSONValue) throws(GatewayError) -> JSONValue {
        advance()
        guard let i = state.experiments.firstIndex(where: { $0.id == id }) else { throw .notFound("experiment", id) }
        func text(_ key: String) throws(GatewayError) -> String? {
            guard let v = body[key], !v.isNull else { return nil }
            guard let s = v.stringValue else {
                throw GatewayError(.invalidArgument, "json: cannot unmarshal \(v.typeName) into Go value of type string")
            }
            return s
        }
        if let name = try text("name") {
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw GatewayError(.invalidArgument, "`name` must not be an empty or whitespace string")
            }
            state.experiments[i].name = name
        }
        if let description = try text("description") { state.experiments[i].description = description }
        if let notes = try text("notes") { state.experiments[i].notes = notes }
        if let labels = body["labels"], !labels.isNull {
            guard let list = labels.arrayValue else {
                throw GatewayError(.invalidArgument, "json: cannot unmarshal \(labels.typeName) into Go value of type []interface {}")
            }
            var seen: [String] = []
            for l in list.compactMap(\.stringValue) where !seen.contains(l) { seen.append(l) }
            state.experiments[i].labels = seen
        }
        persist()
        return MockJSON.object([("experiment", MockJSON.experiment(state.experiments[i], list: false, store: state, now: clock.now()))])
    }

    /// PutExperimentLabel / DeleteExperimentLabel: `{"labels": […]}`; an unknown experiment is the master's 500.
    func setLabel(experimentID: Int, _ label: String, present: Bool) throws(GatewayError) -> JSONValue {
        advance()
        guard let i = state.experiments.firstIndex(where: { $0.id == experimentID }) else {
            throw GatewayError(.internalError, "sql: no rows in result set")
        }
        if present {
            if !state.experiments[i].labels.contains(label) { state.experiments[i].labels.append(label) }
        } else if let at = state.experiments[i].labels.firstIndex(of: label) {
            state.experiments[i].labels.remove(at: at)
        }
        persist()
        return MockJSON.object([("labels", .array(state.experiments[i].labels.map(JSONValue.string)))])
    }

    // MARK: resource pools, jobs, tasks

    /// The one static pool, `default`, every experiment runs in.
    func resourcePools() -> JSONValue {
        let pool = MockJSON.object([
            ("name", "default"), ("description", ""), ("type", "RESOURCE_POOL_TYPE_STATIC"), ("numAgents", 1), ("slotsAvailable", 8),
            ("slotsUsed", MockJSON.int(state.experiments.filter { $0.state == "ACTIVE" }.count)), ("slotType", "TYPE_CUDA"),
            ("auxContainerCapacity", 100), ("auxContainersRunning", 0), ("defaultComputePool", true), ("defaultAuxPool", true),
            ("preemptible", false), ("minAgents", 0), ("maxAgents", 0), ("slotsPerAgent", 8), ("auxContainerCapacityPerAgent", 100),
            ("schedulerType", "SCHEDULER_TYPE_FAIR_SHARE"), ("schedulerFittingPolicy", "FITTING_POLICY_BEST"), ("location", "on-prem"),
            ("imageId", ""), ("instanceType", ""), ("masterUrl", ""), ("masterCertName", ""), ("startupScript", ""),
            ("containerStartupScript", ""), ("agentDockerNetwork", ""), ("agentDockerRuntime", ""), ("agentDockerImage", ""),
            ("agentFluentImage", ""), ("maxIdleAgentPeriod", 0), ("maxAgentStartingPeriod", 0),
            ("details", MockJSON.object([("aws", .null), ("gcp", .null), ("priorityScheduler", .null)])), ("accelerator", ""),
            ("resourceManagerMetadata", MockJSON.object([])), ("clusterName", ""),
        ])
        return MockJSON.object([
            ("resourcePools", .array([pool])), ("pagination", MockJSON.pagination(offset: 0, limit: 0, start: 0, end: 1, total: 1)),
        ])
    }

    /// One job per active or paused experiment, in queue order.
    func jobRows() -> [JSONValue] {
        let queued = state.experiments.filter { $0.state == "ACTIVE" || $0.state == "PAUSED" }
        return queued.enumerated().map { position, e in
            let owner = state.users.first { $0.id == e.ownerID }
            let workspace = state.projects.first { $0.id == e.projectID }?.workspaceID ?? 1
            let running = e.state == "ACTIVE" && position == 0
            return MockJSON.object([
                (
                    "summary",
                    MockJSON.object([
                        ("state", .string(running ? "STATE_SCHEDULED" : "STATE_QUEUED")), ("jobsAhead", MockJSON.int(position)),
                    ])
                ),
                ("type", "TYPE_EXPERIMENT"), ("submissionTime", MockJSON.time(e.startTime)), ("username", .string(owner?.username ?? "")),
                ("userId", MockJSON.int(e.ownerID)), ("resourcePool", .string(e.resourcePool)), ("isPreemptible", true), ("priority", 42),
                ("weight", 1), ("entityId", .string(String(e.id))), ("jobId", .string(e.jobID)), ("requestedSlots", 1),
                ("allocatedSlots", MockJSON.int(running ? 1 : 0)), ("name", .string(e.name)),
                ("progress", .number(JSONNumber(e.progress ?? 0))),
                ("workspaceId", MockJSON.int(workspace)),
            ])
        }
    }

    /// GetJobs / GetJobsV2: api.Paginate with limit 0 read as 100; v2 wraps each job as `{"full": job}`.
    func jobs(_ q: QueryParameters, v2: Bool) throws(GatewayError) -> JSONValue {
        let descending = try q.enumValue("orderBy", cases: Self.orderNames, typeName: "apiv1.OrderBy") == "ORDER_BY_DESC"
        if let pool = q.first("resourcePool"), !pool.isEmpty, pool != "default" {
            throw GatewayError(.internalError, "cannot find resource pool \(pool)")
        }
        var limit = try q.int32("limit") ?? 0
        if limit == 0 { limit = 100 }
        var rows = jobRows()
        if descending { rows.reverse() }
        let (page, pagination) = try Self.paginate(rows, offset: try q.int32("offset") ?? 0, limit: limit)
        return MockJSON.object([
            ("jobs", .array(v2 ? page.map { MockJSON.object([("full", $0)]) } : page)), ("pagination", pagination),
        ])
    }

    /// GetTasks: an allocation per running trial; `{}` when idle.
    func tasks() -> JSONValue {
        advance()
        var members: [(String, JSONValue)] = []
        for e in state.experiments where e.state == "ACTIVE" {
            let allocation = "\(e.id).0.1"
            members.append(
                (
                    allocation,
                    MockJSON.object([
                        ("taskId", .string("\(e.id).0")), ("allocationId", .string(allocation)),
                        ("name", .string("Trial \(e.id * 100) (Experiment \(e.id))")),
                        ("registeredTime", MockJSON.time(e.startTime)), ("resourcePool", .string(e.resourcePool)), ("slotsNeeded", 1),
                        ("resources", .array([])), ("schedulerType", "fair_share"), ("proxyPorts", .array([])),
                    ])
                ))
        }
        return MockJSON.object([("allocationIdToSummary", MockJSON.object(members))])
    }

    // MARK: access tokens

    static let maxTokenLifespan: TimeInterval = 30 * 86_400

    /// PostAccessToken (admin only, even for oneself): `{token, tokenId}`.
    func createAccessToken(caller: MockUser, body: JSONValue) throws(GatewayError) -> JSONValue {
        guard caller.admin else {
            throw GatewayError(.permissionDenied, "only admin privileged users can create token for own/other users")
        }
        guard let userID = body["userId"]?.intValue, let user = state.users.first(where: { $0.id == userID }) else {
            throw GatewayError(.notFound, "user not found")
        }
        var lifespan = Self.maxTokenLifespan
        if let text = body["lifespan"]?.stringValue, !text.isEmpty, text != "-1" {
            guard text.hasSuffix("h"), let hours = Double(text.dropLast()) else {
                throw GatewayError(.invalidArgument, "failed to parse lifespan \(text): time: invalid duration \"\(text)\"")
            }
            guard hours > 0 else {
                throw GatewayError(.invalidArgument, "lifespan must be a Go-formatted duration string with a positive value")
            }
            lifespan = hours * 3_600
            guard lifespan <= Self.maxTokenLifespan else {
                throw GatewayError(.invalidArgument, "token Lifespan must be less than max token lifespan")
            }
        }
        let now = clock.now()
        var tokens = state.accessTokens ?? []
        let id = (tokens.map(\.id).max() ?? 0) + 1
        let token = Self.newToken()
        tokens.append(
            MockAccessToken(
                id: id, token: token, userID: user.id, createdAt: now, expiry: now.addingTimeInterval(lifespan),
                description: body["description"]?.stringValue ?? "", revoked: false))
        state.accessTokens = tokens
        persist()
        return MockJSON.object([("token", .string(token)), ("tokenId", MockJSON.int(id))])
    }

    func tokenInfo(_ t: MockAccessToken) -> JSONValue {
        MockJSON.object([
            ("id", MockJSON.int(t.id)), ("userId", MockJSON.int(t.userID)), ("expiry", MockJSON.time(t.expiry)),
            ("createdAt", MockJSON.time(t.createdAt)), ("tokenType", "TOKEN_TYPE_ACCESS_TOKEN"), ("revoked", .bool(t.revoked)),
            ("description", .string(t.description)),
        ])
    }

    /// GetAccessTokens: active ones unless `showInactive`; a non-admin sees only their own (with `username`).
    func accessTokens(caller: MockUser, _ q: QueryParameters) throws(GatewayError) -> JSONValue {
        let now = clock.now()
        var userFilter: Int?
        if let name = q.first("username"), !name.isEmpty {
            guard let user = state.users.first(where: { $0.username == name }) else {
                throw GatewayError(.internalError, "sql: no rows in result set")
            }
            userFilter = user.id
        }
        if !caller.admin && userFilter != caller.id {
            throw GatewayError(.permissionDenied, "only admin privileged users can view other users")
        }
        let showInactive = try q.goBool("showInactive") ?? false
        let ids = Set(try q.int32s("tokenIds"))
        let rows = (state.accessTokens ?? []).filter { t in
            (showInactive || (!t.revoked && t.expiry > now)) && (userFilter.map { $0 == t.userID } ?? true)
                && (ids.isEmpty || ids.contains(t.id))
        }
        let (page, pagination) = try Self.paginate(rows, offset: try q.int32("offset") ?? 0, limit: try q.int32("limit") ?? 0)
        return MockJSON.object([("tokenInfo", .array(page.map(tokenInfo))), ("pagination", pagination)])
    }

    /// PatchAccessToken: a new description, or `setRevoked`; an inactive token cannot change.
    func patchAccessToken(caller: MockUser, id: Int, body: JSONValue) throws(GatewayError) -> JSONValue {
        guard let i = (state.accessTokens ?? []).firstIndex(where: { $0.id == id }) else {
            throw GatewayError(.notFound, "Token with id: \(id) not found")
        }
        guard caller.admin else { throw GatewayError(.permissionDenied, "only admin privileged users can update access tokens") }
        var tokens = state.accessTokens ?? []
        guard !tokens[i].revoked, tokens[i].expiry > clock.now() else {
            throw GatewayError(.internalError, "unable to update inactive token with ID \(id)")
        }
        if let d = body["description"]?.stringValue { tokens[i].description = d }
        if body["setRevoked"]?.boolValue == true { tokens[i].revoked = true }
        state.accessTokens = tokens
        persist()
        return MockJSON.object([("tokenInfo", tokenInfo(tokens[i]))])
    }
}
