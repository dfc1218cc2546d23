import Foundation
import HTTP
import JSON
import MockCluster
import Testing

@Suite("Mock: experiments (reference §4–6, §9, §11)")
struct ExperimentTests {
    func page(_ m: MockHarness, _ token: String, _ query: String) async throws -> (ids: [Int], pagination: JSONValue) {
        let a = try await m.get("/api/v1/experiments?" + query, token: token)
        #expect(a.status == 200, "\(query): \(a.body)")
        return ((a.body["experiments"]?.arrayValue ?? []).compactMap { $0["id"]?.intValue }, a.body["pagination"] ?? .null)
    }

    @Test("pagination arithmetic: limit 0/-1/-2, offsets negative and out of range")
    func pagination() async throws {
        try await withMock({ $0.experiments = 150 }) { m in
            let t = try await m.login()
            var (ids, p) = try await page(m, t, "")
            #expect(ids.count == 100 && ids.first == 1)
            #expect(p == ["offset": 0, "limit": 0, "startIndex": 0, "endIndex": 100, "total": 150])
            (ids, p) = try await page(m, t, "limit=-1")
            #expect(ids.count == 150 && p["endIndex"] == 150)
            (ids, p) = try await page(m, t, "limit=-2")
            #expect(ids.isEmpty && p == ["offset": 0, "limit": -2, "startIndex": 0, "endIndex": 0, "total": 150])
            (ids, p) = try await page(m, t, "offset=-10&limit=5")
            #expect(ids == [141, 142, 143, 144, 145] && p["startIndex"] == 140)
            (ids, p) = try await page(m, t, "offset=500&limit=5")
            #expect(ids.isEmpty && p["startIndex"] == 150 && p["endIndex"] == 150 && p["offset"] == 500)
            (ids, p) = try await page(m, t, "offset=-500")
            #expect(ids.isEmpty && p["startIndex"] == 150)
            (ids, p) = try await page(m, t, "offset=148&limit=10")
            #expect(ids == [149, 150] && p["endIndex"] == 150)
            (ids, _) = try await page(m, t, "limit=3&orderBy=ORDER_BY_DESC")
            #expect(ids == [150, 149, 148])
            (ids, _) = try await page(m, t, "limit=3&sort_by=SORT_BY_ID&order_by=2")
            #expect(ids == [150, 149, 148], "proto names and enum numbers work too")
        }
    }

    @Test("filters: archived, states (DB states only), users, userIds, labels, id filters")
    func filters() async throws {
        try await withMock { m in
            let t = try await m.login()
            let all = try await m.get("/api/v1/experiments?limit=-1", token: t).body["experiments"]?.arrayValue ?? []
            let archived = all.filter { $0["archived"] == true }.compactMap { $0["id"]?.intValue }
            #expect(!archived.isEmpty && archived.count < all.count)
            #expect(try await page(m, t, "archived=true&limit=-1").ids == archived)
            #expect(try await page(m, t, "archived=false&limit=-1").ids.count == all.count - archived.count)
            let bad = try await m.get("/api/v1/experiments?archived=yes", token: t)
            #expect(bad.status == 400 && bad.error == "bad BoolValue: yes")
            let completed = all.filter { $0["state"] == "STATE_COMPLETED" }.count
            #expect(try await page(m, t, "states=STATE_COMPLETED&limit=-1").ids.count == completed)
            #expect(try await page(m, t, "states=STATE_RUNNING&limit=-1").ids.isEmpty, "API-only states never match (DET-9567)")
            let both = try await page(m, t, "states=STATE_COMPLETED&states=STATE_ERROR&limit=-1").ids.count
            #expect(both == completed + all.filter { $0["state"] == "STATE_ERROR" }.count)
            let badState = try await m.get("/api/v1/experiments?states=STATE_SLEEPING", token: t)
            #expect(badState.status == 400 && badState.error == "STATE_SLEEPING is not a valid experimentv1.State")
            let admins = all.filter { $0["username"] == "admin" }.count
            #expect(try await page(m, t, "users=admin&limit=-1").ids.count == admins)
            #expect(try await page(m, t, "userIds=1&limit=-1").ids.count == admins)
            #expect(try await page(m, t, "experimentIdFilter.gte=10&experimentIdFilter.lt=13").ids == [10, 11, 12])
            #expect(try await page(m, t, "experiment_id_filter.incl=5&experiment_id_filter.incl=7").ids == [5, 7])
            let labelled = all.filter { $0["labels"]?.arrayValue?.contains("nightly") == true }.count
            #expect(try await page(m, t, "labels=nightly&limit=-1").ids.count == labelled)
            let badLimit = try await m.get("/api/v1/experiments?limit=", token: t)
            #expect(badLimit.status == 400 && badLimit.error == #"strconv.ParseInt: parsing "": invalid syntax"#)
            #expect(try await page(m, t, "limit=0x2").ids == [1, 2], "integers parse as Go's ParseInt(v, 0, 32)")
            let noProject = try await m.get("/api/v1/experiments?projectId=99", token: t)
            #expect(noProject.status == 404 && noProject.error == "project '99' not found")
            let escape = try await m.get("/api/v1/experiments?name=%zz")
            #expect(escape.status == 400 && escape.error == #"invalid URL escape "%zz""#, "query errors come before authentication")
        }
    }

    @Test("archive and unarchive: preconditions in order, exact messages")
    func archive() async throws {
        try await withMock { m in
            let t = try await m.login()
            // Seeded: 1 COMPLETED, 2 COMPLETED+archived, 3 ACTIVE, 4 PAUSED.
            #expect(try await m.post("/api/v1/experiments/2/archive", token: t).error == "Experiment is already archived.")
            #expect(try await m.post("/api/v1/experiments/1/unarchive", token: t).error == "Experiment is not archived.")
            let running = try await m.post("/api/v1/experiments/3/archive", token: t)
            #expect(running.status == 400 && running.error == "Experiment is not in terminal state.")
            #expect(running.body["error"]?["code"] == 9)
            let missing = try await m.post("/api/v1/experiments/9999/archive", token: t)
            #expect(missing.status == 404 && missing.error == "experiment '9999' not found")
            let ok = try await m.post("/api/v1/experiments/2/unarchive", token: t)
            #expect(ok.status == 200 && ok.body == [:])
            #expect(try await m.get("/api/v1/experiments/2", token: t).body["experiment"]?["archived"] == false)
            #expect(try await m.post("/api/v1/experiments/2/archive", token: t).status == 200)
            #expect(
                try await m.get("/api/v1/experiments/abc", token: t).error?.hasPrefix("type mismatch, parameter: experiment_id") == true)
            let bulk = try await m.post("/api/v1/projects/1/experiments/archive", token: t, body: #"{"experimentIds":[1,2,9999]}"#)
            let results = bulk.body["results"]?.arrayValue ?? []
            #expect(bulk.status == 200 && results.count == 3)
            // Rejected ids first, then unknown ones, then the accepted.
            #expect(results.map { $0["id"]?.intValue ?? 0 } == [2, 9999, 1])
            #expect(results[0]["error"] == "rpc error: code = FailedPrecondition desc = Experiment is already archived.")
            #expect(results[1]["error"] == "rpc error: code = NotFound desc = experiment '9999' not found")
            #expect(results[2]["error"] == "")
            // With filters the ids are ignored and only eligible experiments are touched: every result succeeds.
            let filtered = try await m.post(
                "/api/v1/projects/1/experiments/unarchive", token: t,
                body: #"{"experimentIds":[3],"filters":{"excludedExperimentIds":[1]}}"#)
            let unarchived = filtered.body["results"]?.arrayValue ?? []
            #expect(!unarchived.isEmpty && unarchived.allSatisfy { $0["error"] == "" })
            #expect(!unarchived.contains { $0["id"] == 1 || $0["id"] == 3 })
            #expect(try await m.get("/api/v1/experiments/2", token: t).body["experiment"]?["archived"] == false)
        }
    }

    @Test("lifecycle: kill and cancel move through STOPPING_* to CANCELED; pause/activate; delete then 404")
    func lifecycle() async throws {
        // The mock's clock moves only when the test says: STOPPING_* lasts until it is advanced past the delay.
        try await withManualClock { m, clock, t in
            #expect(try await m.post("/api/v1/experiments/4/activate", token: t).status == 200)
            #expect(try await m.post("/api/v1/experiments/4/pause", token: t).status == 200)
            #expect(try await m.get("/api/v1/experiments/4", token: t).body["experiment"]?["state"] == "STATE_PAUSED")
            #expect(try await m.post("/api/v1/experiments/3/kill", token: t).status == 200)
            let stopping = try await m.get("/api/v1/experiments/3", token: t).body["experiment"]
            #expect(stopping?["state"] == "STATE_STOPPING_KILLED")
            #expect(stopping?["endTime"] == .null)
            #expect(try await m.post("/api/v1/experiments/3/pause", token: t).error == "experiment in incompatible state STOPPING_KILLED")
            clock.advance(by: 1.9)
            #expect(try await m.get("/api/v1/experiments/3", token: t).body["experiment"]?["state"] == "STATE_STOPPING_KILLED")
            clock.advance(by: 0.2)
            let done = try await m.get("/api/v1/experiments/3", token: t).body["experiment"]
            #expect(done?["state"] == "STATE_CANCELED")
            #expect(done?["endTime"]?.stringValue != nil)
            #expect(try await m.post("/api/v1/experiments/3/kill", token: t).status == 200, "kill of a terminal experiment is a no-op")
            #expect(try await m.post("/api/v1/experiments/3/pause", token: t).error == "experiment in terminal state")
            #expect(try await m.post("/api/v1/experiments/3/activate", token: t).status == 404)
            let del = try await m.send(.delete, "/api/v1/experiments/3", token: t)
            #expect(del.status == 200 && del.body == [:])
            #expect(try await m.get("/api/v1/experiments/3", token: t).body["experiment"]?["state"] == "STATE_DELETING")
            #expect(try await m.send(.delete, "/api/v1/experiments/4", token: t).error == "cannot delete experiment in STATE_PAUSED state")
            clock.advance(by: 2.1)
            let gone = try await m.get("/api/v1/experiments/3", token: t)
            #expect(gone.error == "experiment '3' not found")
            let user = try await m.login("determined")
            let notOwner = try await m.send(.delete, "/api/v1/experiments/6", token: user)
            #expect(notOwner.status == 403 && notOwner.error == "non admin users may not delete other user's experiments")
        }
    }

    @Test("gateway: unknown routes and wrong methods 501, trailing slash stripped, /api/v1 is echo's 404")
    func gateway() async throws {
        try await withMock { m in
            let t = try await m.login()
            let unknown = try await m.get("/api/v1/nothing/here", token: t)
            #expect(
                unknown.status == 501 && unknown.body == ["error": ["code": 12, "reason": "Unimplemented", "error": "Not Implemented"]])
            #expect(try await m.get("/api/v1/experiments/1/kill", token: t).status == 501)
            #expect(try await m.send(.head, "/api/v1/master").status == 501)
            #expect(try await m.send(.options, "/api/v1/master").status == 501)
            #expect(try await m.get("/api/v1/users/", token: t).status == 200)
            #expect(try await m.get("/api/v1/users/1:x", token: t).status == 501)
            let root = try await m.get("/api/v1")
            #expect(root.status == 404 && root.body == ["message": "api not found: GET /api/v1"])
            let ok = try await m.get("/api/v1/master")
            #expect(ok.response.headers["Grpc-Metadata-Content-Type"] == "application/grpc")
            #expect(ok.response.headers["X-Content-Type-Options"] == "nosniff")
            #expect(!ok.response.bodyText.hasSuffix("\n"))
            #expect(unknown.response.headers["Grpc-Metadata-Content-Type"] == nil)
            let info = try await m.get("/info")
            #expect(info.response.headers["Content-Type"] == "application/json; charset=UTF-8")
            #expect(info.body.objectValue?.keys == ["version", "master_id", "cluster_id", "cluster_name", "telemetry", "sso_providers"])
            #expect(try await m.get("/api/v1/master?pretty").response.bodyText.contains("\n    \"version\""))
        }
    }
}

extension ExperimentTests {
    @Test("CreateExperiment: paused unless activated, no trials, so a kill ends it in the request and it can be deleted")
    func createKillDelete() async throws {
        try await withManualClock { m, clock, t in
            let config = #"name: scratch-exp\nentrypoint: \"true\"\nsearcher: {name: single, metric: loss}\nlabels: [a]\n"#
            let made = try await m.post(
                "/api/v1/experiments", token: t, body: #"{"config": "\#(config)", "projectId": 1, "activate": false}"#)
            #expect(made.status == 200, "\(made.body)")
            let e = made.body["experiment"]
            let id = try #require(e?["id"]?.intValue)
            #expect(e?["state"] == "STATE_PAUSED" && e?["name"] == "scratch-exp" && e?["numTrials"] == 0 && e?["labels"] == ["a"])
            #expect(made.body["config"]?.objectValue != nil)
            let listed = try await m.get("/api/v1/experiments?projectId=1&limit=0", token: t).body["experiments"]?.arrayValue ?? []
            #expect(listed.contains { $0["id"]?.intValue == id })
            // No live trials: stop() runs inside the kill, so the answer already finds it CANCELED (§11.3).
            #expect(try await m.post("/api/v1/experiments/\(id)/kill", token: t).status == 200)
            #expect(try await m.get("/api/v1/experiments/\(id)", token: t).body["experiment"]?["state"] == "STATE_CANCELED")
            #expect(try await m.send(.delete, "/api/v1/experiments/\(id)", token: t).status == 200)
            clock.advance(by: 2.1)
            #expect(try await m.get("/api/v1/experiments/\(id)", token: t).status == 404)
        }
    }

    @Test("CreateExperiment refuses what a master would: a config that is not a mapping, no entrypoint, an unknown project")
    func createRefusals() async throws {
        try await withMock { m in
            let t = try await m.login("admin")
            let notMapping = try await m.post("/api/v1/experiments", token: t, body: #"{"config": "- a\n- b"}"#)
            #expect(notMapping.status == 400 && (notMapping.error ?? "").hasPrefix("invalid experiment configuration"))
            let noEntrypoint = try await m.post("/api/v1/experiments", token: t, body: #"{"config": "searcher: {name: single}"}"#)
            #expect(noEntrypoint.status == 400 && (noEntrypoint.error ?? "").contains("entrypoint"))
            let project = try await m.post(
                "/api/v1/experiments", token: t, body: #"{"config": "entrypoint: x\nsearcher: {name: single}", "projectId": 999}"#)
            #expect(project.status == 404 && project.error == "project '999' not found")
            let before = try await m.get("/api/v1/experiments?limit=0", token: t).body["pagination"]?["total"]
            let dry = try await m.post(
                "/api/v1/experiments", token: t, body: #"{"config": "entrypoint: x\nsearcher: {name: single}", "validateOnly": true}"#)
            #expect(dry.status == 200 && dry.body["experiment"] == nil)
            #expect(
                try await m.get("/api/v1/experiments?limit=0", token: t).body["pagination"]?["total"] == before, "a dry run makes nothing")
        }
    }
}
