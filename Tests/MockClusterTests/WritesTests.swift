import Foundation
import HTTP
import JSON
import MockCluster
import Testing

@Suite("Mock: a user's day of writes (reference §22–§25), against the built-in spec")
struct WritesTests {
    @Test("workspace → project → move experiment 2 there and back → archive and delete; deletes take their experiments")
    func workspacesAndProjects() async throws {
        try await withManualClock { m, clock, admin in
            var a = try await m.post("/api/v1/workspaces", token: admin, body: #"{"name": "ws-a"}"#)
            #expect(a.status == 200, "\(a.body)")
            let ws = try #require(a.body["workspace"]?["id"]?.intValue)
            #expect(a.body["workspace"]?["name"] == "ws-a" && a.body["workspace"]?["pinned"] == true)
            #expect(a.body["workspace"]?["pinnedAt"] == nil && a.body["namespaceBindings"] == .object(JSONObject()))
            a = try await m.get("/api/v1/workspaces/\(ws)", token: admin)
            #expect(
                a.status == 200 && a.body["workspace"]?["state"] == "WORKSPACE_STATE_UNSPECIFIED" && a.body["workspace"]?["pinnedAt"] != nil
            )
            a = try await m.post("/api/v1/workspaces", token: admin, body: #"{"name": "ws-a"}"#)
            #expect(a.status == 409 && a.error == "avoid names equal to other workspaces (case-insensitive)")
            a = try await m.post("/api/v1/workspaces/\(ws)/projects", token: admin, body: #"{"name": "proj", "workspaceId": 999}"#)
            #expect(a.status == 200, "\(a.body)")
            let project = try #require(a.body["project"]?["id"]?.intValue)
            #expect(a.body["project"]?["workspaceId"]?.intValue == ws, "the path id wins over the body's")
            // …but the body is decoded first: a word in an integer field is a 400 even when the path overrides it,
            // while a number in a string ("5") is an integer to jsonpb.
            let word = try await m.post("/api/v1/workspaces/\(ws)/projects", token: admin, body: #"{"name": "p2", "workspaceId": "x"}"#)
            #expect(word.status == 400, "\(word.body)")
            let quoted = try await m.post("/api/v1/workspaces/\(ws)/projects", token: admin, body: #"{"name": "p3", "workspaceId": "5"}"#)
            #expect(quoted.status == 200, "\(quoted.body)")
            if let p3 = quoted.body["project"]?["id"]?.intValue {
                #expect(try await m.send(.delete, "/api/v1/projects/\(p3)", token: admin).status == 200)
            }
            #expect(a.body["project"]?["workspaceName"] == "" && a.body["project"]?["key"]?.stringValue?.hasPrefix("PRO") == true)

            // An archived experiment cannot move (the seed's experiment 2 is archived): unarchive it first.
            a = try await m.post("/api/v1/experiments/2/move", token: admin, body: #"{"destinationProjectId": \#(project)}"#)
            #expect(a.status == 500 && a.error == "experiment (2) is archived and cannot be moved")
            #expect(try await m.post("/api/v1/experiments/2/unarchive", token: admin).status == 200)
            // Move experiment 2 there: GetExperiment and the counts follow.
            let before = try await m.get("/api/v1/experiments/2", token: admin).body["experiment"]?["projectId"]?.intValue
            a = try await m.post("/api/v1/experiments/2/move", token: admin, body: #"{"destinationProjectId": \#(project)}"#)
            #expect(a.status == 200 && a.body == .object(JSONObject()), "\(a.body)")
            a = try await m.get("/api/v1/experiments/2", token: admin)
            #expect(a.body["experiment"]?["projectId"]?.intValue == project && a.body["experiment"]?["workspaceId"]?.intValue == ws)
            #expect(try await m.get("/api/v1/projects/\(project)", token: admin).body["project"]?["numExperiments"] == 1)
            a = try await m.post("/api/v1/experiments/2/move", token: admin, body: #"{"destinationProjectId": 99999}"#)
            #expect(a.status == 404 && a.error == "project '99999' not found")
            a = try await m.post("/api/v1/experiments/2/move", token: admin, body: #"{"destinationProjectId": \#(before ?? 1)}"#)
            #expect(a.status == 200)
            #expect(try await m.get("/api/v1/experiments/2", token: admin).body["experiment"]?["projectId"]?.intValue == before)

            // Archived: moves refused with the master's 500s; archive is idempotent.
            #expect(try await m.post("/api/v1/projects/\(project)/archive", token: admin).status == 200)
            #expect(try await m.post("/api/v1/projects/\(project)/archive", token: admin).status == 200)
            a = try await m.post("/api/v1/experiments/2/move", token: admin, body: #"{"destinationProjectId": \#(project)}"#)
            #expect(a.status == 500 && a.error == "project (\(project)) is archived and cannot add new experiments")
            a = try await m.send(.patch, "/api/v1/projects/\(project)", token: admin, body: #"{"name": "x"}"#)
            #expect(a.status == 500 && a.error == "project (\(project)) is archived and cannot have attributes updated")
            #expect(try await m.post("/api/v1/projects/\(project)/unarchive", token: admin).status == 200)

            // A project with an experiment is deleted asynchronously, with it.
            _ = try await m.post("/api/v1/experiments/2/move", token: admin, body: #"{"destinationProjectId": \#(project)}"#)
            a = try await m.send(.delete, "/api/v1/projects/\(project)", token: admin)
            #expect(a.status == 200 && a.body == ["completed": false])
            a = try await m.get("/api/v1/projects/\(project)", token: admin)
            #expect(a.status == 200 && a.body["project"]?["state"] == "WORKSPACE_STATE_UNSPECIFIED", "GetProject's double-prefix quirk")
            a = try await m.get("/api/v1/workspaces/\(ws)/projects", token: admin)
            #expect(a.body["projects"]?[0]?["state"] == "WORKSPACE_STATE_DELETING")
            clock.advance(by: 3)
            #expect(try await m.get("/api/v1/projects/\(project)", token: admin).error == "project '\(project)' not found")
            #expect(try await m.get("/api/v1/experiments/2", token: admin).status == 404, "the experiment went with its project")

            // The workspace: archive, then delete (an archived workspace may be deleted); lists follow.
            #expect(try await m.post("/api/v1/workspaces/\(ws)/archive", token: admin).status == 200)
            a = try await m.post("/api/v1/workspaces/\(ws)/projects", token: admin, body: #"{"name": "late"}"#)
            #expect(a.status == 500 && a.error == "workspace (\(ws)) is archived and cannot add new projects")
            a = try await m.send(.delete, "/api/v1/workspaces/\(ws)", token: admin)
            #expect(a.status == 200 && a.body == ["completed": true])
            a = try await m.get("/api/v1/workspaces/\(ws)", token: admin)
            #expect(a.status == 404 && a.error == "workspace '\(ws)' not found")
            let names = try await m.get("/api/v1/workspaces", token: admin).body["workspaces"]?.arrayValue?.compactMap {
                $0["name"]?.stringValue
            }
            #expect(names?.contains("ws-a") == false)
            // Uncategorized holds seeded models: the master checks models before immutability (§22.7 rows 3–4).
            a = try await m.send(.delete, "/api/v1/workspaces/1", token: admin)
            #expect(a.status == 400 && a.error == "workspace (1) contains models; move or delete models first")
        }
    }

    @Test("a user is created, logs in, is deactivated (its login refused with the real text), reactivated")
    func users() async throws {
        try await withMock { m in
            let admin = try await m.login("admin")
            let determined = try await m.login()
            let body = #"{"user": {"username": "alice", "active": true}, "password": "Passw0rd!", "isHashed": false}"#
            var a = try await m.post("/api/v1/users", token: determined, body: body)
            #expect(a.status == 403 && a.error == "only admin privileged users can create users")
            a = try await m.post("/api/v1/users", token: admin, body: body)
            #expect(a.status == 200 && a.body["user"]?["username"] == "alice" && a.body["user"]?["active"] == true, "\(a.body)")
            let id = try #require(a.body["user"]?["id"]?.intValue)
            a = try await m.post("/api/v1/users", token: admin, body: body)
            #expect(a.status == 500 && a.error == "code=400, message=user already exists")
            let alice = try await m.login("alice", password: "Passw0rd!")
            #expect(try await m.get("/api/v1/users/alice/by-username", token: alice).body["user"]?["id"]?.intValue == id)
            a = try await m.send(.patch, "/api/v1/users/\(id)", token: alice, body: #"{"displayName": "Alice A"}"#)
            #expect(a.status == 200 && a.body["user"]?["displayName"] == "Alice A")
            a = try await m.send(.patch, "/api/v1/users/\(id)", token: alice, body: #"{"active": false}"#)
            #expect(a.status == 403 && a.error == "only admin privileged users can update users")
            a = try await m.send(.patch, "/api/v1/users/\(id)", token: admin, body: #"{"active": false}"#)
            #expect(a.status == 200 && a.body["user"]?["active"] == false)
            a = try await m.post("/api/v1/auth/login", body: #"{"username": "alice", "password": "Passw0rd!"}"#)
            #expect(a.status == 403 && a.error == "user is not active")
            #expect(try await m.get("/api/v1/me", token: alice).error == "user does not have permission")
            a = try await m.send(.patch, "/api/v1/users/99999", token: admin, body: #"{"active": true}"#)
            #expect(a.status == 404 && a.error == "user not found")
            a = try await m.send(.patch, "/api/v1/users", token: admin, body: #"{"userIds": [\#(id), 99999], "activate": true}"#)
            #expect(a.status == 200 && a.body["results"]?.arrayValue?.count == 2)
            #expect(try await m.get("/api/v1/me", token: alice).status == 200, "the old session works again")
            a = try await m.send(.post, "/api/v1/users/\(id)/password", token: admin, body: #""N3wPassword""#)
            #expect(a.status == 200)
            #expect(try await m.get("/api/v1/me", token: alice).error == "invalid credentials", "a password change ends sessions")
            _ = try await m.login("alice", password: "N3wPassword")
            let users = try await m.get("/api/v1/users", token: admin).body["users"]?.arrayValue?.count
            #expect(users == 3, "nothing else was created or deleted")
        }
    }

    @Test("routes: literal segments win (time-series, users/setting), /health answers, answers say modelled or sampled")
    func routes() async throws {
        try await withMock { m in
            let t = try await m.login()
            for path in ["/api/v1/trials/time-series", "/api/v1/users/setting"] {
                let a = try await m.get(path, token: t)
                #expect(a.error?.contains("strconv.ParseInt") != true, "\(path) is not GetTrial's or GetUser's: \(a.status) \(a.body)")
            }
            let health = try await m.get("/health")
            #expect(health.status == 200 && health.body["status"] == "up")
            let me = try await m.get("/api/v1/me", token: t)
            #expect(me.response.headers["X-Detapi-Mock"] == "modelled")
        }
    }

    @Test("--fail-rate with a --seed fails the same requests in two runs")
    func seededFaults() async throws {
        func run() async throws -> [Int] {
            var statuses: [Int] = []
            try await withMock({
                $0.failRate = 0.3
                $0.seed = 7
            }) { m in
                for i in 0..<40 { statuses.append(try await m.get("/api/v1/master?n=\(i % 7)").status) }
            }
            return statuses
        }
        let first = try await run()
        #expect(first.contains { $0 != 200 } && first.contains(200))
        #expect(try await run() == first)
    }
}
