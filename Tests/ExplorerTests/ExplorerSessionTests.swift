import Explorer
import Foundation
import HTTP
import Harness
import JSON
import MockCluster
import MockClusterTesting
import OpenAPI
import Testing

/// Lines from a list, as a script would give them.
final class ListReader: LineReader {
    var lines: [String]
    init(_ lines: [String]) { self.lines = lines }
    func read(prompt: String) -> LineRead { lines.isEmpty ? .end : .line(lines.removeFirst()) }
    func remember(_ line: String, secrets: [String]) {}
}

@Suite("Explorer: a session against the embedded mock")
struct ExplorerSessionTests {
    static let model = try! SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source)

    static func temporaryFile(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("detapi-explore-\(UUID().uuidString)-\(name)").path
    }

    func session(_ mock: MockServer, token: String? = nil) -> ExplorerSession {
        ExplorerSession(model: Self.model, master: mock.baseURL, token: token, client: HTTPClient())
    }

    @Test("ops, show, try, last curl, save: the saved file replays with detapi run")
    func doneWhen() async throws {
        let file = Self.temporaryFile("out.yaml")
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await withMockCluster { mock in
            var s = session(mock)
            let io = RecordingIO()
            for line in ["ops Experiments", "show GetExperiments", "try GetExperiments archived=true limit=1", "last curl", "save \(file)"]
            {
                #expect(await s.handle(line, io: io) == .ok, "\(line): \(io.output.suffix(400))")
            }
            #expect(io.output.contains("UnarchiveExperiment"))
            #expect(io.output.contains("Parameters (19)") && io.output.contains("orderBy [query]"))
            #expect(io.output.contains("✓ valid: GetExperiments 200"))
            #expect(io.output.contains("\"archived\": true"))
            #expect(
                io.output.contains(
                    #"curl '\#(mock.baseURL)/api/v1/experiments?archived=true&limit=1' -H "Authorization: Bearer $DET_TOKEN""#))
            #expect(!io.output.contains("v2.public."), "the token is never shown")
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(text.contains("password: ${DET_PASS:-}") && text.contains("operation: GetExperiments"))
            let scenario = try ScenarioParser.parse(text, file: file)
            let result = await Runner(model: Self.model, client: HTTPClient(), options: .init(master: mock.baseURL)).run(scenario)
            #expect(!result.failed, "\(result.steps.map { "\($0.name): \($0.outcome)" })")
        }
    }

    @Test("show METHOD /path unquoted; last and set take filters with quotes and spaces; set keeps arrays; save makes folders")
    func dailyUse() async throws {
        let folder = Self.temporaryFile("new")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await withMockCluster { mock in
            var s = session(mock)
            let io = RecordingIO()
            #expect(await s.handle("show GET /api/v1/master", io: io) == .ok, "\(io.output)")
            #expect(io.output.contains("GetMaster"))
            #expect(await s.handle("try GetExperiments limit=100", io: io) == .ok)
            let before = io.output.count
            #expect(await s.handle("last $.experiments[?(@.state == 'STATE_PAUSED')].id", io: io) == .ok, "\(io.output.suffix(300))")
            let paused = String(io.output.dropFirst(before))
            #expect(!paused.isEmpty && !paused.contains("usage"), "\(paused)")
            #expect(await s.handle("set ids $.experiments[*].id", io: io) == .ok)
            #expect(io.output.contains("ids holds "), "\(io.output.suffix(200))")
            #expect(await s.handle("vars", io: io) == .ok)
            #expect(io.output.contains("ids = ["), "the array is kept: \(io.output.suffix(300))")
            #expect(await s.handle("save \(folder)/sub/x.yaml", io: io) == .ok, "\(io.output.suffix(300))")
            #expect(io.output.contains("made the folder") && FileManager.default.fileExists(atPath: folder + "/sub/x.yaml"))
        }
    }

    @Test("next and prev move the page (offsets 0, 2, 4, 2); again changes one value and keeps the others; the last page says so")
    func paging() async throws {
        try await withMockCluster { mock in
            var s = session(mock)
            let io = RecordingIO()
            var offsets: [Int?] = []
            for line in ["try GetExperiments limit=2 archived=false", "next", "next", "prev"] {
                #expect(await s.handle(line, io: io) == .ok, "\(line): \(io.output.suffix(300))")
                offsets.append(s.lastRequestQuery("offset").flatMap(Int.init) ?? 0)
            }
            #expect(offsets == [0, 2, 4, 2])
            #expect(await s.handle("again limit=5", io: io) == .ok)
            #expect(s.lastRequestQuery("limit") == "5" && s.lastRequestQuery("offset") == "2" && s.lastRequestQuery("archived") == "false")
            #expect(await s.handle("again limit=1000 offset=0", io: io) == .ok)
            if case .error(let e) = await s.handle("next", io: io) {
                #expect(e.message.contains("last page"), "\(e.message)")
            } else {
                Issue.record("next after the last page")
            }
            #expect(await s.handle("again limit=x", io: io) != .ok, "a value of the wrong type is refused before sending")
        }
    }

    @Test("schema NAME lists fields with types, required marks and enums; NAME.field goes deeper; a typo names the nearest")
    func schema() async {
        var s = ExplorerSession(model: Self.model, master: "http://127.0.0.1:9", token: nil, client: HTTPClient())
        let io = RecordingIO()
        #expect(await s.handle("schema v1Experiment", io: io) == .ok)
        #expect(io.output.contains("archived: boolean") && io.output.contains("state is one of: STATE_UNSPECIFIED"))
        #expect(await s.handle("schema v1GetExperimentsResponse.pagination", io: io) == .ok)
        #expect(io.output.contains("v1GetExperimentsResponse.pagination: v1Pagination") && io.output.contains("endIndex: integer"))
        #expect(await s.handle("schema v1Experimnt", io: io) != .ok)
        #expect(io.output.contains("did you mean 'v1Experiment'?"), "\(io.output.suffix(200))")
        #expect(ExplorerCompletion.complete("schema v1Exper", model: Self.model, variables: []).candidates.contains("v1Experiment"))
    }

    @Test("save FILE --finally adds the last request to finally:, which detapi run sends; a file that does not exist yet is refused")
    func saveFinally() async throws {
        let file = Self.temporaryFile("cleanup.yaml")
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await withMockCluster { mock in
            var s = session(mock)
            let io = RecordingIO()
            #expect(await s.handle("try GetMaster", io: io) == .ok)
            #expect(await s.handle("save \(file) --finally", io: io) != .ok, "nothing to clean up after yet")
            #expect(await s.handle("save \(file)", io: io) == .ok)
            #expect(await s.handle("try GetExperiment experimentId=1", io: io) == .ok)
            #expect(await s.handle("save \(file) --finally --name read it back", io: io) != .ok, "--name takes one word")
            #expect(await s.handle("save \(file) --finally --name readback", io: io) == .ok, "\(io.output.suffix(300))")
            let scenario = try ScenarioParser.parse(try String(contentsOfFile: file, encoding: .utf8), file: file)
            #expect(scenario.steps.map(\.operation) == ["GetMaster"] && scenario.finally.map(\.name) == ["readback"])
            let result = await Runner(model: Self.model, client: HTTPClient(), options: .init(master: mock.baseURL)).run(scenario)
            #expect(!result.failed && result.steps.contains { $0.isFinally && $0.name == "readback" && $0.outcome == .passed })
        }
    }

    @Test("a body skeleton takes the path's id (experiment.id=4 → \"id\": 4) instead of a sampled one")
    func skeletonIDs() async throws {
        try await withMockCluster { mock in
            var s = session(mock)
            let io = RecordingIO()
            #expect(await s.handle("try PatchExperiment experiment.id=4", io: io) != .ok)
            #expect(io.output.contains(#"-d '{"id":4}'"#), "\(io.output.suffix(200))")
        }
    }

    @Test("set from the last answer, {{var}} in a later try, save writes the capture and the template")
    func variables() async throws {
        let file = Self.temporaryFile("vars.yaml")
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await withMockCluster { mock in
            var s = session(mock)
            let io = RecordingIO()
            for line in [
                "try GetExperiments archived=true limit=1", "set id $.experiments[0].id", "save \(file) --name find",
                "try GetExperiment experimentId={{id}}", "save \(file) --name describe", "vars",
            ] {
                #expect(await s.handle(line, io: io) == .ok, "\(line): \(io.output.suffix(400))")
            }
            #expect(io.output.contains("id = 2"))
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(text.contains(#"capture: {id: "$.experiments[0].id"}"#), "\(text)")
            #expect(text.contains(#"path: {"experimentId":"{{id}}"}"#), "\(text)")
            let result = await Runner(model: Self.model, client: HTTPClient(), options: .init(master: mock.baseURL))
                .run(try ScenarioParser.parse(text, file: file))
            #expect(!result.failed && result.steps.count == 3, "\(result.steps.map { "\($0.name): \($0.outcome)" })")
        }
    }

    @Test("save keeps every line a file holds: the step goes at the end of steps, before finally")
    func saveKeepsTheFile() async throws {
        let file = Self.temporaryFile("kept.yaml")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let original = """
            # my checks
            name: kept
            steps:
              - name: master
                operation: GetMaster   # anonymous

            finally:
              - name: master again
                operation: GetMaster

            """
        try original.write(toFile: file, atomically: true, encoding: .utf8)
        try await withMockCluster { mock in
            var s = session(mock)
            let io = RecordingIO()
            #expect(await s.handle("try GetMaster", io: io) == .ok)
            #expect(await s.handle("save \(file) --name again", io: io) == .ok, "\(io.output)")
            let text = try String(contentsOfFile: file, encoding: .utf8)
            for line in original.split(separator: "\n") { #expect(text.contains(line), "kept: \(line)") }
            let scenario = try ScenarioParser.parse(text, file: file)
            #expect(scenario.steps.map(\.name) == ["master", "again"] && scenario.finally.map(\.name) == ["master again"])
            #expect(await s.handle("save /", io: io) != .ok, "a folder is refused")
        }
    }

    @Test("script mode: an answer that breaks the spec is exit 1 and the script goes on; an unknown command is exit 2 and stops")
    func scriptExitCodes() async throws {
        try await withMockCluster({ $0.drift = true }) { mock in
            var s = session(mock)
            let drifted = await ExplorerLoop.script(&s, user: nil, reader: ListReader(["try GetExperiments limit=1", "tags"]))
            #expect(drifted == 1)
            var t = session(mock)
            let reader = ListReader(["tags", "sohw GetMe", "tags"])
            #expect(await ExplorerLoop.script(&t, user: nil, reader: reader) == 2)
            #expect(reader.lines == ["tags"], "the script stops at the bad line")
        }
    }

    @Test("login asks for the password and shows neither it nor the token; history keeps no secret line")
    func loginSecrets() async throws {
        let password = "Zebra-Quartz-9137"
        try await withMockCluster({ $0.password = password }) { mock in
            var s = session(mock)
            let io = RecordingIO(answers: [password], interactive: true)
            #expect(await s.handle("login admin", io: io) == .ok, "\(io.output)")
            #expect(io.output.contains("logged in as admin"))
            #expect(await s.handle("try GetMe", io: io) == .ok)
            #expect(await s.handle("last", io: io) == .ok)
            #expect(await s.handle("last curl", io: io) == .ok)
            #expect(await s.handle("vars", io: io) == .ok)
            #expect(!io.output.contains(password) && !io.output.contains("v2.public."), "\(io.output)")
            for line in ["login admin", "try GetMe"] { #expect(ExplorerHistory.mayKeep(line, secrets: s.secretValues)) }
            for line in ["header Authorization: Bearer x", "call --token abc", "set password hunter2", "set x \(password)"] {
                #expect(!ExplorerHistory.mayKeep(line, secrets: s.secretValues), "\(line)")
            }
        }
    }

    @Test("a missing required parameter is asked for at a terminal and an error in a script")
    func missingParameter() async throws {
        try await withMockCluster { mock in
            var s = session(mock)
            let asked = RecordingIO(answers: ["2"], interactive: true)
            #expect(await s.handle("try GetExperiment", io: asked) == .ok, "\(asked.output)")
            #expect(asked.output.contains("experimentId (integer, required): "))
            let script = RecordingIO()
            guard case .error(let e) = await s.handle("try GetExperiment", io: script) else {
                Issue.record("a script cannot be asked")
                return
            }
            #expect(e.message.contains("needs the path parameter 'experimentId'"))
        }
    }
}

@Suite("Explorer: history file")
struct ExplorerHistoryTests {
    @Test("created 0600 under XDG_STATE_HOME, appended in order")
    func file() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-hist-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let history = ExplorerHistory(environment: ["XDG_STATE_HOME": dir])
        #expect(history.path == dir + "/detapi/history")
        history.append("tags")
        history.append("ops Experiments")
        #expect(history.load() == ["tags", "ops Experiments"])
        let mode = try FileManager.default.attributesOfItem(atPath: history.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
