import Foundation
import HTTP
import JSON
import MockCluster
import OpenAPI
import Testing

@Suite("Mock: trials, workloads, checkpoints, logs, edits, registry, jobs and access tokens (reference part 3 §17–19)")
struct TrialTests {
    /// The client's `read_paginated` (§17.0): fetch from `offset`, stop when `endIndex >= total`.
    func pages(_ m: MockHarness, _ path: String, _ token: String) async throws -> (pages: Int, items: Int) {
        var offset = 0
        var pages = 0
        var items = 0
        while pages < 100 {
            pages += 1
            let separator = path.contains("?") ? "&" : "?"
            let answer = try await m.get("\(path)\(separator)offset=\(offset)", token: token)
            let p = try #require(answer.body["pagination"], "\(path): \(answer.status) \(answer.body)")
            let end = try #require(p["endIndex"]?.intValue)
            let total = try #require(p["total"]?.intValue)
            items += answer.body.objectValue?.first { $0.value.arrayValue != nil }?.value.arrayValue?.count ?? 0
            if end >= total { break }
            #expect(end > offset, "endIndex moves forward")
            offset = end
        }
        return (pages, items)
    }

    @Test("trialIds, trials, workloads and checkpoints agree; paging ends as the CLI pages; kill moves the trials along")
    func trials() async throws {
        try await withManualClock { m, clock, t in
            let experiment = try await m.get("/api/v1/experiments/2", token: t).body["experiment"]
            let listed = experiment?["trialIds"]?.arrayValue ?? []
            let ids = listed.compactMap(\.intValue)
            #expect(!ids.isEmpty)
            let trials = try await m.get("/api/v1/experiments/2/trials?limit=1000", token: t).body
            #expect(trials["trials"]?.arrayValue?.compactMap { $0["id"]?.intValue } == ids)
            #expect(try await pages(m, "/api/v1/experiments/2/trials?limit=2", t).items == ids.count)
            let trial = try await m.get("/api/v1/trials/\(ids[0])", token: t).body["trial"]
            #expect(trial?["experimentId"]?.intValue == 2 && trial?["state"] == "STATE_COMPLETED")
            #expect(try await m.get("/api/v1/trials/99999", token: t).error == "trial '99999' not found")
            let workloads = try await pages(m, "/api/v1/trials/\(ids[0])/workloads?limit=5", t)
            #expect(workloads.items > 5 && workloads.pages > 1)
            let all = try await m.get("/api/v1/trials/\(ids[0])/workloads", token: t).body
            #expect(all["pagination"]?["limit"]?.intValue == -1, "limit 0 is all, shown as -1")
            let checkpoints = try await m.get("/api/v1/experiments/2/checkpoints?sortByAttr=SORT_BY_END_TIME", token: t).body
            let uuid = try #require(checkpoints["checkpoints"]?.arrayValue?.first?["uuid"]?.stringValue)
            #expect(try await m.get("/api/v1/checkpoints/\(uuid)", token: t).body["checkpoint"]?["uuid"]?.stringValue == uuid)
            #expect(try await m.get("/api/v1/checkpoints/nope", token: t).status == 500, "an unparsable uuid is the master's 500")
            #expect(
                try await m.get("/api/v1/experiments/2/checkpoints?sortByAttr=SORT_BY_UUID&sortByMetric=loss", token: t).error
                    == "field already set for sort_by oneof")
            // Experiment 3 is active: its first trial runs; a kill moves it to STOPPING_KILLED, then CANCELED.
            #expect(try await m.get("/api/v1/trials/300", token: t).body["trial"]?["state"] == "STATE_RUNNING")
            #expect(try await m.post("/api/v1/experiments/3/kill", token: t).status == 200)
            #expect(try await m.get("/api/v1/trials/300", token: t).body["trial"]?["state"] == "STATE_STOPPING_KILLED")
            clock.advance(by: 2.1)
            let done = try await m.get("/api/v1/trials/300", token: t).body["trial"]
            #expect(done?["state"] == "STATE_CANCELED" && done?["endTime"]?.stringValue != nil)
        }
    }

    @Test("TrialLogs is a stream: a {\"result\": …} line each, limit, levels, orderBy; a missing trial is the stream-error shape")
    func logs() async throws {
        try await withMock { m in
            let t = try await m.login()
            let raw = try await m.send(.get, "/api/v1/trials/200/logs?follow=false", token: t).response
            #expect(raw.status == 200)
            let lines = String(decoding: raw.body, as: UTF8.self).split(separator: "\n")
            #expect(lines.count == 12)
            let first = try JSONValue(parsing: Array(lines[0].utf8))
            #expect(first["result"]?["trialId"]?.intValue == 200 && first["result"]?["id"]?.stringValue == "200000")
            let limited = try await m.send(.get, "/api/v1/trials/200/logs?limit=3&orderBy=ORDER_BY_DESC", token: t).response
            let tail = String(decoding: limited.body, as: UTF8.self).split(separator: "\n")
            let last = try JSONValue(parsing: Array(tail[0].utf8))
            #expect(tail.count == 3 && last["result"]?["id"] == "200011")
            let warnings = try await m.send(.get, "/api/v1/trials/200/logs?levels=LOG_LEVEL_WARNING", token: t).response
            #expect(String(decoding: warnings.body, as: UTF8.self).split(separator: "\n").count == 2)
            let missing = try await m.get("/api/v1/trials/99999/logs", token: t)
            #expect(missing.status == 404 && missing.body["error"]?["grpcCode"]?.intValue == 5)
            #expect(missing.body["error"]?["message"] == "trial '99999' not found" && missing.body["error"]?["httpStatus"] == "Not Found")
        }
    }

    @Test("PatchExperiment, PutExperimentLabel and DeleteExperimentLabel change what GetExperiment answers")
    func edits() async throws {
        try await withMock { m in
            let t = try await m.login()
            let patched = try await m.send(
                .patch, "/api/v1/experiments/2", token: t, body: #"{"description":"tuned","labels":["a","a","b",3]}"#)
            #expect(patched.status == 200 && patched.body["experiment"]?["description"] == "tuned")
            #expect(try await m.send(.put, "/api/v1/experiments/2/labels/c", token: t).body["labels"] == ["a", "b", "c"])
            #expect(try await m.send(.delete, "/api/v1/experiments/2/labels/a", token: t).body["labels"] == ["b", "c"])
            let read = try await m.get("/api/v1/experiments/2", token: t).body["experiment"]
            #expect(read?["description"] == "tuned" && read?["labels"] == ["b", "c"])
            #expect(
                try await m.send(.patch, "/api/v1/experiments/2", token: t, body: #"{"name":"  "}"#).error
                    == "`name` must not be an empty or whitespace string")
            #expect(try await m.send(.put, "/api/v1/experiments/999/labels/x", token: t).status == 500)
        }
    }

    @Test("models, resource pools, jobs and tasks page as the CLI pages them")
    func registry() async throws {
        try await withMock { m in
            let t = try await m.login()
            #expect(try await pages(m, "/api/v1/models?limit=4&orderBy=ORDER_BY_ASC&sortBy=SORT_BY_LAST_UPDATED_TIME", t).items == 25)
            let jobs = try await m.get("/api/v1/job-queues-v2?limit=0", token: t).body
            #expect(jobs["pagination"]?["limit"]?.intValue == 100, "limit 0 is read as 100")
            #expect(jobs["jobs"]?.arrayValue?.allSatisfy { $0["full"] != nil } == true)
            #expect(try await pages(m, "/api/v1/job-queues-v2?limit=1", t).items == jobs["jobs"]?.arrayValue?.count)
            let pools = try await m.get("/api/v1/resource-pools", token: t).body["resourcePools"]?.arrayValue ?? []
            #expect(pools.contains { $0["defaultComputePool"] == true })
            #expect(try await m.get("/api/v1/job-queues-v2?resourcePool=gpu", token: t).error == "cannot find resource pool gpu")
            #expect(try await m.get("/api/v1/tasks", token: t).body["allocationIdToSummary"]?.objectValue != nil)
        }
    }

    @Test("access tokens: admin creates, the token works, listing hides revoked ones, a revoked token is 401; logout keeps them")
    func accessTokens() async throws {
        try await withMock { m in
            let admin = try await m.login("admin")
            let user = try await m.login("determined")
            #expect(
                try await m.post("/api/v1/tokens", token: user, body: #"{"userId":2}"#).error
                    == "only admin privileged users can create token for own/other users")
            let created = try await m.post("/api/v1/tokens", token: admin, body: #"{"userId":2,"lifespan":"48h","description":"ci"}"#).body
            let token = try #require(created["token"]?.stringValue)
            let id = try #require(created["tokenId"]?.intValue)
            #expect(try await m.get("/api/v1/me", token: token).body["user"]?["username"] == "determined")
            #expect(try await m.post("/api/v1/auth/logout", token: user).status == 200)
            #expect(try await m.get("/api/v1/me", token: token).status == 200, "logout keeps access tokens")
            let listed = try await m.get("/api/v1/tokens", token: admin).body["tokenInfo"]?.arrayValue ?? []
            #expect(listed.map { $0["id"]?.intValue } == [id])
            #expect(try await m.send(.patch, "/api/v1/tokens/\(id)", token: admin, body: #"{"setRevoked":true}"#).status == 200)
            #expect(try await m.get("/api/v1/me", token: token).error == "user access token revoked")
            #expect(try await m.get("/api/v1/tokens", token: admin).body["tokenInfo"] == [])
            #expect(try await m.get("/api/v1/tokens?showInactive=true", token: admin).body["tokenInfo"]?.arrayValue?.count == 1)
            #expect(
                try await m.post("/api/v1/tokens", token: admin, body: #"{"userId":2,"lifespan":"9999h"}"#).error
                    == "token Lifespan must be less than max token lifespan")
        }
    }
}
