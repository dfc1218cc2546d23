import JSON
import OpenAPI
import Testing

@Suite("Schemas as people read them")
struct SchemaRendererTests {
    @Test("type arrays and oneOf with null read 'integer or null'; bounds, pattern, const and example are shown")
    func summaries() throws {
        let document = try JSONValue(
            parsing: Array(#"{"components": {"schemas": {"Other": {"type": "object"}}}}"#.utf8))
        let r = SchemaRenderer(document: document)
        #expect(r.typeSummary(["type": ["integer", "null"], "minimum": 0, "maximum": 10]) == "integer or null ≥ 0 ≤ 10")
        #expect(r.typeSummary(["oneOf": [["type": "null"], ["$ref": "#/components/schemas/Other"]]]) == "null or Other")
        #expect(r.typeSummary(["const": "default_database"]) == #"string const "default_database""#)
        #expect(r.typeSummary(["type": "string", "pattern": "^a", "example": "abc"]) == #"string pattern ^a example "abc""#)
        #expect(r.typeSummary(["type": "integer", "nullable": true, "format": "int32"]) == "integer or null (int32)")
        #expect(r.typeSummary(["type": "array", "items": ["type": "string"]]) == "array of string")
    }
}
