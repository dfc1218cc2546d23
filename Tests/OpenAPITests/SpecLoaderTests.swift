import Foundation
import JSON
import OpenAPI
import Testing

@Suite("Spec loading: OpenAPI 3.0 YAML over several files, 3.1, broken specs")
struct SpecLoaderTests {
    @Test("a YAML alias bomb (\"billion laughs\") is an error at its line, not a hang")
    func aliasBomb() {
        let text = """
            swagger: "2.0"
            info: {title: t, version: "1"}
            paths: {}
            x-bomb:
            \(Self.aliasBomb.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            """
        do {
            _ = try SpecLoader.load(bytes: Array(text.utf8), source: "bomb.yaml")
            Issue.record("the bomb loaded")
        } catch {
            #expect(error.description.hasPrefix("bomb.yaml:"), "\(error.description)")
            #expect(error.description.contains("YAML aliases expand this document to more values than it has bytes"))
        }
    }

    @Test("schemas that refer to each other in a loop without reaching a value are an error naming the loop, not a stack overflow")
    func referenceLoop() {
        let spec = #"""
            {"swagger":"2.0","info":{"title":"t","version":"1"},
             "definitions":{"A":{"$ref":"#/definitions/B"},"B":{"allOf":[{"$ref":"#/definitions/A"}]}},
             "paths":{"/x":{"get":{"operationId":"X","responses":{"200":{"description":"ok","schema":{"$ref":"#/definitions/A"}}}}}}}
            """#
        do {
            _ = try SpecLoader.load(bytes: Array(spec.utf8), source: "loop.json", strict: true)
            Issue.record("the loop loaded")
        } catch {
            #expect(
                error.description.contains(
                    "schemas refer to each other in a loop that never reaches a value: #/definitions/A → #/definitions/B → #/definitions/B/allOf/0 → #/definitions/A"
                ),
                "\(error.description)")
        }
    }

    /// Found by fuzzing (Tests/Fuzz/crashes/spec).
    ///
    /// A schema whose required property is itself has no finite instance; sampling it (as the mock and conform
    /// do) overflowed the stack. It now stops, nested but finite.
    @Test("sampling a schema with a required property that refers to itself ends")
    func requiredSelfReferenceSamples() throws {
        let spec = #"""
            {"swagger":"2.0","info":{"title":"t","version":"1"},
             "definitions":{"Item":{"type":"object","required":["id","parent"],
               "properties":{"id":{"type":"integer"},"parent":{"$ref":"#/definitions/Item"}}}},
             "paths":{"/x":{"get":{"operationId":"X","responses":{"200":{"description":"ok","schema":{"$ref":"#/definitions/Item"}}}}}}}
            """#
        let model = try SpecLoader.load(bytes: Array(spec.utf8), source: "self.json")
        let sample = SchemaSampler(schemas: model.schemas).sample(try #require(model.schemaNode(named: "Item")))
        var depth = 0
        var node: JSONValue? = sample
        while let parent = node?["parent"] {
            depth += 1
            node = parent
        }
        #expect(sample["id"] != nil)
        #expect(depth > 5 && depth < 200, "nested \(depth) levels")
    }

    /// A generated spec can chain thousands of schemas, each referring to the next.
    ///
    /// Compiling them recursed once per link and overflowed the stack (found with a 10,000-operation spec). The chain compiles, and the
    /// nodes built late validate like the others.
    @Test("a chain of 2,000 schemas, each referring to the next, compiles and validates at the far end")
    func longReferenceChain() throws {
        var definitions: [JSONObject.Member] = []
        for i in 0..<2000 {
            let next: JSONValue = i == 1999 ? ["type": "integer"] : ["$ref": .string("#/definitions/T\(i + 1)")]
            definitions.append(.init(key: "T\(i)", value: ["type": "object", "properties": ["next": next]]))
        }
        let spec: JSONValue = [
            "swagger": "2.0", "info": ["title": "chain", "version": "1"], "definitions": .object(JSONObject(definitions)),
            "paths": [
                "/x": ["get": ["operationId": "X", "responses": ["200": ["description": "ok", "schema": ["$ref": "#/definitions/T0"]]]]]
            ],
        ]
        let model = try SpecLoader.load(bytes: JSONWriter().bytes(spec), source: "chain.json", strict: true)
        let node = try #require(model.schemaNode(named: "T0"))
        // 400 levels down (past the depth the compiler builds recursively), a string where an object belongs.
        let body = String(repeating: #"{"next":"#, count: 400) + #""deep""# + String(repeating: "}", count: 400)
        let result = try model.validator().validate(Array(body.utf8), against: node)
        #expect(result.violations.count == 1)
        #expect(result.violations.first?.instancePointer.description == String(repeating: "/next", count: 400))
        let valid = String(repeating: #"{"next":"#, count: 400) + "{}" + String(repeating: "}", count: 400)
        #expect(try model.validator().validate(Array(valid.utf8), against: node).isValid)
    }

    /// Nine levels of nine aliases each: 387,420,489 strings if expanded.
    static let aliasBomb = """
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
        """

    @Test("an OpenAPI 3.0 YAML spec with relative-file refs loads and validates with nullable and writeOnly")
    func openAPI30() throws {
        let model = try SpecLoader.load(path: Fixtures.path("petstore-3.0.yaml"), strict: true)
        #expect(model.version == .openAPI30)
        #expect(model.title == "Pet store (fixture)")
        #expect(model.servers == ["https://pets.example/v2"])
        #expect(model.operations.map(\.id).sorted() == ["createPet", "listMyPets", "listPets", "showPetById"])
        let list = try #require(model.operation(id: "listPets"))
        #expect(list.parameters.first { $0.name == "tag" }?.collectionFormat == "multi")
        #expect(list.response(for: 404)?.status == .range(4))
        #expect(list.response(for: 500) == nil)
        #expect(model.operation(id: "showPetById")?.parameters.first?.location == .path, "path-level parameters are inherited")
        #expect(model.operation(id: "showPetById")?.requiresAuthentication(global: model.globalSecurity) == false)
        #expect(model.operation(id: "createPet")?.requestBody?.required == true)
        // Literal segments beat templated ones.
        #expect(model.operation(method: "GET", path: "/pets/mine")?.id == "listMyPets")
        #expect(model.operation(method: "GET", path: "/pets/42")?.id == "showPetById")

        let schema = try #require(list.response(for: 200)?.schemaNode)
        let validator = model.validator()
        let ok = try JSONDocument(
            parsing: #"[{"id": 1, "name": "rex", "tag": null, "owner": {"name": "ann", "pets": [{"id": 2, "name": "kit"}]}}]"#)
        #expect(validator.validate(ok, against: schema).isValid)
        let bad = try JSONDocument(
            parsing: #"[{"id": "1", "name": "", "born": "2026-02-30", "secret": "s", "owner": {"pets": [{"name": "kit"}]}}]"#)
        let problems = validator.validate(bad, against: schema).violations.map(\.description)
        #expect(problems.contains(#"/0/id: expected integer, found string "1""#))
        #expect(problems.contains { $0.hasPrefix("/0/name: expected at least 1 characters") })
        #expect(problems.contains { $0.hasPrefix("/0/born: ") && $0.contains("date") })
        #expect(problems.contains { $0.hasPrefix("/0/secret: writeOnly property") })
        #expect(problems.contains("/0/owner/pets/0: missing required property 'id'"))
    }

    @Test("an OpenAPI 3.1 spec validates with JSON Schema 2020-12 semantics")
    func openAPI31() throws {
        let model = try SpecLoader.load(path: Fixtures.path("items-3.1.json"), strict: true)
        #expect(model.version == .openAPI31)
        let schema = try #require(model.operation(id: "GetItem")?.response(for: 200)?.schemaNode)
        let validator = model.validator()
        #expect(
            validator.validate(try JSONDocument(parsing: #"{"id": 1, "note": null, "labels": ["first", "x"]}"#), against: schema).isValid)
        let result = validator.validate(try JSONDocument(parsing: #"{"id": 1, "labels": ["second"], "extra": true}"#), against: schema)
        #expect(result.violations.map(\.keyword).sorted() == ["const", "unevaluatedProperties"])
    }

    @Test("a broken $ref is a lint error, and an error naming file and pointer when loading strictly")
    func brokenReference() throws {
        let lenient = try SpecLoader.load(path: Fixtures.path("broken-ref.json"))
        #expect(lenient.warnings.contains { $0.severity == .error && $0.message.contains("#/definitions/Missing") })
        do {
            _ = try SpecLoader.load(path: Fixtures.path("broken-ref.json"), strict: true)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .brokenReference)
            #expect(error.description.contains("broken-ref.json#/paths/~1x/get/responses/200/schema"))
        }
    }

    @Test("documents that are not specs, or not JSON, fail with file and position")
    func notSpecs() throws {
        do {
            _ = try SpecLoader.load(bytes: Array(#"{"name": "x"}"#.utf8), source: "x.json")
            Issue.record("expected notASpec")
        } catch {
            #expect(error.kind == .notASpec)
            #expect(error.description.hasPrefix("x.json: "))
        }
        do {
            _ = try SpecLoader.load(bytes: Array("{\n \"swagger\": \"2.0\",\n}".utf8), source: "y.json")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.kind == .syntax)
            #expect(error.location == "y.json:3:1")
        }
        do {
            _ = try SpecLoader.load(path: "/nonexistent/spec.yaml")
            Issue.record("expected unreadable")
        } catch {
            #expect(error.description == "/nonexistent/spec.yaml: no such file")
        }
    }

    @Test("duplicate operationIds and path parameters missing from the path are lint errors; an undeclared template variable is a warning")
    func lint() throws {
        let text = """
            swagger: "2.0"
            info: {title: t, version: "1"}
            paths:
              /a/{id}:
                get: {operationId: Same, responses: {"200": {description: ok}}}
              /b:
                get:
                  operationId: Same
                  parameters: [{name: ghost, in: path, required: true, type: string}]
                  responses: {"200": {description: ok}}
            """
        let model = try SpecLoader.load(bytes: Array(text.utf8), source: "lint.yaml")
        let messages = model.warnings.filter { $0.severity == .error }.map(\.message)
        #expect(messages.contains { $0.contains("duplicate operationId 'Same'") })
        #expect(!messages.contains { $0.contains("'{id}' has no path parameter") })
        #expect(model.warnings.contains { $0.severity == .warning && $0.message.contains("'{id}' has no path parameter") })
        #expect(model.operations[0].parameters.map(\.name) == ["id"], "filled like a string parameter")
        #expect(messages.contains { $0.contains("'ghost' does not appear in the path") })
    }

    @Test("a remote spec's $refs to other documents are fetched once each through the caller's fetch, then resolved")
    func remoteDocuments() async throws {
        let root = #"""
            {"swagger": "2.0", "info": {"title": "r", "version": "1"}, "paths": {"/pets": {"get": {"operationId": "GetPets",
             "responses": {"200": {"description": "ok", "schema": {"$ref": "models/pet.json#/Pet"}}}}}}}
            """#
        let pet =
            #"{"Pet": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}, "tag": {"$ref": "tag.json#/Tag"}}}}"#
        let tag = #"{"Tag": {"type": "string"}}"#
        let documents = ["https://h/api/models/pet.json": pet, "https://h/api/models/tag.json": tag]
        let asked = Asked()
        let model = try await SpecLoader.load(
            bytes: Array(root.utf8), source: "https://h/api/spec.json", uri: "https://h/api/spec.json", strict: true
        ) {
            uri in
            asked.add(uri)
            return documents[uri].map { Array($0.utf8) }
        }
        #expect(asked.all.sorted() == documents.keys.sorted())
        let node = try #require(model.operation(id: "GetPets")?.response(for: 200)?.schemaNode)
        #expect(model.validator().validate(try JSONDocument(parsing: Array(#"{"id": 1, "tag": "a"}"#.utf8)), against: node).isValid)
        #expect(!model.validator().validate(try JSONDocument(parsing: Array(#"{"tag": 2}"#.utf8)), against: node).isValid)
    }
}

/// The URIs a fetch closure was asked for.
final class Asked: @unchecked Sendable {
    private(set) var all: [String] = []
    func add(_ uri: String) { all.append(uri) }
}
