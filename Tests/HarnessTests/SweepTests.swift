import Foundation
import HTTP
import Harness
import JSON
import MockCluster
import MockClusterTesting
import OpenAPI
import Reports
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("conform's sweep against the embedded mock")
struct SweepTests {
    static let model = try! SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source)

    static func settings(_ change: (inout Sweep.Settings) -> Void = { _ in }) -> Sweep.Settings {
        var s = Sweep.Settings()
        s.knownBugs = KnownMasterBug.list(for: model)
        s.workers = 1
        change(&s)
        return s
    }

    func sweep(
        settings: Sweep.Settings = SweepTests.settings(), _ configure: @escaping (inout MockConfiguration) -> Void = { _ in }
    ) async throws -> (Sweep, Sweep.Outcome) {
        try await withMockCluster(configure) { mock in
            let sweep = Sweep(model: Self.model, selection: .init(), settings: settings)
            let runner = Runner(model: Self.model, client: HTTPClient(), options: .init(master: mock.baseURL))
            return (sweep, await sweep.run(with: runner))
        }
    }

    @Test("every GET operation is reached and passes; path parameters come from earlier lists; the known bugs are apart")
    func clean() async throws {
        let (sweep, outcome) = try await sweep()
        let gets = Self.model.operations.filter { $0.method == "GET" }.map(\.id).sorted()
        #expect(sweep.operations.map(\.id).sorted() == gets)
        let steps = outcome.results.flatMap(\.steps)
        #expect(steps.filter { !$0.operationID.hasPrefix("GET ") }.map(\.operationID).sorted() == gets)
        let problems = steps.filter { $0.outcome != .passed }.map { "\($0.name): \(FailureText.lines($0.failures))" }
        #expect(problems.isEmpty, "\(problems)")
        #expect(RunVerdict(outcome.results) == .passed)
        let experiment = try #require(steps.first { $0.operationID == "GetExperiment" })
        #expect(experiment.url.hasSuffix("/api/v1/experiments/1"), "the first id of GetExperiments: \(experiment.url)")
        // The mock reproduces the master's negative-limit panic on purpose: reported, not failing.
        let known = steps.filter { !$0.accepted.isEmpty }.map(\.operationID).sorted()
        #expect(
            known == [
                "GetAccessTokens", "GetCheckpoint", "GetExperimentCheckpoints", "GetJobs", "GetJobsV2", "GetModelVersions", "GetModels",
                "GetTrialCheckpoints", "GetUsers", "GetWorkspaceProjects", "GetWorkspaces",
            ])
        let bug = try #require(steps.first { $0.operationID == "GetUsers" }?.accepted.first)
        #expect(
            bug.reason == .knownBug && bug.failure.kind == ConformCheck.notAServerError.kind && bug.failure.variant?.parameter == "limit"
                && bug.failure.variant?.value == -1 && bug.failure.variant?.label == "limit=-1")
        let coverage = outcome.coverage
        // Reached means a documented 2xx: as `determined`, GetAccessTokens only gets 403 (and the known 500s); it is
        // listed, never counted. GetUserByUsername is reached with a name from GetUsers' answer.
        #expect(coverage.notReached.map(\.id) == ["GetAccessTokens"])
        #expect(coverage.operations.filter { !$0.isProbe && $0.reached }.count == gets.count - 1)
        #expect(coverage.requests > gets.count * 5, "one parameter at a time: \(coverage.requests) requests")
        let users = try #require(coverage.operations.first { $0.id == "GetUsers" })
        #expect(users.checks[.notAServerError] == .knownBug && users.checks[.negativeDataRejection] == .passed)
        #expect(users.statuses.contains(400) && users.statuses.contains(401) && users.statuses.contains(500))
        // Paths without GET were probed, and the mock answers grpc-gateway's 501.
        let probes = coverage.operations.filter(\.isProbe)
        #expect(!probes.isEmpty && probes.allSatisfy { $0.statuses == [501] && $0.checks[.unsupportedMethod] == .passed })
        let text = ConformReport.coverage(coverage, results: outcome.results)
        #expect(text.hasPrefix("coverage: 32 of 33 GET/HEAD operations reached with a documented 2xx (of 83 in the spec)"), "\(text)")
        #expect(text.contains("GetAccessTokens  not reached (403 ×"), "\(text)")
        #expect(
            text.contains(
                "\n  GetUsers  not_a_server_error (limit=-1): status 500: the server failed"))
    }

    @Test("--strict: the known master bugs fail the run")
    func strict() async throws {
        let (_, outcome) = try await sweep(settings: Self.settings { $0.strict = true })
        let failing = outcome.results.flatMap(\.steps).filter { $0.outcome == .failed }.map(\.operationID).sorted()
        #expect(
            failing == [
                "GetAccessTokens", "GetCheckpoint", "GetExperimentCheckpoints", "GetJobs", "GetJobsV2", "GetModelVersions", "GetModels",
                "GetTrialCheckpoints", "GetUsers", "GetWorkspaceProjects", "GetWorkspaces",
            ])
        #expect(RunVerdict(outcome.results) == .checkFailed)
        #expect(outcome.failingCases.map(\.check).allSatisfy { $0 == .notAServerError })
    }

    @Test("a drifting master: every drifted operation fails response_schema_conformance at its pointer")
    func drift() async throws {
        let (_, outcome) = try await sweep { $0.drift = true }
        let failing = outcome.results.flatMap(\.steps).filter { $0.outcome == .failed }
        #expect(failing.count >= 8)
        for step in failing {
            let schema = step.failures.filter { $0.kind == ConformCheck.responseSchemaConformance.kind }
            #expect(!schema.isEmpty, "\(step.name): \(FailureText.lines(step.failures))")
            #expect(schema.allSatisfy { if case .body(let p) = $0.location { return !p.isEmpty } else { return false } })
        }
        #expect(RunVerdict(outcome.results) == .checkFailed)
    }

    @Test("an operation that answers without credentials is caught by ignored_auth")
    func ignoredAuth() async throws {
        let (_, outcome) = try await sweep { $0.unauthenticatedRoutes = ["GetUsers"] }
        let failing = outcome.results.flatMap(\.steps).filter { $0.outcome == .failed }
        let problems = failing.map { "\($0.name): \(FailureText.lines($0.failures))" }
        #expect(failing.map(\.operationID) == ["GetUsers"], "\(problems)")
        #expect(
            failing.first?.failures.map(FailureText.line).contains {
                $0.hasPrefix("ignored_auth (without credentials): without credentials the answer is 200")
            } == true, "\(problems)")
    }

    @Test("a baseline of a run's findings makes the next run pass, and lists entries that no longer occur")
    func baseline() async throws {
        let strict = Self.settings { $0.strict = true }
        let (_, first) = try await sweep(settings: strict)
        var entries = first.results.flatMap(\.steps).flatMap { s in
            s.failures.map { ConformBaseline.Entry(operation: s.operationID, failure: $0) }
        }
        #expect(entries.count == 14)
        entries.append(ConformBaseline.Entry(operation: "GetMaster", check: "not_a_server_error", pointer: ""))
        let text = ConformBaseline(entries: entries).text()
        #expect(
            text.contains("\"format\": 2")
                && text.contains("\"case\":{\"why\":\"boundary\",\"parameter\":\"limit\",\"in\":\"query\",\"value\":-1}"), "\(text)")
        let baseline = try ConformBaseline.parse(Array(text.utf8), file: "baseline.json")
        let (_, second) = try await sweep(
            settings: Self.settings {
                $0.strict = true; $0.baseline = baseline
            })
        #expect(RunVerdict(second.results) == .passed)
        #expect(second.results.flatMap(\.steps).flatMap(\.accepted).filter { $0.reason == .baseline }.count == 14)
        #expect(second.coverage.staleBaseline.map(\.operation) == ["GetMaster"])
        #expect(ConformReport.coverage(second.coverage, results: second.results).contains("baseline entries no longer found"))
    }

    @Test("a baseline written before variants were data (format 1, labels with their notes) matches the same findings")
    func formatOneBaseline() async throws {
        let strict = Self.settings { $0.strict = true }
        let (_, first) = try await sweep(settings: strict)
        // As detapi wrote it then: the variant is the label text, its note in parentheses (reworded here: notes are
        // for readers and not matched).
        var lines: [String] = []
        for s in first.results.flatMap(\.steps) {
            for f in s.failures {
                var entry = "{\"operation\": \"\(s.operationID)\", \"check\": \"\(f.kind.rawValue)\", \"pointer\": \"\""
                if let label = f.variant?.label, !label.isEmpty {
                    let reworded = label.hasSuffix(")") ? ConformVariant.withoutNote(label) + " (older words)" : label
                    entry += ", \"variant\": \"\(reworded)\""
                }
                lines.append(entry + "}")
            }
        }
        #expect(lines.count == 14)
        #expect(lines.contains { $0.contains("(older words)") }, "some labels carry a note: \(lines)")
        let text = "{\"detapi\": \"conform baseline\", \"format\": 1, \"findings\": [\n" + lines.joined(separator: ",\n") + "]}"
        let baseline = try ConformBaseline.parse(Array(text.utf8), file: "old-baseline.json")
        let (_, second) = try await sweep(
            settings: Self.settings {
                $0.strict = true; $0.baseline = baseline
            })
        let left = second.results.flatMap(\.steps).flatMap(\.failures).map(FailureText.line)
        #expect(RunVerdict(second.results) == .passed, "\(left)")
        #expect(second.coverage.staleBaseline.isEmpty)
        // And a format-2 entry whose value differs does not match.
        let other =
            "{\"format\": 2, \"findings\": [{\"operation\": \"GetUsers\", \"check\": \"not_a_server_error\", \"case\": {\"why\": \"negative\", \"parameter\": \"limit\", \"value\": -7}}]}"
        let narrow = try ConformBaseline.parse(Array(other.utf8), file: "b.json")
        let (_, third) = try await sweep(
            settings: Self.settings {
                $0.strict = true; $0.baseline = narrow
            })
        #expect(third.coverage.staleBaseline.count == 1)
    }

    @Test("--checks narrows what runs; --max-failures stops early")
    func narrowing() async throws {
        let (_, outcome) = try await sweep(
            settings: Self.settings {
                $0.checks = [.notAServerError]; $0.strict = true; $0.maxFailures = 1
            })
        #expect(outcome.coverage.checks == [.notAServerError])
        #expect(outcome.coverage.operations.allSatisfy { $0.checks.keys.allSatisfy { $0 == .notAServerError } })
        #expect(outcome.coverage.stoppedEarly?.contains("--max-failures") == true)
        #expect(outcome.coverage.operations.filter { !$0.isProbe }.count < Self.model.operations.filter { $0.method == "GET" }.count)
    }

    @Test("a saved failing case is a scenario that parses and names the request and the expectation")
    func savedCase() async throws {
        let (_, outcome) = try await sweep(settings: Self.settings { $0.strict = true })
        let users = try #require(outcome.failingCases.first { $0.operation == "GetUsers" })
        let text = FailureScenario.text(users, maxResponseMilliseconds: nil)
        let scenario = try ScenarioParser.parse(text, file: "GetUsers-not_a_server_error.yaml")
        let step = try #require(scenario.steps.first)
        #expect(step.operation == "GetUsers")
        #expect(step.query.first { $0.0 == "limit" }?.1 == -1)
        #expect(step.expect.statusClasses == [2, 4])
    }
}

@Suite("conform's cases, checks, known bugs and baselines")
struct ConformPartsTests {
    static let model = SweepTests.model

    @Test("one parameter at a time: documented enum values, boundary values, and values the schema forbids")
    func cases() throws {
        let op = try #require(Self.model.operation(id: "GetExperiments"))
        let cases = ConformCases().cases(for: op, base: Step(name: op.id, operation: op.id, location: .init(file: "", line: 0, column: 0)))
        let labels = Set(cases.map(\.label))
        #expect(cases.first?.purpose == .base && cases.first?.label == "")
        #expect(
            labels.isSuperset(of: ["limit=0", "limit=-1", "limit=2147483647", "orderBy=ORDER_BY_DESC", "archived=true"]),
            "\(labels.sorted())")
        #expect(labels.contains("limit=not-a-number (not a number)") && labels.contains("limit=2147483648 (past int32)"))
        #expect(labels.contains("sortBy=NOT_A_VALID_VALUE (not in the enum)"))
        #expect(cases.filter { $0.purpose == .negative }.allSatisfy { $0.step.query.count == 1 })
        let again = ConformCases().cases(for: op, base: Step(name: op.id, operation: op.id, location: .init(file: "", line: 0, column: 0)))
        #expect(again.map(\.label) == cases.map(\.label), "deterministic")
    }

    @Test("a known bug matches its operation, check and trigger only")
    func knownBug() {
        let bug = KnownMasterBug.determined[0]
        var step = Step(name: "s", operation: "GetUsers", location: .init(file: "", line: 0, column: 0))
        step.query = [("limit", -1)]
        #expect(bug.matches(operation: "GetUsers", check: .notAServerError, step: step))
        #expect(!bug.matches(operation: "GetUsers", check: .responseSchemaConformance, step: step))
        #expect(!bug.matches(operation: "GetExperiments", check: .notAServerError, step: step))
        step.query = [("limit", 5)]
        #expect(!bug.matches(operation: "GetUsers", check: .notAServerError, step: step))
        #expect(KnownMasterBug.list(for: Self.model).count == KnownMasterBug.determined.count)
    }

    @Test("a bad baseline names the file and the JSON pointer or line")
    func badBaseline() {
        func message(_ text: String) -> String {
            do {
                _ = try ConformBaseline.parse(Array(text.utf8), file: "b.json")
                return "accepted"
            } catch {
                return error.description
            }
        }
        #expect(
            message("{\"findings\": [{\"operation\": \"X\", \"check\": \"no_such\"}]}").contains(
                "b.json: /findings/0/check: unknown check 'no_such'"))
        #expect(message("{\"findings\": [{\"check\": \"ignored_auth\"}]}").contains("/findings/0/operation: missing"))
        #expect(message("{\"findings\": 3}").contains("/findings: missing"))
        #expect(message("{\n  \"findings\": [,]}").contains("b.json:2:"))
        #expect(message("{\"format\": 9, \"findings\": []}").contains("/format"))
    }

    @Test("--checks and --rate-limit parse, and a bad value says what to write")
    func options() throws {
        #expect(try ConformCheck.parse(list: "ignored_auth, not_a_server_error").get() == [.ignoredAuth, .notAServerError])
        #expect(try ConformCheck.parse(list: "all").get().count == ConformCheck.allCases.count)
        if case .failure(let e) = ConformCheck.parse(list: "ignored_aut") {
            #expect(e.message.contains("did you mean 'ignored_auth'"))
        } else {
            Issue.record("accepted a typo")
        }
        #expect((try? RateLimit.parse("20/s").get()) != nil && (try? RateLimit.parse("600/m").get()) != nil)
        if case .failure(let e) = RateLimit.parse("fast") {
            #expect(e.message.contains("write 10/s"))
        } else {
            Issue.record("accepted 'fast'")
        }
        if case .failure = RateLimit.parse("0/s") {} else { Issue.record("accepted 0/s") }
    }
}

@Suite("conform --allow-writes")
struct SweepWritesTests {
    @Test("only single-resource inverse pairs are sent, each undone: the mock ends as it started")
    func undone() async throws {
        let model = SweepTests.model
        try await withMockCluster { mock in
            let client = HTTPClient()
            let login = try await client.send(
                HTTPRequest(
                    method: "POST", url: mock.baseURL + "/api/v1/auth/login", body: Array(#"{"username":"admin","password":""}"#.utf8)))
            let token = try #require(try JSONValue(parsing: login.body)["token"]?.stringValue)
            func state() async throws -> String {
                var request = HTTPRequest(url: mock.baseURL + "/api/v1/experiments?limit=0")
                request.headers.set("Authorization", "Bearer \(token)")
                let list = try JSONValue(parsing: try await client.send(request).body)
                request.url = mock.baseURL + "/api/v1/models?limit=0"
                let models = try JSONValue(parsing: try await client.send(request).body)
                return ((list["experiments"]?.arrayValue ?? []) + (models["models"]?.arrayValue ?? [])).map {
                    "\($0["id"]?.intValue ?? 0)/\($0["name"]?.stringValue ?? ""):\($0["state"]?.stringValue ?? ""):\($0["archived"]?.boolValue ?? false)"
                }.joined(separator: ",")
            }
            let before = try await state()
            var settings = SweepTests.settings()
            settings.allowWrites = true
            let sweep = Sweep(model: model, selection: .init(), settings: settings)
            #expect(
                sweep.inversePairs().map(\.forward.id) == [
                    "ArchiveExperiment", "PauseExperiment", "ArchiveModel", "ArchiveProject", "ArchiveWorkspace", "PinWorkspace",
                ],
                "no bulk operation")
            let runner = Runner(model: model, client: client, options: .init(master: mock.baseURL, token: token))
            let outcome = await sweep.run(with: runner)
            // Pause ⇄ activate, on an experiment that was running: what the run creates (experiments included) is
            // changed in chains instead, and never activated.
            let writes = outcome.coverage.operations.filter { $0.isWrite && $0.id.contains("⇄") }
            #expect(writes.map(\.id) == ["PauseExperiment ⇄ ActivateExperiment"])
            #expect(writes.allSatisfy { $0.requests == 2 })
            // Each side counts as its operation reached.
            #expect(outcome.coverage.operations.first { $0.id == "ActivateExperiment" }?.reached == true)
            let rows = outcome.results.flatMap(\.steps).filter { $0.name.contains("⇄") }
            #expect(rows.allSatisfy { $0.outcome == .passed }, "\(rows.map { FailureText.lines($0.failures) })")
            #expect(try await state() == before, "every write was put back")
            // Not the immutable Uncategorized workspace or project (the master's 500), but the first one it lets change.
            let sent = rows.map(\.url)
            #expect(sent.allSatisfy { !$0.contains("/workspaces/1/") }, "\(sent) \(rows.map { FailureText.lines($0.failures) })")
        }
    }
}

extension SweepWritesTests {
    @Test("pause ⇄ activate goes only to an experiment seen running: with every experiment paused, none is activated")
    func neverStartsAPausedOne() async throws {
        let model = SweepTests.model
        try await withMockCluster { mock in
            let client = HTTPClient()
            let token = try await ChainTests.token(mock.baseURL)
            func get(_ path: String) async throws -> JSONValue {
                var request = HTTPRequest(url: mock.baseURL + path)
                request.headers.set("Authorization", "Bearer \(token)")
                return try JSONValue(parsing: try await client.send(request).body)
            }
            // Every running experiment paused first: pausing one that is paused answers 200 too, so an undo by
            // activate would start what its owner stopped.
            for e in try await get("/api/v1/experiments?limit=0")["experiments"]?.arrayValue ?? [] where Sweep.isRunning(e) {
                var pause = HTTPRequest(method: "POST", url: mock.baseURL + "/api/v1/experiments/\(e["id"]?.intValue ?? 0)/pause")
                pause.headers.set("Authorization", "Bearer \(token)")
                _ = try await client.send(pause)
            }
            let states = { () async throws -> [String] in
                (try await get("/api/v1/experiments?limit=0")["experiments"]?.arrayValue ?? []).map {
                    "\($0["id"]?.intValue ?? 0):\($0["state"]?.stringValue ?? "")"
                }
            }
            let before = try await states()
            #expect(before.contains { $0.hasSuffix("STATE_PAUSED") })
            let sweep = Sweep(model: model, selection: .init(), settings: SweepTests.settings { $0.allowWrites = true })
            let runner = Runner(model: model, client: client, options: .init(master: mock.baseURL, token: token))
            let outcome = await sweep.run(with: runner)
            let pair = try #require(outcome.results.flatMap(\.steps).first { $0.name.contains("⇄") })
            guard case .skipped(let why) = pair.outcome else {
                Issue.record("the pair was sent: \(pair.outcome)")
                return
            }
            #expect(why.contains("no running experiments seen"), "\(why)")
            #expect(
                outcome.results.flatMap(\.steps).allSatisfy { $0.method != "POST" || !$0.url.hasSuffix("/activate") },
                "no activate was sent")
            #expect(try await states() == before)
        }
    }
}

@Suite("ClusterSpec: the spec a master serves, cached")
struct ClusterSpecTests {
    @Test("downloaded once, then the master's 304 keeps the cached copy; a cache folder from XDG_CACHE_HOME or HOME")
    func cache() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-spec-cache-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await withMockCluster { mock in
            let spec = ClusterSpec(client: HTTPClient(), cacheFolder: folder)
            let first = try spec.fetchResult(await spec.fetch(master: mock.baseURL))
            #expect(first.origin == .downloaded && first.url == mock.baseURL + "/api/v1/api.swagger.json")
            let second = try spec.fetchResult(await spec.fetch(master: mock.baseURL + "/"))
            #expect(second.origin == .cached && second.bytes == first.bytes)
            let model = try SpecLoader.load(bytes: second.bytes, source: second.url)
            #expect(model.operations.count == SweepTests.model.operations.count)
        }
        if case .failure(let why) = await ClusterSpec(client: HTTPClient(), cacheFolder: nil).fetch(master: "http://127.0.0.1:9") {
            #expect(why.url == "http://127.0.0.1:9/api/v1/api.swagger.json")
        } else {
            Issue.record("nothing listens on port 9")
        }
        #expect(ClusterSpec.defaultCacheFolder(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"]) == "/x/detapi")
        #expect(ClusterSpec.defaultCacheFolder(environment: ["HOME": "/h"]) == "/h/.cache/detapi")
        #expect(ClusterSpec.defaultCacheFolder(environment: [:]) == nil)
    }
}

@Suite("the mock serves its spec and the REST API page as a master does (reference §16)")
struct MockServedFilesTests {
    @Test("spec without a token, Last-Modified and 304; /docs/rest-api 301; the page; HEAD of the spec is the gateway's 501")
    func served() async throws {
        try await withMockCluster({ $0.docsPage = { _ in Array("<!DOCTYPE html><title>docs</title>".utf8) } }) { mock in
            let client = HTTPClient()
            let spec = try await client.send(HTTPRequest(url: mock.baseURL + "/api/v1/api.swagger.json"))
            #expect(spec.status == 200 && spec.mediaType == "application/json")
            #expect(try SpecLoader.load(bytes: spec.body, source: "served").operations.count == SweepTests.model.operations.count)
            let modified = try #require(spec.headers["Last-Modified"])
            let again = try await client.send(
                HTTPRequest(url: mock.baseURL + "/api/v1/api.swagger.json", headers: ["If-Modified-Since": modified]))
            #expect(again.status == 304 && again.body.isEmpty)
            let docsCopy = try await client.send(HTTPRequest(url: mock.baseURL + "/docs/rest-api/api.swagger.json"))
            #expect(docsCopy.body == spec.body)
            let redirect = try await client.send(HTTPRequest(url: mock.baseURL + "/docs/rest-api"))
            #expect(redirect.status == 301 && redirect.headers["Location"] == "/docs/rest-api/")
            let page = try await client.send(HTTPRequest(url: mock.baseURL + "/docs/rest-api/"))
            #expect(
                page.status == 200 && page.mediaType == "text/html" && String(decoding: page.body, as: UTF8.self).contains("<title>docs"))
            let head = try await client.send(HTTPRequest(method: .head, url: mock.baseURL + "/api/v1/api.swagger.json"))
            #expect(head.status == 501)
            // gzip on /api/ answers for a client that accepts it (libcurl asks, and decodes), never on /info.
            let master = try await client.send(HTTPRequest(url: mock.baseURL + "/api/v1/master"))
            #expect(master.headers["Content-Encoding"] == "gzip" && master.headers["Vary"] == "Accept-Encoding")
            #expect((try? JSONValue(parsing: master.body))?["version"] != nil, "decoded transparently")
            let info = try await client.send(HTTPRequest(url: mock.baseURL + "/info"))
            #expect(info.headers["Content-Encoding"] == nil)
        }
        try await withMockCluster { mock in
            let page = try await HTTPClient().send(HTTPRequest(url: mock.baseURL + "/docs/rest-api/"))
            #expect(page.status == 404, "no page configured: as a master built without its web UI")
            // A request the HTTP parser rejects (a NUL in a header) is a 400, and the mock goes on serving.
            let reply = try RawHTTP.exchange(port: mock.port, "GET /api/v1/master HTTP/1.1\r\nHost: x\r\nX-Bad: a\u{0}b\r\n\r\n")
            #expect(reply.hasPrefix("HTTP/1.1 400"), "\(reply)")
            #expect(try await HTTPClient().send(HTTPRequest(url: mock.baseURL + "/api/v1/master")).status == 200)
        }
    }
}

extension ClusterSpec {
    fileprivate func fetchResult(_ r: Result<(bytes: [UInt8], url: String, origin: Origin), Unavailable>) throws -> (
        bytes: [UInt8], url: String, origin: Origin
    ) {
        try r.get()
    }
}

/// One request written on a plain loopback socket, for bytes no HTTP client would send.
enum RawHTTP {
    static func exchange(port: Int, _ request: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw CocoaError(.fileReadUnknown) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buffer, buffer.count, 0)
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
    }
}
