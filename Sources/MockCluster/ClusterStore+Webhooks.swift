import Foundation
import JSON

/// GetWebhooks, PostWebhook and DeleteWebhook (part 4 §29), with PostWebhook's checks in the master's order.
extension ClusterStore {
    /// An admin sees every webhook; others the global ones and those of workspaces they own.
    func webhooks(caller: MockUser) -> JSONValue {
        advance()
        let owned = Set(state.workspaces.filter { $0.ownerID == caller.id }.map(\.id))
        let visible = state.webhooks.filter { caller.admin || $0.workspaceID == 0 || owned.contains($0.workspaceID) }
        return MockJSON.object([("webhooks", .array(visible.map(MockJSON.webhook)))])
    }

    /// PostWebhook: the body is the webhook itself.
    func postWebhook(caller: MockUser, body: JSONValue) throws(GatewayError) -> JSONValue {
        advance()
        let workspaceID = try MockGateway.int(body, "workspaceId", "workspace_id")
        if workspaceID > 0 {
            guard let w = state.workspaces.first(where: { $0.id == workspaceID }) else {
                throw GatewayError(.internalError, "sql: no rows in result set")
            }
            if !caller.admin && w.ownerID != caller.id { throw GatewayError(.internalError, "non admin users can't edit global webhooks") }
        } else if !caller.admin {
            throw GatewayError(.internalError, "non admin users can't edit global webhooks")
        }
        let triggers = body["triggers"]?.arrayValue ?? []
        guard !triggers.isEmpty else { throw GatewayError(.invalidArgument, "at least one trigger required") }
        let url = try MockGateway.string(body, "url")
        guard Self.isRequestURI(url) else { throw GatewayError(.invalidArgument, "valid url required") }
        var mode = try MockGateway.string(body, "mode")
        if mode.isEmpty || mode == "WEBHOOK_MODE_UNSPECIFIED" { mode = "WEBHOOK_MODE_WORKSPACE" }
        for t in triggers {
            let type = t["triggerType"]?.stringValue ?? "TRIGGER_TYPE_UNSPECIFIED"
            let condition = t["condition"] ?? .object(JSONObject())
            if type == "TRIGGER_TYPE_TASK_LOG" {
                let map = condition.objectValue ?? JSONObject()
                guard map.count == 1 else {
                    throw GatewayError(.invalidArgument, "webhook task log condition must have one key got \(Self.goMap(map))")
                }
                guard let regex = map["regex"] else {
                    throw GatewayError(.invalidArgument, "webhook task log condition must have key 'regex' got \(Self.goMap(map))")
                }
                guard regex.stringValue != nil else {
                    throw GatewayError(
                        .invalidArgument, "webhook task log condition must have key 'regex' as string got \(Self.goMap(map))")
                }
            }
            if type == "TRIGGER_TYPE_CUSTOM" && mode != "WEBHOOK_MODE_SPECIFIC" {
                throw GatewayError(.invalidArgument, "custom trigger only works on webhook with mode 'SPECIFIC'. Got \(mode)")
            }
        }
        let webhookType = try MockGateway.string(body, "webhookType")
        if webhookType.isEmpty || webhookType == "WEBHOOK_TYPE_UNSPECIFIED" {
            throw GatewayError(.internalError, "missing mapping for webhook type WEBHOOK_TYPE_UNSPECIFIED to SQL")
        }
        if let t = triggers.first(where: { ($0["triggerType"]?.stringValue ?? "TRIGGER_TYPE_UNSPECIFIED") == "TRIGGER_TYPE_UNSPECIFIED" }) {
            _ = t
            throw GatewayError(.internalError, "missing mapping for trigger TRIGGER_TYPE_UNSPECIFIED to SQL")
        }
        let name = try MockGateway.string(body, "name")
        if workspaceID > 0, state.webhooks.contains(where: { $0.name == name && $0.workspaceID == workspaceID }) {
            throw GatewayError(
                .internalError,
                "ERROR: duplicate key value violates unique constraint \"name_workspace_key\" (SQLSTATE 23505)")
        }
        var nextTrigger = (state.webhooks.flatMap(\.triggers).map(\.id).max() ?? 0) + 1
        let made = MockWebhook(
            id: (state.webhooks.map(\.id).max() ?? 0) + 1, url: url,
            triggers: triggers.map { t in
                defer { nextTrigger += 1 }
                return MockTrigger(
                    id: nextTrigger, triggerType: t["triggerType"]?.stringValue ?? "",
                    condition: StoredJSON(t["condition"] ?? .object(JSONObject())))
            }, webhookType: webhookType, name: name, workspaceID: max(0, workspaceID), mode: mode)
        state.webhooks.append(made)
        persist()
        return MockJSON.object([("webhook", MockJSON.webhook(made))])
    }

    /// DeleteWebhook: an unknown id is the master's 500; the webhook goes with its triggers.
    func deleteWebhook(caller: MockUser, id: Int) throws(GatewayError) {
        advance()
        guard let i = state.webhooks.firstIndex(where: { $0.id == id }) else {
            throw GatewayError(.internalError, "sql: no rows in result set")
        }
        let w = state.webhooks[i]
        let owner = state.workspaces.first { $0.id == w.workspaceID }?.ownerID
        if !caller.admin && (w.workspaceID == 0 || owner != caller.id) {
            throw GatewayError(.internalError, "non admin users can't edit global webhooks")
        }
        state.webhooks.remove(at: i)
        persist()
    }

    /// Whether Go's `url.ParseRequestURI` takes `s`: an absolute path, or a scheme and something after it.
    static func isRequestURI(_ s: String) -> Bool {
        if s.hasPrefix("/") { return true }
        guard let colon = s.firstIndex(of: ":"), colon != s.startIndex, s[s.index(after: colon)...].isEmpty == false else { return false }
        let scheme = s[..<colon]
        return scheme.first!.isLetter && scheme.allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) }
            && scheme.allSatisfy(\.isASCII)
    }

    /// A JSON object as Go prints a `map[string]interface{}`: `map[a:1 b:x]`, keys sorted.
    static func goMap(_ o: JSONObject) -> String {
        "map["
            + o.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value.stringValue ?? JSONWriter().string($0.value))" }.joined(
                separator: " ") + "]"
    }
}
