import Foundation
import HTTP
import JSON
import MockCluster
import OpenAPI
import Testing

@Suite("Mock: bodies against the spec; users, workspaces, projects; drift; state")
struct ContractTests {
    static let ownSpec = try! SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source)

    /// Validates an answer against the operation's documented response for its status.
    func violations(_ model: APIModel, _ opID: String, _ answer: MockHarness.Answer, nulls: NullPolicy = .optional) -> [SchemaViolation] {
        guard let op = model.operation(id: opID), let node = op.response(for: answer.status)?.schemaNode,
            let doc = try? JSONDocument(parsing: answer.response.body)
        else {
            return [
                SchemaViolation(
                    instancePointer: .root, schemaLocation: "", keyword: "", message: "no schema or no JSON for \(opID) \(answer.status)")
            ]
        }
        return model.validator(nulls: nulls).validate(doc, against: node).violations
    }

    @Test("every modeled answer, errors included, is valid against detapi's spec")
    func modeledBodiesValidate() async throws {
        try await withMock { m in
            let t = try await m.login()
            let calls: [(String, MockHarness.Answer)] = [
                ("GetMaster", try await m.get("/api/v1/master")),
                ("Login", try await m.post("/api/v1/auth/login", body: #"{"username":"admin","password":""}"#)),
                ("Login", try await m.post("/api/v1/auth/login", body: #"{"username":"admin","password":"x"}"#)),
                ("GetMe", try await m.get("/api/v1/me", token: t)),
                ("GetUsers", try await m.get("/api/v1/users", token: t)),
                ("GetUser", try await m.get("/api/v1/users/1", token: t)),
                ("GetUser", try await m.get("/api/v1/users/99", token: t)),
                ("GetExperiments", try await m.get("/api/v1/experiments?limit=-1", token: t)),
                ("GetExperiment", try await m.get("/api/v1/experiments/3", token: t)),
                ("GetExperiment", try await m.get("/api/v1/experiments/1", token: t)),
                ("ArchiveExperiment", try await m.post("/api/v1/experiments/1/archive", token: t)),
                (
                    "ArchiveExperiments",
                    try await m.post("/api/v1/projects/1/experiments/archive", token: t, body: #"{"experimentIds":[1,2]}"#)
                ),
                ("GetWorkspaces", try await m.get("/api/v1/workspaces", token: t)),
                ("GetWorkspace", try await m.get("/api/v1/workspaces/1", token: t)),
                ("GetWorkspaceProjects", try await m.get("/api/v1/workspaces/0/projects", token: t)),
                ("GetProject", try await m.get("/api/v1/projects/1", token: t)),
                ("GetInfo", try await m.get("/info")),
            ]
            for (op, answer) in calls {
                #expect(
                    violations(Self.ownSpec, op, answer).isEmpty,
                    "\(op) \(answer.status): \(violations(Self.ownSpec, op, answer).prefix(3))")
            }
        }
    }

    @Test("users, workspaces and projects: their pagination (limit 0 = all, offset out of range = 400) and fresh-cluster objects")
    func directory() async throws {
        try await withMock { m in
            let t = try await m.login()
            let users = try await m.get("/api/v1/users", token: t)
            #expect(users.body["pagination"] == ["offset": 0, "limit": 0, "startIndex": 0, "endIndex": 2, "total": 2])
            #expect(users.body["users"]?[0]?["agentUserGroup"] == .null)
            #expect(try await m.get("/api/v1/users?offset=3", token: t).error == "offset out of bounds")
            #expect(try await m.get("/api/v1/users?offset=2", token: t).body["users"] == [])
            #expect(try await m.get("/api/v1/users?limit=-1", token: t).status == 500)
            #expect(try await m.get("/api/v1/users?active=maybe", token: t).error == #"strconv.ParseBool: parsing "maybe": invalid syntax"#)
            #expect(try await m.get("/api/v1/users/99", token: t).error == "user not found")
            #expect(try await m.get("/api/v1/users/me", token: t).error?.hasPrefix("type mismatch, parameter: user_id") == true)
            let ws = try await m.get("/api/v1/workspaces/1", token: t).body["workspace"]
            #expect(ws?["name"] == "Uncategorized" && ws?["immutable"] == true && ws?["state"] == "WORKSPACE_STATE_UNSPECIFIED")
            #expect(try await m.get("/api/v1/workspaces/0", token: t).error == "workspace '0' not found")
            let p = try await m.get("/api/v1/projects/1", token: t).body["project"]
            #expect(p?["workspaceName"] == "Uncategorized")
            #expect(p?["key"]?.stringValue?.range(of: "^UNC[0-9A-F]{2}$", options: .regularExpression) != nil)
            let listed = try await m.get("/api/v1/workspaces/1/projects", token: t).body["projects"]?[0]
            #expect(listed?["workspaceName"] == "", "the list omits workspaceName")
            #expect(try await m.get("/api/v1/projects/42", token: t).error == "project '42' not found")
        }
    }

    @Test(
        "every GET operation of the full Determined spec answers with a body valid against it",
        .enabled(
            if: FileManager.default.fileExists(atPath: ContractTests.fullSpecPath),
            "../shared/specs/determined-0.38.1.swagger.json not found; skipped"))
    func fullSpecGenericAnswers() async throws {
        let model = try SpecLoader.load(path: Self.fullSpecPath)
        try await withMock({ $0.spec = model }) { m in
            let t = try await m.login()
            var checked = 0
            var problems: [String] = []
            // /health is answered by the mock itself; every other operation outside the route table is a sample.
            let modelled = Set(MockServer.modelledOperationIDs + ["health"])
            for op in model.operations where op.method == "GET" {
                let path = op.path.replacingOccurrences(of: #"\{[^}]+\}"#, with: "1", options: .regularExpression)
                let answer = try await m.get(path, token: t)
                #expect(
                    answer.response.headers["X-Detapi-Mock"] == (modelled.contains(op.id) ? "modelled" : "sampled"),
                    "\(op.id) \(path): every answer says whether it is modelled or sampled")
                guard answer.status == 200 else { continue }
                checked += 1
                // Echo routes that serve files or CSV answer in their own documented type: no JSON schema to check.
                if let media = op.response(for: 200)?.mediaTypes.first, !media.contains("json") { continue }
                // Server streams answer a JSON object per line (checked line by line in the harness's tests).
                if Set(op.response(for: 200)?.schema?["properties"]?.objectValue?.keys ?? []) == ["result", "error"] {
                    let lines = String(decoding: answer.response.body, as: UTF8.self).split(separator: "\n")
                    #expect(!lines.isEmpty && lines.allSatisfy { (try? JSONValue(parsing: Array($0.utf8)))?["result"] != nil }, "\(op.id)")
                    continue
                }
                let found = violations(model, op.id, answer)
                if !found.isEmpty { problems.append("\(op.id) \(path): \(found.prefix(2))") }
            }
            #expect(checked > 90)
            #expect(problems.isEmpty, "\(problems.count) invalid:\n\(problems.prefix(10).joined(separator: "\n"))")
            let unauthenticated = try await m.get("/api/v1/agents")
            #expect(unauthenticated.status == 401, "security is enforced on generic operations too")
        }
    }

    @Test(
        "full spec: every list operation pages from offset 0 to its end within 20 pages; path ids are echoed",
        .enabled(
            if: FileManager.default.fileExists(atPath: ContractTests.fullSpecPath),
            "../shared/specs/determined-0.38.1.swagger.json not found; skipped"))
    func fullSpecPaging() async throws {
        let model = try SpecLoader.load(path: Self.fullSpecPath)
        try await withMock({ $0.spec = model }) { m in
            let t = try await m.login()
            var paged = 0
            var problems: [String] = []
            for op in model.operations where op.method == "GET" && op.parameters.contains(where: { $0.name == "limit" }) {
                let base = op.path.replacingOccurrences(of: #"\{[^}]+\}"#, with: "1", options: .regularExpression)
                var offset = 0
                var pages = 0
                while pages < 20 {
                    pages += 1
                    let answer = try await m.get("\(base)?offset=\(offset)&limit=10", token: t)
                    guard answer.status == 200, let p = answer.body["pagination"], let end = p["endIndex"]?.intValue,
                        let total = p["total"]?.intValue
                    else { break }
                    if end >= total { break }
                    offset = end
                }
                if pages >= 20 { problems.append(op.id) }
                paged += 1
            }
            #expect(paged > 20)
            #expect(problems.isEmpty, "did not end within 20 pages: \(problems)")
            let trial = try await m.get("/api/v1/trials/201", token: t)
            #expect(trial.body["trial"]?["id"]?.intValue == 201)
        }
    }

    static let fullSpecPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/specs/determined-0.38.1.swagger.json").path

    @Test("--drift bodies fail validation; the same calls without drift pass")
    func drift() async throws {
        try await withMock({ $0.drift = true }) { m in
            let t = try await m.login()
            var failing = 0
            for path in ["/api/v1/experiments?limit=3", "/api/v1/experiments/1", "/api/v1/users", "/api/v1/workspaces/1"] {
                let answer = try await m.get(path, token: t)
                let op = [
                    "/api/v1/experiments?limit=3": "GetExperiments", "/api/v1/experiments/1": "GetExperiment", "/api/v1/users": "GetUsers",
                    "/api/v1/workspaces/1": "GetWorkspace",
                ][path]!
                if !violations(Self.ownSpec, op, answer).isEmpty { failing += 1 }
            }
            #expect(failing == 4)
        }
    }

    @Test("--state survives a restart, and faults answer 503 with Retry-After")
    func stateAndFaults() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-mock-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await withMock({ $0.stateFile = file }) { m in
            let t = try await m.login()
            #expect(try await m.post("/api/v1/experiments/2/unarchive", token: t).status == 200)
        }
        #expect(FileManager.default.fileExists(atPath: file))
        try await withMock({ $0.stateFile = file }) { m in
            let t = try await m.login()
            #expect(try await m.get("/api/v1/experiments/2", token: t).body["experiment"]?["archived"] == false)
        }
        try await withMock({ $0.failRate = 1 }) { m in
            let a = try await m.get("/api/v1/master")
            #expect(a.status == 503 || a.status == 500)
            if a.status == 503 { #expect(a.response.headers["Retry-After"] == "1") }
            #expect(try await m.get("/info").status == 200, "/info is not faulted unless asked")
        }
    }
}
