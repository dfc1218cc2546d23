import JSON
import OpenAPI
import Testing

@Suite("Deep documents")
struct DeepDocumentTests {
    /// A recursive schema (a tree of nodes) and a chain of `levels` nodes, `leaf` at the bottom.
    static func chain(_ levels: Int, leaf: String) -> String {
        String(repeating: #"{"children":["#, count: levels) + leaf + String(repeating: "]}", count: levels)
    }

    /// A spec whose one answer is a tree of nodes, and that answer's schema node.
    static func tree() throws -> (APIModel, Int) {
        let spec = #"""
            {"swagger":"2.0","info":{"title":"t","version":"1"},
             "definitions":{"node":{"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#/definitions/node"}}}}},
             "paths":{"/x":{"get":{"operationId":"X","responses":{"200":{"description":"ok","schema":{"$ref":"#/definitions/node"}}}}}}}
            """#
        let model = try SpecLoader.load(bytes: Array(spec.utf8), source: "deep.json")
        return (model, try #require(model.operation(id: "X")?.responses.first?.schemaNode))
    }

    @Test("a document nested as deep as the parser allows is validated, and a violation at the bottom has its full pointer")
    func deepestDocument() throws {
        let (model, schema) = try Self.tree()
        let validator = model.validator()
        // 255 levels of {"children":[…]} is 510 containers deep; the parser's limit is 512.
        let valid = try JSONDocument(parsing: Self.chain(255, leaf: "{}"))
        #expect(valid.depth == 511)
        #expect(validator.validate(valid, against: schema).isValid)
        let invalid = try JSONDocument(parsing: Self.chain(255, leaf: #"{"children":"oops"}"#))
        let result = validator.validate(invalid, against: schema)
        #expect(result.violations.count == 1)
        #expect(result.violations.first?.instancePointer.tokens.count == 255 * 2 + 1)
    }
}
