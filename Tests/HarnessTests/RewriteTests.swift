import Foundation
import HTTP
import Harness
import JSON
import MockClusterTesting
import OpenAPI
import Reports
import Synchronization
import Testing

/// A write that takes what the GET of its own path answers (a user's preferences): conform sends it back with the
/// values just read, and the GET after it must answer the same.
@Suite("conform --allow-writes: a write sent with the values just read")
struct RewriteTests {
    static let spec = """
        {"swagger": "2.0", "info": {"title": "prefs", "version": "1"}, "basePath": "/api",
         "securityDefinitions": {"key": {"type": "apiKey", "in": "header", "name": "Authorization"}},
         "security": [{"key": []}],
         "definitions": {
           "Pref": {"type": "object", "required": ["key"], "properties": {"key": {"type": "string"}, "value": {"type": "string"}}},
           "Prefs": {"type": "object", "required": ["prefs"],
                     "properties": {"prefs": {"type": "array", "description": "What is stored.", "items": {"$ref": "#/definitions/Pref"}}}},
           "SetPrefs": {"type": "object", "required": ["prefs"],
                        "properties": {"prefs": {"type": "array", "description": "What to store.", "items": {"$ref": "#/definitions/Pref"}}}}},
         "paths": {"/prefs": {
           "get": {"operationId": "getPrefs", "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Prefs"}}}},
           "post": {"operationId": "setPrefs", "parameters": [{"name": "body", "in": "body", "required": true, "schema": {"$ref": "#/definitions/SetPrefs"}}],
                    "responses": {"200": {"description": "ok", "schema": {"type": "object"}}}}}}}
        """

    /// Preferences upserted by key; a broken server appends instead, so the same values sent again add a copy.
    final class Store: Sendable {
        let prefs = Mutex<[(String, String)]>([("theme", "dark"), ("lang", "en")])
        let appends: Bool
        init(appends: Bool) { self.appends = appends }

        func answer(_ r: ScriptedServer.Request) -> ScriptedServer.Answer {
            guard r.header("Authorization") == "Bearer k" else { return .json(401, #"{"message": "no key"}"#) }
            guard r.path.hasPrefix("/api/prefs") else { return .json(404, #"{"message": "no route"}"#) }
            switch r.method {
            case "GET":
                let items = prefs.withLock { $0.map { #"{"key": \#(JSONWriter.quoted($0.0)), "value": \#(JSONWriter.quoted($0.1))}"# } }
                return .json(200, #"{"prefs": [\#(items.joined(separator: ","))]}"#)
            case "POST":
                guard let list = (try? JSONValue(parsing: r.body))?["prefs"]?.arrayValue else {
                    return .json(400, #"{"message": "prefs"}"#)
                }
                prefs.withLock { stored in
                    for item in list {
                        guard let key = item["key"]?.stringValue else { continue }
                        let value = item["value"]?.stringValue ?? ""
                        if !appends, let i = stored.firstIndex(where: { $0.0 == key }) {
                            stored[i].1 = value
                        } else {
                            stored.append((key, value))
                        }
                    }
                }
                return .json(200, "{}")
            default: return .json(405, #"{"message": "method"}"#)
            }
        }
    }

    static func run(_ store: Store) async throws -> (Sweep.Outcome, [(String, String)]) {
        let model = try SpecLoader.load(bytes: Array(spec.utf8), source: "prefs.json")
        return try await withScriptedServer({ store.answer($0) }) { server in
            var settings = Sweep.Settings()
            settings.allowWrites = true
            settings.runID = "r1"
            settings.workers = 1
            let sweep = Sweep(model: model, selection: .init(), settings: settings)
            #expect(sweep.rewrites().map(\.write.id) == ["setPrefs"], "the descriptions differ; the shapes are the same")
            #expect(sweep.chainPlan().notSent.isEmpty, "setPrefs is sent, not listed")
            let runner = Runner(model: model, client: HTTPClient(), options: .init(master: server.baseURL, token: "k"))
            return (await sweep.run(with: runner), store.prefs.withLock { $0 })
        }
    }

    @Test("an upsert sent what GET answered passes, reaches the write, and changes nothing")
    func sameValues() async throws {
        let (outcome, left) = try await Self.run(Store(appends: false))
        let row = try #require(outcome.results.flatMap(\.steps).first { $0.operationID == "setPrefs" })
        #expect(row.outcome == .passed, "\(FailureText.lines(row.failures))")
        #expect(outcome.coverage.operations.first { $0.id == "setPrefs" }?.reached == true)
        #expect(left.map { "\($0.0)=\($0.1)" } == ["theme=dark", "lang=en"])
    }

    @Test("a server that appends what it was sent again fails: the GET after the write answers something else")
    func appendsFails() async throws {
        let (outcome, _) = try await Self.run(Store(appends: true))
        let row = try #require(outcome.results.flatMap(\.steps).first { $0.operationID == "setPrefs" })
        #expect(row.outcome == .failed)
        #expect(row.failures.contains { $0.reason == .changedBySameValues(write: "setPrefs", read: "getPrefs") })
    }
}
