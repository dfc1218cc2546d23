import Foundation
import JSON
import OpenAPI

extension MockUser {
    /// The caller of a route that answers without credentials.
    static let nobody = MockUser(id: 0, username: "", admin: false, active: true, displayName: "", modifiedAt: .distantPast)
}

extension MockGateway {
    /// Every modelled route: one entry per endpoint, its operationId, and its handler.
    static let routes = RouteTable(
        [
            // Authentication and the master (reference §2–§3).
            GatewayRoute("GET", "master", "GetMaster", reads: .anonymous) { g, _ in
                .ok(await g.store.masterJSON(version: g.configuration.version))
            },
            GatewayRoute("POST", "auth/login", "Login", reads: .anonymous) { g, c in try await g.login(c.request) },
            GatewayRoute("POST", "auth/logout", "Logout") { g, c in
                await g.store.logout(token: c.token)
                return .ok(.object(JSONObject()), headers: [("Set-Cookie", "auth=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT")])
            },
            GatewayRoute("GET", "auth/user", "CurrentUser") { _, c in .ok(MockJSON.object([("user", MockJSON.user(c.caller))])) },
            GatewayRoute("GET", "me", "GetMe") { _, c in .ok(MockJSON.object([("user", MockJSON.user(c.caller))])) },
            // Users (§12, §25).
            GatewayRoute("GET", "users", "GetUsers", reads: .query) { g, c in .ok(try await g.store.users(c.query)) },
            GatewayRoute("GET", "users/{user_id:int}", "GetUser") { g, c in .ok(try await g.store.userJSON(id: c.int("user_id"))) },
            GatewayRoute("GET", "users/{username}/by-username", "GetUserByUsername") { g, c in
                .ok(try await g.store.userJSON(username: c.string("username")))
            },
            GatewayRoute("POST", "users", "PostUser", reads: .body) { g, c in
                .ok(try await g.store.postUser(caller: c.caller, body: c.body))
            },
            GatewayRoute("PATCH", "users/{user_id:int}", "PatchUser", reads: .body) { g, c in
                .ok(try await g.store.patchUser(caller: c.caller, id: c.int("user_id"), body: c.body))
            },
            GatewayRoute("POST", "users/{user_id:int}/password", "SetUserPassword") { g, c in
                .ok(try await g.store.setUserPassword(caller: c.caller, id: c.int("user_id"), body: c.request.body))
            },
            GatewayRoute("PATCH", "users", "PatchUsers", reads: .body) { g, c in
                .ok(try await g.store.patchUsers(caller: c.caller, body: c.body))
            },
            // Experiments (§4–§6, §11, §24).
            GatewayRoute("GET", "experiments", "GetExperiments", reads: .query) { g, c in
                MockResponse(status: 200, body: try await g.store.experiments(c.query), kind: .gateway)
            },
            GatewayRoute("POST", "experiments", "CreateExperiment", reads: .body) { g, c in
                .ok(try await g.store.createExperiment(caller: c.caller, body: c.body))
            },
            // Webhooks (part 4 §29); PatchWebhook and TestWebhook are not traced and stay answered from the spec.
            GatewayRoute("GET", "webhooks", "GetWebhooks") { g, c in .ok(await g.store.webhooks(caller: c.caller)) },
            GatewayRoute("POST", "webhooks", "PostWebhook", reads: .body) { g, c in
                .ok(try await g.store.postWebhook(caller: c.caller, body: c.body))
            },
            GatewayRoute("DELETE", "webhooks/{id:int}", "DeleteWebhook") { g, c in
                try await g.store.deleteWebhook(caller: c.caller, id: c.int("id"))
                return .empty
            },
            GatewayRoute("GET", "experiments/{experiment_id:int}", "GetExperiment") { g, c in
                .ok(try await g.store.experiment(id: c.int("experiment_id")))
            },
            GatewayRoute("DELETE", "experiments/{experiment_id:int}", "DeleteExperiment") { g, c in
                try await g.store.delete(id: c.int("experiment_id"), caller: c.caller)
                return .empty
            },
            GatewayRoute("PATCH", "experiments/{experiment.id:int}", "PatchExperiment", reads: .body) { g, c in
                .ok(try await g.store.patchExperiment(id: c.int("experiment.id"), body: c.body))
            },
            GatewayRoute("PUT", "experiments/{experiment_id:int}/labels/{label}", "PutExperimentLabel") { g, c in
                .ok(try await g.store.setLabel(experimentID: c.int("experiment_id"), c.string("label"), present: true))
            },
            GatewayRoute("DELETE", "experiments/{experiment_id:int}/labels/{label}", "DeleteExperimentLabel") { g, c in
                .ok(try await g.store.setLabel(experimentID: c.int("experiment_id"), c.string("label"), present: false))
            },
            GatewayRoute("POST", "experiments/{experiment_id:int}/move", "MoveExperiment", reads: .body) { g, c in
                try await g.store.moveExperiment(id: c.int("experiment_id"), body: c.body)
                return .empty
            },
            GatewayRoute("POST", "projects/{project_id:int}/experiments/move", "MoveExperiments", reads: .body) { g, c in
                .ok(try await g.store.moveExperiments(projectID: c.int("project_id"), body: c.body))
            },
            GatewayRoute("GET", "experiments/{experiment_id:int}/trials", "GetExperimentTrials", reads: .query) { g, c in
                .ok(try await g.store.experimentTrials(experimentID: c.int("experiment_id"), c.query))
            },
            GatewayRoute("GET", "experiments/{id:int}/checkpoints", "GetExperimentCheckpoints", reads: .query) { g, c in
                .ok(try await g.store.experimentCheckpoints(experimentID: c.int("id"), c.query))
            },
            GatewayRoute("GET", "trials/{id:int}/checkpoints", "GetTrialCheckpoints", reads: .query) { g, c in
                .ok(try await g.store.trialCheckpoints(trialID: c.int("id"), c.query))
            },
            // Trials and checkpoints (§17–§18).
            // Literal routes of operations the spec may describe (CompareTrials, GetUserSetting): the spec's answer, or 501.
            GatewayRoute("GET", "trials/time-series", "CompareTrials", reads: .anonymous, modelled: false) { g, c in
                try await g.specOnly("CompareTrials", c.request)
            },
            GatewayRoute("GET", "users/setting", "GetUserSetting", reads: .anonymous, modelled: false) { g, c in
                try await g.specOnly("GetUserSetting", c.request)
            },
            GatewayRoute("GET", "trials/{trial_id:int}", "GetTrial") { g, c in .ok(try await g.store.trial(id: c.int("trial_id"))) },
            GatewayRoute("GET", "trials/{trial_id:int}/workloads", "GetTrialWorkloads", reads: .query) { g, c in
                .ok(try await g.store.trialWorkloads(id: c.int("trial_id"), c.query))
            },
            GatewayRoute("GET", "trials/{trial_id:int}/logs", "TrialLogs", reads: .query) { g, c in
                try await g.logStream(trialID: c.int("trial_id"), c.query)
            },
            GatewayRoute("GET", "checkpoints/{checkpoint_uuid}", "GetCheckpoint") { g, c in
                .ok(try await g.store.checkpoint(uuid: c.string("checkpoint_uuid")))
            },
            // Workspaces and projects (§13, §22–§23).
            GatewayRoute("GET", "workspaces", "GetWorkspaces", reads: .query) { g, c in
                .ok(try await g.store.workspaces(c.query, caller: c.caller))
            },
            GatewayRoute("POST", "workspaces", "PostWorkspace", reads: .body) { g, c in
                .ok(try await g.store.postWorkspace(caller: c.caller, body: c.body))
            },
            GatewayRoute("GET", "workspaces/{id:int}", "GetWorkspace") { g, c in
                .ok(try await g.store.workspaceJSON(id: c.int("id"), caller: c.caller))
            },
            GatewayRoute("PATCH", "workspaces/{id:int}", "PatchWorkspace", reads: .body) { g, c in
                try MockGateway.subMessage(c.request)
                return .ok(try await g.store.patchWorkspace(caller: c.caller, id: c.int("id"), body: c.body))
            },
            GatewayRoute("DELETE", "workspaces/{id:int}", "DeleteWorkspace") { g, c in
                .ok(try await g.store.deleteWorkspace(caller: c.caller, id: c.int("id")))
            },
            GatewayRoute("GET", "workspaces/{id:int}/projects", "GetWorkspaceProjects", reads: .query) { g, c in
                .ok(try await g.store.workspaceProjects(id: c.int("id"), c.query))
            },
            GatewayRoute("POST", "workspaces/{workspace_id:int}/projects", "PostProject", reads: .body) { g, c in
                .ok(try await g.store.postProject(caller: c.caller, workspaceID: c.int("workspace_id"), body: c.body))
            },
            GatewayRoute("GET", "projects/{id:int}", "GetProject") { g, c in .ok(try await g.store.projectJSON(id: c.int("id"))) },
            GatewayRoute("PATCH", "projects/{id:int}", "PatchProject", reads: .body) { g, c in
                .ok(try await g.store.patchProject(caller: c.caller, id: c.int("id"), body: c.body, empty: c.request.body.isEmpty))
            },
            GatewayRoute("DELETE", "projects/{id:int}", "DeleteProject") { g, c in
                .ok(try await g.store.deleteProject(caller: c.caller, id: c.int("id")))
            },
            GatewayRoute("POST", "projects/{project_id:int}/move", "MoveProject", reads: .body) { g, c in
                try await g.store.moveProject(caller: c.caller, id: c.int("project_id"), body: c.body)
                return .empty
            },
            // The model registry (§26).
            GatewayRoute("GET", "models", "GetModels", reads: .query) { g, c in .ok(try await g.store.models(c.query)) },
            GatewayRoute("POST", "models", "PostModel", reads: .body) { g, c in
                .ok(try await g.store.postModel(caller: c.caller, body: c.body))
            },
            GatewayRoute("GET", "models/{modelName}", "GetModel") { g, c in .ok(try await g.store.model(c.string("modelName"))) },
            GatewayRoute("PATCH", "models/{modelName}", "PatchModel", reads: .body) { g, c in
                try MockGateway.subMessage(c.request)
                return .ok(try await g.store.patchModel(caller: c.caller, segment: c.string("modelName"), body: c.body))
            },
            GatewayRoute("POST", "models/{modelName}/move", "MoveModel", reads: .body) { g, c in
                try await g.store.moveModel(segment: c.string("modelName"), body: c.body)
                return .empty
            },
            GatewayRoute("DELETE", "models/{modelName}", "DeleteModel") { g, c in
                try await g.store.deleteModel(caller: c.caller, segment: c.string("modelName"))
                return .empty
            },
            GatewayRoute("GET", "model/labels", "GetModelLabels", reads: .query) { g, c in .ok(try await g.store.modelLabels(c.query)) },
            GatewayRoute("POST", "models/{modelName}/versions", "PostModelVersion", reads: .body) { g, c in
                .ok(try await g.store.postModelVersion(caller: c.caller, segment: c.string("modelName"), body: c.body))
            },
            GatewayRoute("GET", "models/{modelName}/versions", "GetModelVersions", reads: .query) { g, c in
                .ok(try await g.store.modelVersions(segment: c.string("modelName"), c.query))
            },
            GatewayRoute("GET", "models/{modelName}/versions/{modelVersionNum:int}", "GetModelVersion") { g, c in
                .ok(try await g.store.modelVersion(segment: c.string("modelName"), number: c.int("modelVersionNum")))
            },
            GatewayRoute("PATCH", "models/{modelName}/versions/{modelVersionNum:int}", "PatchModelVersion", reads: .body) { g, c in
                try MockGateway.subMessage(c.request)
                return .ok(
                    try await g.store.patchModelVersion(segment: c.string("modelName"), number: c.int("modelVersionNum"), body: c.body))
            },
            GatewayRoute("DELETE", "models/{modelName}/versions/{modelVersionNum:int}", "DeleteModelVersion") { g, c in
                try await g.store.deleteModelVersion(caller: c.caller, segment: c.string("modelName"), number: c.int("modelVersionNum"))
                return .empty
            },
            // Templates (§27).
            GatewayRoute("GET", "templates", "GetTemplates", reads: .query) { g, c in .ok(try await g.store.templates(c.query)) },
            GatewayRoute("GET", "templates/{templateName}", "GetTemplate") { g, c in
                .ok(try await g.store.template(name: c.string("templateName")))
            },
            GatewayRoute("POST", "templates/{template.name}", "PostTemplate", reads: .body) { g, c in
                .ok(try await g.store.postTemplate(name: c.string("template.name"), body: c.body))
            },
            GatewayRoute("PUT", "templates/{template.name}", "PutTemplate", reads: .body) { g, c in
                .ok(try await g.store.putTemplate(name: c.string("template.name"), body: c.body))
            },
            GatewayRoute("PATCH", "templates/{templateName}", "PatchTemplateConfig", reads: .body) { g, c in
                .ok(try await g.store.patchTemplateConfig(name: c.string("templateName"), body: c.body))
            },
            GatewayRoute("PATCH", "template/rename", "PatchTemplateName", reads: .body) { g, c in
                .ok(try await g.store.renameTemplate(body: c.body))
            },
            GatewayRoute("DELETE", "templates/{templateName}", "DeleteTemplate") { g, c in
                try await g.store.deleteTemplate(name: c.string("templateName"))
                return .empty
            },
            // The rest of the day's reads (§14–§19).
            GatewayRoute("GET", "resource-pools", "GetResourcePools") { g, _ in .ok(await g.store.resourcePools()) },
            GatewayRoute("GET", "job-queues", "GetJobs", reads: .query) { g, c in .ok(try await g.store.jobs(c.query, v2: false)) },
            GatewayRoute("GET", "job-queues-v2", "GetJobsV2", reads: .query) { g, c in .ok(try await g.store.jobs(c.query, v2: true)) },
            GatewayRoute("GET", "tasks", "GetTasks") { g, _ in .ok(await g.store.tasks()) },
            GatewayRoute("POST", "tokens", "PostAccessToken", reads: .body) { g, c in
                .ok(try await g.store.createAccessToken(caller: c.caller, body: c.body))
            },
            GatewayRoute("GET", "tokens", "GetAccessTokens", reads: .query) { g, c in
                .ok(try await g.store.accessTokens(caller: c.caller, c.query))
            },
            GatewayRoute("PATCH", "tokens/{token_id:int}", "PatchAccessToken", reads: .body) { g, c in
                .ok(try await g.store.patchAccessToken(caller: c.caller, id: c.int("token_id"), body: c.body))
            },
        ] + experimentActions + bulkArchives + toggles)

    /// Archive/unarchive and pin/unpin of one workspace, project or model: a flag set or cleared, `{}` answered (§22.5–6,
    /// §23.5, §26.5).
    private static let toggles: [GatewayRoute] = {
        typealias Change = @Sendable (ClusterStore, MockUser, Int, Bool) async throws -> Void
        let kinds: [(String, String, String, Change)] = [
            ("workspaces", "archive", "Workspace", { try await $0.archiveWorkspace(caller: $1, id: $2, $3) }),
            ("workspaces", "pin", "Workspace", { try await $0.pinWorkspace(caller: $1, id: $2, $3) }),
            ("projects", "archive", "Project", { try await $0.archiveProject(caller: $1, id: $2, $3) }),
        ]
        let models = [true, false].map { on in
            GatewayRoute("POST", "models/{modelName}/\(on ? "archive" : "unarchive")", on ? "ArchiveModel" : "UnarchiveModel") { g, c in
                try await g.store.archiveModel(segment: c.string("modelName"), on)
                return .empty
            }
        }
        return models
            + kinds.flatMap { collection, verb, noun, change in
                [true, false].map { on in
                    let word = on ? verb : "un" + verb
                    return GatewayRoute("POST", "\(collection)/{id:int}/\(word)", word.prefix(1).uppercased() + word.dropFirst() + noun) {
                        g, c in
                        try await change(g.store, c.caller, c.int("id"), on)
                        return .empty
                    }
                }
            }
    }()

    /// archive, unarchive, kill, cancel, pause, activate of one experiment (§5, §11).
    private static let experimentActions: [GatewayRoute] = ["archive", "unarchive", "kill", "cancel", "pause", "activate"].map { action in
        GatewayRoute("POST", "experiments/{id:int}/\(action)", action.prefix(1).uppercased() + action.dropFirst() + "Experiment") { g, c in
            if action == "archive" || action == "unarchive" {
                try await g.store.setArchived(id: c.int("id"), action == "archive")
            } else {
                try await g.store.lifecycle(action, id: c.int("id"))
            }
            return .empty
        }
    }

    /// ArchiveExperiments and UnarchiveExperiments by ids or filters (§6).
    private static let bulkArchives: [GatewayRoute] = [true, false].map { archive in
        GatewayRoute(
            "POST", "projects/{project_id:int}/experiments/\(archive ? "archive" : "unarchive")",
            archive ? "ArchiveExperiments" : "UnarchiveExperiments", reads: .body
        ) { g, c in
            if let filters = c.body["filters"], case .object = filters {
                return .ok(await g.store.bulkArchive(projectID: c.int("project_id"), filters: filters, archive))
            }
            let ids = try MockGateway.ints(c.body, "experimentIds", "experiment_ids")
            return .ok(await g.store.bulkArchive(projectID: c.int("project_id"), ids: ids, archive))
        }
    }

    /// An operation the mock does not model, reached by its literal route: the spec's sample when the spec has it,
    /// else the gateway's 501 (never another operation's answer).
    func specOnly(_ operationID: String, _ request: MockRequest) async throws(GatewayError) -> MockResponse {
        guard model.operations.contains(where: { $0.id == operationID }) else { throw .notImplemented }
        return try await generic(request)
    }

    /// A handler that reads its named sub-message's fields directly panics on an empty body (part 4 §21.2): the
    /// recovery interceptor's 500.
    static func subMessage(_ request: MockRequest) throws(GatewayError) {
        if request.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw GatewayError(.internalError, "runtime error: invalid memory address or nil pointer dereference")
        }
    }

    /// Login (§2): `{token, user}` and the `auth` cookie.
    func login(_ request: MockRequest) async throws(GatewayError) -> MockResponse {
        let body = try Self.jsonBody(request.body)
        let username = try Self.string(body, "username")
        let password = try Self.string(body, "password")
        let hashed = try Self.bool(body, "isHashed", "is_hashed")
        let (token, user, expiry) = try await store.login(username: username, password: password, isHashed: hashed)
        return .ok(
            MockJSON.object([("token", .string(token)), ("user", user)]),
            headers: [("Set-Cookie", "auth=\(token); Path=/; Expires=\(Timestamp.httpDate(expiry))")])
    }

    /// A matched route: path variables, query and body decoded as the gateway does, then authentication, then
    /// the handler.
    func call(
        _ route: GatewayRoute, variables: [String: String], _ request: MockRequest, query: QueryParameters? = nil
    ) async throws(GatewayError) -> MockResponse {
        var call = GatewayCall(request: request, strings: variables)
        for case .variable(let name, true) in route.segments {
            call.ints[name] = try GoInt.pathParameter(variables[name] ?? "", name: name)
        }
        if let query {
            call.query = query
        } else if route.reads.contains(.query) {
            call.query = try QueryParameters(request.query)
        }
        if route.reads.contains(.body) {
            call.body = try decodedBody(model.operation(method: request.method, path: request.path), request)
        }
        if !route.reads.contains(.anonymous) {
            if configuration.unauthenticatedRoutes.contains(where: { $0.lowercased() == route.operationID.lowercased() }),
                request.authorization == nil, request.cookieToken == nil
            {
                // A test-only hole: this route answers without credentials, as the first user.
                call.caller = await store.firstUser()
            } else {
                (call.caller, call.token) = try await store.authenticate(authorization: request.authorization, cookie: request.cookieToken)
            }
        }
        do {
            return try await route.handler(self, call)
        } catch let error as GatewayError {
            throw error
        } catch {
            throw GatewayError(.internalError, "\(error)")
        }
    }
}
