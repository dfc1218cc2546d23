import Foundation
import HTTP
import Harness
import JSON
import MockClusterTesting
import OpenAPI
import Reports
import Synchronization
import Testing

/// Chains against an API written the way most REST specs are: OpenAPI 3, a base path in `servers`, an apiKey
/// header, a create that answers 201 with the object itself, a list that is a bare array, a 204 delete.
@Suite("conform --allow-writes on a third-party API")
struct ThirdPartyChainTests {
    static let spec = """
        {"openapi": "3.0.3", "info": {"title": "pets", "version": "1"}, "servers": [{"url": "/v1"}],
         "components": {
           "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-API-Key"}},
           "schemas": {
             "Pet": {"type": "object", "required": ["id", "name"],
                     "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "tag": {"type": "string", "nullable": true}}},
             "NewPet": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "tag": {"type": "string"}}},
             "Error": {"type": "object", "properties": {"message": {"type": "string"}}}}},
         "security": [{"key": []}],
         "paths": {
           "/pets": {
             "get": {"operationId": "listPets", "responses": {"200": {"description": "ok",
               "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}}}}}},
             "post": {"operationId": "createPet",
               "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}}}},
               "responses": {"201": {"description": "made", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
                             "400": {"description": "bad", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
           "/pets/{petId}": {
             "parameters": [{"name": "petId", "in": "path", "required": true, "schema": {"type": "integer"}}],
             "get": {"operationId": "showPet", "responses": {
               "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
               "404": {"description": "gone", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}},
             "patch": {"operationId": "updatePet",
               "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}}}},
               "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
                             "400": {"description": "bad", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                             "404": {"description": "gone", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}},
             "delete": {"operationId": "deletePet", "responses": {"204": {"description": "gone"},
               "404": {"description": "gone", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}}}}
        """

    /// The pet store's state: pets by id, and whether deletes really delete (a broken server keeps them).
    final class Store: Sendable {
        let pets = Mutex<[Int: String]>([1: "rex"])
        let next = Mutex(2)
        let keepsDeleted: Bool
        /// A broken server whose create takes a `name` of any type.
        let lenientCreates: Bool
        /// A create that answers 201 with no body, only `Location` (the `locatedSpec` API).
        let bareCreate: Bool
        init(keepsDeleted: Bool, lenientCreates: Bool = false, bareCreate: Bool = false) {
            self.keepsDeleted = keepsDeleted
            self.lenientCreates = lenientCreates
            self.bareCreate = bareCreate
        }

        func answer(_ r: ScriptedServer.Request) -> ScriptedServer.Answer {
            guard r.header("X-API-Key") == "k" else { return .json(401, #"{"message": "no key"}"#) }
            let parts = r.path.split(separator: "/").map(String.init)
            guard parts.first == "v1", parts.count >= 2, parts[1] == "pets" else { return .json(404, #"{"message": "no route"}"#) }
            func pet(_ id: Int, _ name: String) -> String { #"{"id": \#(id), "name": \#(JSONWriter.quoted(name)), "tag": null}"# }
            if parts.count == 2 {
                switch r.method {
                case "GET":
                    return .json(
                        200,
                        "[" + pets.withLock { $0.sorted { $0.key < $1.key }.map { pet($0.key, $0.value) } }.joined(separator: ",") + "]")
                case "POST":
                    let body = try? JSONValue(parsing: r.body)
                    // The broken server takes a name of any type (12345 becomes "12345").
                    let given = body?["name"].flatMap { lenientCreates && $0.stringValue == nil ? JSONWriter().string($0) : $0.stringValue }
                    guard let body, let name = given else { return .json(400, #"{"message": "name is required"}"#) }
                    if let tag = body["tag"], tag.stringValue == nil, !tag.isNull { return .json(400, #"{"message": "tag is a string"}"#) }
                    let id = next.withLock { n in
                        defer { n += 1 }
                        return n
                    }
                    pets.withLock { $0[id] = name }
                    var a = bareCreate ? ScriptedServer.Answer(201) : ScriptedServer.Answer.json(201, pet(id, name))
                    a.headers.append(("Location", "/v1/pets/\(id)"))
                    return a
                default: return .json(405, #"{"message": "method"}"#)
                }
            }
            guard let id = Int(parts[2]) else { return .json(400, #"{"message": "petId is an integer"}"#) }
            guard let name = pets.withLock({ $0[id] }) else { return .json(404, #"{"message": "no such pet"}"#) }
            switch r.method {
            case "GET": return .json(200, pet(id, name))
            case "PATCH":
                guard let body = try? JSONValue(parsing: r.body), case .object = body else { return .json(400, #"{"message": "body"}"#) }
                // The spec's NewPet requires a name, on updates too.
                guard body["name"]?.stringValue != nil else { return .json(400, #"{"message": "name is a required string"}"#) }
                if let v = body["tag"], v.stringValue == nil, !v.isNull { return .json(400, #"{"message": "tag is a string"}"#) }
                let new = body["name"]?.stringValue ?? name
                pets.withLock { $0[id] = new }
                return .json(200, pet(id, new))
            case "DELETE":
                if !keepsDeleted { pets.withLock { $0[id] = nil } }
                return ScriptedServer.Answer(204)
            default: return .json(405, #"{"message": "method"}"#)
            }
        }
    }

    /// The same API whose create answers only a `Location` header (no body), as many REST APIs do.
    static let locatedSpec = spec.replacingOccurrences(
        of: ##""201": {"description": "made", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}"##,
        with: ##""201": {"description": "made", "headers": {"Location": {"schema": {"type": "string"}}}}"##)

    /// The same API with a path parameter no name rule reads (`{pet}`), optionally with `links` on the create.
    static func renamed(links: Bool) -> String {
        var text = spec.replacingOccurrences(of: "petId", with: "pet")
        if links {
            let link = #"{"operationId": "OP", "parameters": {"pet": "$response.body#/id"}}"#
            let all = ["showPet", "updatePet", "deletePet"].map { #""\#($0)": "# + link.replacingOccurrences(of: "OP", with: $0) }
            text = text.replacingOccurrences(
                of: #""201": {"description": "made", "#,
                with: #""201": {"description": "made", "links": {\#(all.joined(separator: ", "))}, "#)
        }
        return text
    }

    static func run(_ store: Store, spec: String = ThirdPartyChainTests.spec) async throws -> (Sweep.Outcome, [Int: String]) {
        let model = try SpecLoader.load(bytes: Array(spec.utf8), source: "pets.json")
        return try await withScriptedServer({ store.answer($0) }) { server in
            var settings = Sweep.Settings()
            settings.allowWrites = true
            settings.runID = "p1"
            settings.workers = 1
            let sweep = Sweep(model: model, selection: .init(), settings: settings)
            let runner = Runner(model: model, client: HTTPClient(), options: .init(master: server.baseURL, token: "k"))
            let outcome = await sweep.run(with: runner)
            return (outcome, store.pets.withLock { $0 })
        }
    }

    @Test("create (201, the object itself) → show → update → delete (204) → show is 404; the store ends as it began")
    func chain() async throws {
        let (outcome, left) = try await Self.run(Store(keepsDeleted: false))
        let steps = outcome.results.flatMap(\.steps)
        let failing = steps.filter { $0.outcome == .failed }.map { "\($0.operationID): \(FailureText.lines($0.failures))" }
        #expect(failing.isEmpty, "\(failing)")
        for id in ["createPet", "showPet", "updatePet", "deletePet", "listPets"] {
            #expect(outcome.coverage.operations.first { $0.id == id }?.reached == true, "\(id)")
        }
        #expect(outcome.coverage.operations.first { $0.id == "createPet" }?.checks[.ensureResourceAvailability] == .passed)
        #expect(outcome.coverage.operations.first { $0.id == "deletePet" }?.checks[.useAfterFree] == .passed)
        #expect(outcome.coverage.operations.first { $0.id == "updatePet" }?.checks[.negativeDataRejection] == .passed)
        #expect(left == [1: "rex"], "only the pet that was there")
        #expect(steps.first { $0.name == "left as found" }?.outcome == .passed)
    }

    @Test("a create that answers only Location: the key is read from the URL, the chain runs, and the store ends as it began")
    func location() async throws {
        #expect(Self.locatedSpec != Self.spec)
        let (outcome, left) = try await Self.run(Store(keepsDeleted: false, bareCreate: true), spec: Self.locatedSpec)
        let steps = outcome.results.flatMap(\.steps)
        let failing = steps.filter { $0.outcome == .failed }.map { "\($0.operationID): \(FailureText.lines($0.failures))" }
        #expect(failing.isEmpty, "\(failing)")
        for id in ["createPet", "showPet", "updatePet", "deletePet"] {
            #expect(outcome.coverage.operations.first { $0.id == id }?.reached == true, "\(id)")
        }
        #expect(outcome.coverage.operations.first { $0.id == "deletePet" }?.checks[.useAfterFree] == .passed)
        #expect(left == [1: "rex"], "\(left)")
        #expect(ResourceKind.key(inLocation: "https://h.example/v1/pets/7?x=1", template: "/pets/{petId}") == 7)
        #expect(ResourceKind.key(inLocation: "/v1/dogs/7", template: "/pets/{petId}") == nil, "a URL of another collection")
    }

    @Test("a create that takes a wrong-typed field fails negative_data_rejection, and the pet it made is deleted at once")
    func lenientCreate() async throws {
        let (outcome, left) = try await Self.run(Store(keepsDeleted: false, lenientCreates: true))
        let steps = outcome.results.flatMap(\.steps)
        let create = try #require(steps.first { $0.operationID == "createPet" })
        let finding = try #require(
            create.failures.first { $0.kind == ConformCheck.negativeDataRejection.kind }, "\(FailureText.lines(create.failures))")
        #expect(finding.variant?.parameter == "/name" && finding.variant?.location == "body", "\(FailureText.lines([finding]))")
        #expect(outcome.coverage.operations.first { $0.id == "createPet" }?.checks[.negativeDataRejection] == .failed)
        #expect(left == [1: "rex"], "the pet the bad body made was deleted: \(left)")
        #expect(steps.first { $0.name == "left as found" }?.outcome == .passed)
    }

    @Test("a server whose delete keeps the pet: use_after_free fails, and the proof names the pet left behind")
    func keepsDeleted() async throws {
        let (outcome, left) = try await Self.run(Store(keepsDeleted: true))
        let steps = outcome.results.flatMap(\.steps)
        let delete = try #require(steps.first { $0.operationID == "deletePet" })
        #expect(delete.failures.contains { $0.kind == ConformCheck.useAfterFree.kind }, "\(FailureText.lines(delete.failures))")
        let proof = try #require(steps.first { $0.name == "left as found" })
        #expect(
            proof.outcome == .failed && FailureText.lines(proof.failures).joined().contains("listPets lists 2"),
            "\(FailureText.lines(proof.failures))")
        #expect(left.count == 2)
    }

    @Test("a parameter no name rule reads ({pet}): without links the create is not sent (no delete known); with links the chain runs")
    func links() async throws {
        let (without, untouched) = try await Self.run(Store(keepsDeleted: false), spec: Self.renamed(links: false))
        #expect(without.coverage.notSent.contains { $0.id == "createPet" }, "\(without.coverage.notSent.map(\.id))")
        #expect(untouched == [1: "rex"])
        let (with, left) = try await Self.run(Store(keepsDeleted: false), spec: Self.renamed(links: true))
        let failing = with.results.flatMap(\.steps).filter { $0.outcome == .failed }.map {
            "\($0.operationID): \(FailureText.lines($0.failures))"
        }
        #expect(failing.isEmpty, "\(failing)")
        for id in ["createPet", "showPet", "updatePet", "deletePet"] {
            #expect(with.coverage.operations.first { $0.id == id }?.reached == true, "\(id)")
        }
        #expect(with.coverage.operations.first { $0.id == "deletePet" }?.checks[.useAfterFree] == .passed)
        #expect(left == [1: "rex"])
    }
}
