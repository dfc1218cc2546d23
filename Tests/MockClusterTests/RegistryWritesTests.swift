import Foundation
import HTTP
import JSON
import MockCluster
import OpenAPI
import Testing

@Suite("Mock: the model registry, templates and consistent samples (reference part 4 §26–§28)")
struct RegistryWritesTests {
    @Test("a model is created, gets a version from experiment 2's checkpoint, is read back, patched; version and model deleted")
    func modelDay() async throws {
        try await withMock { m in
            let admin = try await m.login("admin")
            let user = try await m.login()
            var a = try await m.post("/api/v1/models", token: user, body: #"{"name": "det-model", "labels": ["a,b"], "metadata": null}"#)
            #expect(a.status == 200, "\(a.body)")
            let model = try #require(a.body["model"])
            #expect(model["userId"] == 0 && model["username"] == "determined" && model["workspaceId"] == 1, "PostModel's answer quirk")
            #expect(model["labels"] == ["a", "b"] && model["metadata"] == .object(JSONObject()) && model["numVersions"] == 0)
            let id = try #require(model["id"]?.intValue)
            for (body, error) in [
                (#"{"name": "det-model"}"#, "avoid names equal to other models (case-sensitive)"),
                (#"{"name": "  "}"#, "model names cannot be blank"), (#"{"name": "a  b"}"#, "model names cannot have excessive spacing"),
                (#"{"name": "a/b"}"#, "model names cannot have slashes"), (#"{"name": "123"}"#, "model names cannot be only numbers"),
                (#"{"name": "x", "workspaceName": "nope"}"#, "failed to get workspace nope: not found"),
            ] {
                #expect(try await m.post("/api/v1/models", token: user, body: body).error == error, "\(body)")
            }
            // By name and by id; the real owner now.
            a = try await m.get("/api/v1/models/det-model", token: user)
            #expect(a.body["model"]?["id"]?.intValue == id && a.body["model"]?["userId"] == 2)
            #expect(try await m.get("/api/v1/models/\(id)", token: user).body["model"]?["name"] == "det-model")
            #expect(try await m.get("/api/v1/models/nope", token: user).error == #"model "nope" not found"#)

            // A version from a checkpoint of experiment 2.
            let checkpoints = try await m.get("/api/v1/experiments/2/checkpoints", token: user).body["checkpoints"]?.arrayValue ?? []
            let uuid = try #require(checkpoints.first?["uuid"]?.stringValue)
            a = try await m.post("/api/v1/models/det-model/versions", token: user, body: #"{"checkpointUuid": "\#(uuid)"}"#)
            #expect(a.status == 200, "\(a.body)")
            let version = try #require(a.body["modelVersion"])
            #expect(version["version"] == 1 && version["lastUpdatedTime"] == .null && version["userId"] == 0)
            #expect(version["model"]?["numVersions"] == 0 && version["model"]?["workspaceId"] == 0, "the model before the insert")
            #expect(version["checkpoint"]?["training"]?["experimentId"] == 2)
            a = try await m.post("/api/v1/models/det-model/versions", token: user, body: #"{"checkpointUuid": "not-a-uuid"}"#)
            #expect(a.status == 500)
            a = try await m.post(
                "/api/v1/models/det-model/versions", token: user, body: #"{"checkpointUuid": "00000000-0000-4000-8000-000000000000"}"#)
            #expect(a.status == 404 && a.error == "checkpoint '00000000-0000-4000-8000-000000000000' not found")
            a = try await m.get("/api/v1/models/det-model/versions/1", token: user)
            #expect(a.body["modelVersion"]?["checkpoint"]?["uuid"]?.stringValue == uuid && a.body["modelVersion"]?["userId"] == 2)
            a = try await m.get("/api/v1/models/det-model/versions?orderBy=ORDER_BY_DESC", token: user)
            #expect(a.body["modelVersions"]?.arrayValue?.count == 1 && a.body["model"]?["numVersions"] == 1)
            #expect(
                try await m.get("/api/v1/models/det-model/versions/7", token: user).error == #"version 7 for model "det-model" not found"#)
            // Experiment 2's checkpoint is registered: it cannot be deleted now.
            a = try await m.send(.delete, "/api/v1/experiments/2", token: admin)
            #expect(a.status == 400 && a.error == "checkpoints are registered as model versions")

            // Patch: a change is answered from the partial row; the stored model is whole.
            a = try await m.send(
                .patch, "/api/v1/models/det-model", token: user, body: #"{"description": "better", "labels": ["x", 1, "x"]}"#)
            #expect(a.body["model"]?["description"] == "better" && a.body["model"]?["id"] == 0 && a.body["model"]?["labels"] == ["x"])
            a = try await m.get("/api/v1/models/\(id)", token: user)
            #expect(a.body["model"]?["description"] == "better" && a.body["model"]?["id"]?.intValue == id)
            a = try await m.send(.patch, "/api/v1/models/det-model", token: user, body: #"{"description": "better"}"#)
            #expect(a.body["model"]?["id"]?.intValue == id, "no change: the full model")
            #expect(try await m.post("/api/v1/models/det-model/archive", token: user).status == 200)
            a = try await m.send(.patch, "/api/v1/models/det-model", token: user, body: #"{"notes": "n"}"#)
            #expect(a.status == 500 && a.error == #"model "det-model" is archived and cannot have attributes updated"#)
            #expect(try await m.post("/api/v1/models/det-model/unarchive", token: user).status == 200)
            #expect(try await m.get("/api/v1/model/labels", token: user).body["labels"]?.arrayValue?.contains("x") == true)

            // Deletes: the admin's model is not the user's to delete; then the version, then the model.
            let admins = try await m.post("/api/v1/models", token: admin, body: #"{"name": "admins"}"#)
            #expect(admins.status == 200)
            a = try await m.send(.delete, "/api/v1/models/admins", token: user)
            #expect(a.status == 403 && a.error == "non-admin users may not delete other users' models access denied")
            #expect(try await m.send(.delete, "/api/v1/models/det-model/versions/1", token: user).status == 200)
            #expect(try await m.get("/api/v1/models/det-model/versions/1", token: user).status == 404)
            #expect(try await m.send(.delete, "/api/v1/models/det-model", token: user).status == 200)
            #expect(try await m.get("/api/v1/models/det-model", token: user).status == 404)
            let names = try await m.get("/api/v1/models?limit=0", token: user).body["models"]?.arrayValue?.compactMap(\.["name"])
            #expect(names?.contains("det-model") == false && names?.contains("admins") == true)
        }
    }

    @Test("a workspace with a model refuses deletion until the model moves; its templates go with it")
    func workspaceWithModels() async throws {
        try await withMock { m in
            let admin = try await m.login("admin")
            let ws = try #require(try await m.post("/api/v1/workspaces", token: admin, body: #"{"name": "w"}"#).body["workspace"]?["id"])
            #expect(try await m.post("/api/v1/models", token: admin, body: #"{"name": "mm", "workspaceId": \#(ws)}"#).status == 200)
            #expect(try await m.post("/api/v1/templates/tt", token: admin, body: #"{"config": {}, "workspaceId": \#(ws)}"#).status == 200)
            var a = try await m.send(.delete, "/api/v1/workspaces/\(ws)", token: admin)
            #expect(a.status == 400 && a.error == "workspace (\(ws)) contains models; move or delete models first")
            a = try await m.post("/api/v1/models/mm/move", token: admin, body: #"{"modelName": "mm", "destinationWorkspaceId": 1}"#)
            #expect(a.status == 200)
            #expect(try await m.send(.delete, "/api/v1/workspaces/\(ws)", token: admin).status == 200)
            #expect(try await m.get("/api/v1/templates/tt", token: admin).error == "template 'tt' not found")
            #expect(try await m.get("/api/v1/models/mm", token: admin).body["model"]?["workspaceId"] == 1)
        }
    }

    @Test("templates: create, read, list by name, patch config, put, rename, delete, with the master's 404s and 500s")
    func templates() async throws {
        try await withMock { m in
            let t = try await m.login()
            var a = try await m.post(
                "/api/v1/templates/gpu", token: t, body: #"{"name": "ignored", "config": {"resources": {"slots_per_trial": 2}}}"#)
            #expect(a.body["template"] == ["name": "gpu", "config": ["resources": ["slots_per_trial": 2]], "workspaceId": 1])
            a = try await m.post("/api/v1/templates/gpu", token: t, body: #"{"config": {}}"#)
            #expect(a.status == 500 && a.error?.contains("templates_pkey") == true)
            a = try await m.post("/api/v1/templates/other", token: t, body: #"{"workspaceId": 999}"#)
            #expect(a.status == 404 && a.error == "workspace '999' not found")
            #expect(try await m.get("/api/v1/templates/gpu", token: t).body["template"]?["config"]?["resources"]?["slots_per_trial"] == 2)
            #expect(try await m.get("/api/v1/templates/GPU", token: t).error == "template 'GPU' not found")
            a = try await m.get("/api/v1/templates?name=GP", token: t)
            #expect(a.body["templates"]?.arrayValue?.compactMap(\.["name"]) == ["gpu", "gpu-defaults"])
            a = try await m.send(.patch, "/api/v1/templates/gpu", token: t, body: #"{"description": "d"}"#)
            #expect(a.body["template"]?["config"] == ["description": "d"], "the body replaces the whole config")
            #expect(try await m.send(.patch, "/api/v1/templates/nope", token: t, body: "{}").error == "not found")
            a = try await m.send(.put, "/api/v1/templates/fresh", token: t, body: #"{"config": {"a": 1}}"#)
            #expect(a.body["template"]?["workspaceId"] == 0, "a new template answered as sent")
            #expect(try await m.get("/api/v1/templates/fresh", token: t).body["template"]?["workspaceId"] == 1)
            a = try await m.send(.patch, "/api/v1/template/rename", token: t, body: #"{"oldName": "fresh", "newName": "renamed"}"#)
            #expect(a.body["template"]?["name"] == "renamed")
            #expect(try await m.send(.delete, "/api/v1/templates/renamed", token: t).status == 200)
            #expect(try await m.send(.delete, "/api/v1/templates/renamed", token: t).error == "not found")
        }
    }

    @Test(
        "full spec: GetModel of a listed model, GetTrialCheckpoints of a trial, PatchUser of nobody, and samples that agree",
        .enabled(
            if: FileManager.default.fileExists(atPath: ContractTests.fullSpecPath),
            "../shared/specs/determined-0.38.1.swagger.json not found; skipped"))
    func fullSpec() async throws {
        let model = try SpecLoader.load(path: ContractTests.fullSpecPath)
        try await withMock({ $0.spec = model }) { m in
            let t = try await m.login("admin")
            let listed = try #require(try await m.get("/api/v1/models?limit=1", token: t).body["models"]?[0])
            let name = try #require(listed["name"]?.stringValue)
            var a = try await m.get("/api/v1/models/\(name)", token: t)
            #expect(a.body["model"]?["name"]?.stringValue == name && a.body["model"]?["id"] == listed["id"])
            #expect(a.response.headers["X-Detapi-Mock"] == "modelled")

            let trial = try #require(try await m.get("/api/v1/experiments/2", token: t).body["experiment"]?["trialIds"]?[0]?.intValue)
            a = try await m.get("/api/v1/trials/\(trial)/checkpoints", token: t)
            let checkpoints = try #require(a.body["checkpoints"]?.arrayValue)
            #expect(!checkpoints.isEmpty)
            for c in checkpoints {
                #expect(c["training"]?["trialId"]?.intValue == trial && c["training"]?["experimentId"] == 2)
                #expect((c["training"]?["experimentConfig"]?.objectValue?.count ?? 0) > 0, "the SDK asserts experimentConfig")
            }
            #expect(try await m.send(.patch, "/api/v1/users/99999", token: t, body: #"{"displayName": "x"}"#).status == 404)

            // Sampled answers: marked so; the path's values echoed at any depth; a known object's identity and parents.
            let uuid = try #require(checkpoints.first?["uuid"]?.stringValue)
            a = try await m.get("/api/v1/checkpoints/\(uuid)/metrics", token: t)
            #expect(a.status == 200 && a.response.headers["X-Detapi-Mock"] == "sampled", "\(a.status) \(a.body)")
            let metrics = a.body["metrics"]?.arrayValue ?? []
            #expect(!metrics.isEmpty && metrics.allSatisfy { $0["trialId"]?.intValue == trial }, "the checkpoint's own trial in every row")
            a = try await m.get("/api/v1/checkpoints/00000000-0000-4000-8000-000000000000/metrics", token: t)
            #expect(a.status == 404 && a.error == "checkpoint '00000000-0000-4000-8000-000000000000' not found")
            a = try await m.get("/api/v1/tasks/\(trial).x/acceleratorData", token: t)
            #expect(
                a.status == 200 && a.body["acceleratorData"]?.arrayValue?.allSatisfy { $0["taskId"]?.stringValue == "\(trial).x" } == true)
            a = try await m.send(.patch, "/api/v1/trials/\(trial)", token: t, body: #"{"trialId": \#(trial)}"#)
            #expect(a.response.headers["X-Detapi-Mock"] == "sampled" && a.body["trial"]?["id"]?.intValue == trial)
            #expect(a.body["trial"]?["experimentId"] == 2, "the trial's real experiment")
            a = try await m.send(.patch, "/api/v1/trials/99999", token: t, body: #"{"trialId": 99999}"#)
            #expect(a.status == 404 && a.error == "trial '99999' not found", "a write naming a trial that does not exist")
        }
    }
}

@Suite("Mock docs")
struct MockDocsTests {
    /// `Archive/UnarchiveModel` names ArchiveModel and UnarchiveModel; a plain word names itself.
    static func names(_ word: Substring) -> [String] {
        let parts = word.split(separator: "/").map(String.init)
        guard parts.count > 1, let last = parts.last,
            let nounStart = last.indices.dropFirst().first(where: { last[$0].isUppercase })
        else { return parts }
        let noun = last[nounStart...]
        // Only a bare verb takes the noun: `ArchiveExperiment/UnarchiveExperiment` names itself.
        return parts.dropLast().map { $0.dropFirst().contains(where: \.isUppercase) ? $0 : $0 + noun } + [last]
    }

    @Test("docs/mock.md's tables name every operation the mock models")
    func everyModelledOperationDocumented() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/mock.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let table = text.split(separator: "\n").filter { $0.hasPrefix("| ") }.joined(separator: "\n")
        let words = Set(table.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "/" }).flatMap(Self.names))
        let missing = MockServer.modelledOperationIDs.filter { !words.contains($0) }
        #expect(MockServer.modelledOperationIDs.count >= 80)
        #expect(missing.isEmpty, "not in docs/mock.md's tables: \(missing)")
    }
}

@Suite("Mock: webhooks (part 4 §29)")
struct WebhookTests {
    static let trigger = #"[{"triggerType": "TRIGGER_TYPE_EXPERIMENT_STATE_CHANGE", "condition": {"state": "COMPLETED"}}]"#

    @Test("PostWebhook's checks in the master's order; the answer in its field order; DeleteWebhook of an unknown id is a 500")
    func checks() async throws {
        try await withMock { m in
            let t = try await m.login("admin")
            func post(_ body: String) async throws -> MockHarness.Answer { try await m.post("/api/v1/webhooks", token: t, body: body) }
            #expect(
                try await post(#"{"url": "http://x/", "workspaceId": 999, "triggers": \#(Self.trigger)}"#).error
                    == "sql: no rows in result set")
            #expect(
                try await post(#"{"url": "http://x/", "webhookType": "WEBHOOK_TYPE_DEFAULT"}"#).error == "at least one trigger required")
            let badURL = try await post(#"{"url": "juliet-574", "webhookType": "WEBHOOK_TYPE_DEFAULT", "triggers": \#(Self.trigger)}"#)
            #expect(badURL.status == 400 && badURL.error == "valid url required")
            let log = try await post(
                #"{"url": "http://x/", "webhookType": "WEBHOOK_TYPE_DEFAULT", "triggers": [{"triggerType": "TRIGGER_TYPE_TASK_LOG", "condition": {"a": 1}}]}"#
            )
            #expect(log.error == "webhook task log condition must have key 'regex' got map[a:1]")
            let custom = try await post(
                #"{"url": "http://x/", "webhookType": "WEBHOOK_TYPE_DEFAULT", "triggers": [{"triggerType": "TRIGGER_TYPE_CUSTOM", "condition": {}}]}"#
            )
            #expect(custom.error == "custom trigger only works on webhook with mode 'SPECIFIC'. Got WEBHOOK_MODE_WORKSPACE")
            let unset = try await post(#"{"url": "http://x/", "triggers": \#(Self.trigger)}"#)
            #expect(unset.status == 500 && unset.error == "missing mapping for webhook type WEBHOOK_TYPE_UNSPECIFIED to SQL")
            let made = try await post(
                #"{"url": "http://127.0.0.1:9/x", "webhookType": "WEBHOOK_TYPE_DEFAULT", "name": "w", "workspaceId": 1, "triggers": \#(Self.trigger)}"#
            )
            #expect(made.status == 200, "\(made.body)")
            let hook = try #require(made.body["webhook"])
            #expect(hook.objectValue?.keys == ["id", "url", "triggers", "webhookType", "name", "workspaceId", "mode"])
            #expect(hook["mode"] == "WEBHOOK_MODE_WORKSPACE" && hook["triggers"]?[0]?["webhookId"] == hook["id"])
            #expect(hook["triggers"]?[0]?.objectValue?.keys == ["id", "triggerType", "condition", "webhookId"])
            let again = try await post(
                #"{"url": "http://127.0.0.1:9/x", "webhookType": "WEBHOOK_TYPE_DEFAULT", "name": "w", "workspaceId": 1, "triggers": \#(Self.trigger)}"#
            )
            #expect(again.status == 500 && (again.error ?? "").contains("name_workspace_key"))
            let id = try #require(hook["id"]?.intValue)
            #expect(
                (try await m.get("/api/v1/webhooks", token: t).body["webhooks"]?.arrayValue ?? []).contains { $0["id"]?.intValue == id })
            #expect(try await m.send(.delete, "/api/v1/webhooks/\(id)", token: t).status == 200)
            #expect(try await m.get("/api/v1/webhooks", token: t).body["webhooks"] == [])
            #expect(try await m.send(.delete, "/api/v1/webhooks/\(id)", token: t).error == "sql: no rows in result set")
        }
    }

    @Test("a workspace that still has a webhook: DeleteWorkspace answers 200 and leaves it DELETE_FAILED; without the webhook it goes")
    func workspaceDeleteFails() async throws {
        try await withMock { m in
            let t = try await m.login("admin")
            let w = try #require(
                try await m.post("/api/v1/workspaces", token: t, body: #"{"name": "hooked"}"#).body["workspace"]?["id"]?.intValue)
            let hook = try await m.post(
                "/api/v1/webhooks", token: t,
                body: #"{"url": "/x", "webhookType": "WEBHOOK_TYPE_SLACK", "workspaceId": \#(w), "triggers": \#(Self.trigger)}"#)
            let hookID = try #require(hook.body["webhook"]?["id"]?.intValue)
            #expect(try await m.send(.delete, "/api/v1/workspaces/\(w)", token: t).status == 200)
            let failed = try await m.get("/api/v1/workspaces/\(w)", token: t).body["workspace"]
            #expect(failed?["state"] == "WORKSPACE_STATE_DELETE_FAILED")
            #expect((failed?["errorMessage"]?.stringValue ?? "").contains("webhooks_workspace_id_fkey"))
            #expect(try await m.send(.delete, "/api/v1/webhooks/\(hookID)", token: t).status == 200)
            #expect(try await m.send(.delete, "/api/v1/workspaces/\(w)", token: t).status == 200)
            #expect(try await m.get("/api/v1/workspaces/\(w)", token: t).status == 404)
        }
    }
}
