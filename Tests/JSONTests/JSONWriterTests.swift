import JSON
import Testing

@Suite("JSON writing and pointers")
struct JSONWriterTests {
    @Test("pretty output uses two spaces and keeps key order")
    func pretty() throws {
        let value = try JSONValue(parsing: #"{"b":[1,{"c":null}],"a":{},"e":[]}"#)
        let expected = """
            {
              "b": [
                1,
                {
                  "c": null
                }
              ],
              "a": {},
              "e": []
            }
            """
        #expect(JSONWriter(style: .pretty).string(value) == expected)
        #expect(JSONWriter(sortedKeys: true).string(value) == #"{"a":{},"b":[1,{"c":null}],"e":[]}"#)
    }

    @Test("strings are escaped so that they parse back unchanged")
    func roundTrip() throws {
        let original: JSONValue = ["s": "quote \" backslash \\ newline \n tab \t nul \u{0} bell \u{7} é 😀 </script>"]
        let text = JSONWriter().string(original)
        #expect(text.contains(#"\u0000"#))
        #expect(text.contains(#"\u0007"#))
        #expect(try JSONValue(parsing: text) == original)
    }

    @Test("JSON pointers resolve and escape per RFC 6901")
    func pointers() throws {
        let doc: JSONValue = ["a/b": ["m~n": [10, 20]], "": "empty", "list": [["id": 7]]]
        #expect(try JSONPointer(parsing: "/a~1b/m~0n/1").resolve(in: doc) == 20)
        #expect(try JSONPointer(parsing: "/").resolve(in: doc) == "empty")
        #expect(try JSONPointer(parsing: "").resolve(in: doc) == doc)
        #expect(try JSONPointer(parsing: "/list/0/id").resolve(in: doc) == 7)
        #expect(try JSONPointer(parsing: "/list/01").resolve(in: doc) == nil)
        #expect(try JSONPointer(parsing: "/list/5").resolve(in: doc) == nil)
        #expect(JSONPointer(tokens: ["a/b", "m~n"]).description == "/a~1b/m~0n")
        #expect(throws: JSONPointerError.self) { try JSONPointer(parsing: "a") }
        #expect(throws: JSONPointerError.self) { try JSONPointer(parsing: "/a~2") }
        #expect(try JSONPointer(fragment: "#/definitions/v1%20User").tokens == ["definitions", "v1 User"])

        let bytes = JSONWriter().bytes(doc)
        let document = try JSONDocument(parsing: bytes)
        let node = try JSONPointer(parsing: "/list/0/id").resolve(in: document)
        #expect(node.flatMap { document.int64($0) } == 7)
    }
}
