import Foundation
import HTTP
import Harness
import JSON
import MockCluster
import MockClusterTesting
import OpenAPI
import Reports
import Testing

@Suite("conform --allow-writes: chains on objects the run creates, and the cluster left as found")
struct ChainTests {
    static let model = SweepTests.model
    static let fullSpecPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/specs/determined-0.38.1.swagger.json").path

    @Test("the plan: a scratch workspace first, each kind after its parents, what has no delete is never created")
    func plan() {
        let sweep = Sweep(model: Self.model, selection: .init(), settings: SweepTests.settings { $0.allowWrites = true })
        let plan = sweep.chainPlan()
        #expect(plan.scratch == "workspace")
        #expect(plan.kinds.map(\.noun) == ["workspace", "model", "modelVersion", "template", "project", "experiment"])
        let experiment = plan.kinds.first { $0.noun == "experiment" }
        #expect(experiment?.parents == ["project"] && experiment?.delete.id == "DeleteExperiment")
        // The bulk actions under /projects/{projectId} name the run's experiment in their body: its chain, not the project's.
        #expect(
            ["ArchiveExperiments", "MoveExperiments", "KillExperiment"].allSatisfy { id in
                experiment?.operations.contains { $0.id == id } == true
            })
        let version = plan.kinds.first { $0.noun == "modelVersion" }
        #expect(version?.parents == ["model"] && version?.keyField == "version" && version?.delete.id == "DeleteModelVersion")
        #expect(plan.kinds.first { $0.noun == "template" }?.nameInPath == "template.name")
        #expect(plan.kinds.first { $0.noun == "project" }?.list?.id == "GetWorkspaceProjects")
        let reasons = Dictionary(plan.notSent.map { ($0.operation.id, $0.reason) }, uniquingKeysWith: { a, _ in a })
        #expect(reasons["PostUser"] == .noDelete(noun: "user") && reasons["PostAccessToken"] == .noDelete(noun: "token"))
        #expect(reasons["Logout"] == .session && reasons["PatchUsers"] == .notScoped)
        // What the run made is never started: the activate of its experiment is not a chain action. Pause ⇄ activate
        // stays a pair on an experiment that was running, undone at once.
        #expect(!(experiment?.operations.contains { $0.id == "ActivateExperiment" } ?? true))
        #expect(sweep.inversePairs(outside: plan).map(\.forward.id) == ["PauseExperiment"])
        #expect(reasons["ArchiveExperiment"] == nil && reasons["ActivateExperiment"] == nil)
    }

    /// The admin's token on a mock.
    static func token(_ base: String) async throws -> String {
        let login = try await HTTPClient().send(
            HTTPRequest(method: .post, url: base + "/api/v1/auth/login", body: Array(#"{"username":"admin","password":""}"#.utf8)))
        return try #require(try JSONValue(parsing: login.body)["token"]?.stringValue)
    }

    static func run(_ mock: MockServer, token: String, ledger: String? = nil) async -> Sweep.Outcome {
        let settings = SweepTests.settings {
            $0.allowWrites = true
            $0.runID = "t1"
            $0.ledgerPath = ledger
            $0.combinations = 0
        }
        let sweep = Sweep(model: model, selection: .init(), settings: settings)
        let runner = Runner(model: model, client: HTTPClient(), options: .init(master: mock.baseURL, token: token))
        return await sweep.run(with: runner)
    }

    @Test("every chain runs and passes, the new checks are judged, and the mock's whole --state file is the same after")
    func leftAsFound() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-chains-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let state = folder + "/state.json"
        try await withMockCluster({ $0.stateFile = state }) { mock in
            let token = try await Self.token(mock.baseURL)
            let before = try Data(contentsOf: URL(fileURLWithPath: state))
            let outcome = await Self.run(mock, token: token, ledger: folder + "/ledger.json")
            let steps = outcome.results.flatMap(\.steps)
            let failing = steps.filter { $0.outcome == .failed }.map { "\($0.operationID): \(FailureText.lines($0.failures))" }
            #expect(failing.isEmpty, "\(failing)")
            let coverage = outcome.coverage
            for id in [
                "PostWorkspace", "PatchWorkspace", "PinWorkspace", "DeleteWorkspace", "PostProject", "MoveProject", "DeleteProject",
                "PostModel", "PatchModel", "PostModelVersion", "PatchModelVersion", "DeleteModelVersion", "DeleteModel", "PostTemplate",
                "PutTemplate", "PatchTemplateConfig", "DeleteTemplate",
            ] {
                #expect(coverage.operations.first { $0.id == id }?.reached == true, "\(id) reached")
            }
            let create = try #require(coverage.operations.first { $0.id == "PostWorkspace" })
            #expect(create.checks[.ensureResourceAvailability] == .passed)
            #expect(coverage.operations.first { $0.id == "DeleteModel" }?.checks[.useAfterFree] == .passed)
            #expect(coverage.notSent.contains { $0.id == "PostUser" })
            let proof = try #require(steps.first { $0.name == "left as found" })
            #expect(proof.outcome == .passed)
            let after = try Data(contentsOf: URL(fileURLWithPath: state))
            #expect(before == after, "the mock's state file is byte for byte what it was")
            let ledger = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/ledger.json"))))
            let objects = ledger["objects"]?.arrayValue ?? []
            #expect(objects.count >= 6 && objects.allSatisfy { $0["state"] == "deleted" }, "\(objects)")
        }
    }

    @Test(
        "a mock that keeps a deleted workspace is caught by use_after_free; one that does not list a new one by ensure_resource_availability"
    )
    func brokenMocks() async throws {
        try await withMockCluster({ $0.breakage = [.keepsDeletedWorkspaces] }) { mock in
            let outcome = await Self.run(mock, token: try await Self.token(mock.baseURL))
            let delete = try #require(outcome.results.flatMap(\.steps).first { $0.operationID == "DeleteWorkspace" })
            #expect(delete.failures.contains { $0.kind == ConformCheck.useAfterFree.kind }, "\(FailureText.lines(delete.failures))")
            #expect(outcome.coverage.operations.first { $0.id == "DeleteWorkspace" }?.checks[.useAfterFree] == .failed)
        }
        try await withMockCluster({ $0.breakage = [.hidesNewWorkspaces] }) { mock in
            let outcome = await Self.run(mock, token: try await Self.token(mock.baseURL))
            let create = try #require(outcome.results.flatMap(\.steps).first { $0.operationID == "PostWorkspace" })
            let found = create.failures.filter { $0.kind == ConformCheck.ensureResourceAvailability.kind }
            #expect(found.count == 1 && FailureText.line(found[0]).contains("GetWorkspaces"), "\(FailureText.lines(create.failures))")
        }
    }

    @Test("a ledger's leftovers are deleted by LedgerCleanup: created ones by their path, intended ones found by name")
    func cleanup() async throws {
        try await withMockCluster { mock in
            let token = try await Self.token(mock.baseURL)
            let client = HTTPClient()
            func post(_ path: String, _ body: String) async throws -> JSONValue {
                var r = HTTPRequest(method: .post, url: mock.baseURL + path, body: Array(body.utf8))
                r.headers.set("Authorization", "Bearer \(token)")
                return try JSONValue(parsing: try await client.send(r).body)
            }
            func names() async throws -> [String] {
                var r = HTTPRequest(url: mock.baseURL + "/api/v1/workspaces")
                r.headers.set("Authorization", "Bearer \(token)")
                return (try JSONValue(parsing: try await client.send(r).body)["workspaces"]?.arrayValue ?? []).compactMap {
                    $0["name"]?.stringValue
                }
            }
            let before = try await names()
            // A run killed after the workspace's answer, and one killed before it (its create took effect).
            let id = try #require(try await post("/api/v1/workspaces", #"{"name": "detapi-conform-k1"}"#)["workspace"]?["id"])
            _ = try await post("/api/v1/workspaces", #"{"name": "detapi-conform-k2"}"#)
            let ledger = ConformLedger(file: nil, runID: "k", master: mock.baseURL)
            ledger.created(
                ledger.intend(noun: "workspace", name: "detapi-conform-k1", create: "PostWorkspace", delete: "DeleteWorkspace"),
                path: [("id", id)])
            _ = ledger.intend(noun: "workspace", name: "detapi-conform-k2", create: "PostWorkspace", delete: "DeleteWorkspace")
            _ = ledger.intend(noun: "workspace", name: "detapi-conform-never", create: "PostWorkspace", delete: "DeleteWorkspace")
            let runner = Runner(model: Self.model, client: client, options: .init(master: mock.baseURL, token: token))
            var vars = Variables()
            let outcomes = await LedgerCleanup(model: Self.model).run(ledger, runner: runner, vars: &vars)
            #expect(outcomes.map(\.note) == ["never created", "deleted", "deleted"], "\(outcomes)")
            #expect(try await names() == before)
            #expect(ledger.all.allSatisfy { $0.state == .deleted })
        }
    }

    @Test(
        "full spec: every write is chained or listed as not sent with a reason, and no Internal write names an object the run did not create",
        .enabled(
            if: FileManager.default.fileExists(atPath: ChainTests.fullSpecPath),
            "../shared/specs/determined-0.38.1.swagger.json not found; skipped"))
    func fullSpecPlan() throws {
        let model = try SpecLoader.load(path: ChainTests.fullSpecPath)
        var settings = SweepTests.settings { $0.allowWrites = true }
        settings.neverSend = NeverSend.list(for: model)
        let sweep = Sweep(model: model, selection: .init(includeDeprecated: true), settings: settings)
        let plan = sweep.chainPlan()
        let chained = Set(plan.kinds.flatMap { [$0.create.id, $0.delete.id] + $0.operations.map(\.id) })
        let pairs = Set(sweep.inversePairs(outside: plan).flatMap { [$0.forward.id, $0.inverse.id] })
        let notSent = Set(plan.notSent.map(\.operation.id))
        let rewrites = Set(sweep.rewrites().map(\.write.id))
        #expect(rewrites == ["PostUserSetting"], "sent with the settings GetUserSetting answers, which changes nothing")
        for op in model.operations where !op.isSafe {
            #expect(
                chained.contains(op.id) || pairs.contains(op.id) || notSent.contains(op.id) || rewrites.contains(op.id),
                "\(op.id) is accounted for")
        }
        #expect(plan.kinds.contains { $0.create.id == "CreateExperiment" }, "an experiment is made (never activated)")
        #expect(plan.notSent.contains { $0.operation.id == "ContinueExperiment" }, "continuing an experiment would train")
        #expect(plan.notSent.contains { $0.operation.id == "ActivateExperiments" && $0.reason == .startsWork })
        for kind in plan.kinds {
            for op in kind.operations + [kind.create, kind.delete] where !op.isSafe {
                #expect(!ChainPlan.startsWork(op), "\(op.id): nothing the run made is started")
                guard op.tags.contains("Internal"), op.id != kind.create.id else { continue }
                let path = ChainPlan.pathKinds(op, kinds: plan.kinds).compactMap { $0 }
                let body = ChainPlan.requiredBodyKinds(op, model: model, kinds: plan.kinds)
                #expect(!(path + body).isEmpty, "\(op.id) names a created object")
                #expect(!ChainPlan.namesForeign(op, kinds: plan.kinds), "\(op.id): no path value names an object the run did not create")
            }
        }
        #expect(plan.kinds.count >= 5)
        // --plan prints the actions in the order they are sent (a kill before the archive it allows, moves last) and
        // the same-value writes.
        let text = ConformReport.plan(plan, pairs: [], rewrites: sweep.rewrites(), runID: "r")
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("  experiment:") })
        let kill = try #require(line.range(of: "KillExperiment")), archive = try #require(line.range(of: "ArchiveExperiment"))
        #expect(kill.lowerBound < archive.lowerBound && line.contains("MoveExperiments → DeleteExperiment"), "\(line)")
        #expect(text.contains("GetUserSetting → PostUserSetting → GetUserSetting"))
        // Determined's searches are POSTs that only read: swept as reads, never listed as writes not sent.
        let reads = KnownReads.list(for: model)
        #expect(reads.count == 8 && reads.contains("SearchExperiments") && reads.contains("GetGroups"))
        let selection = Sweep.Selection(safeOperations: reads)
        for id in reads {
            let op = try #require(model.operation(id: id))
            #expect(selection.isSweepable(op), "\(id) is swept")
            #expect(!Sweep(model: model, selection: selection, settings: settings).chainPlan().notSent.contains { $0.operation.id == id })
        }
        #expect(KnownReads.list(for: SweepTests.model).isEmpty, "the built-in spec has none of them")
    }
}
