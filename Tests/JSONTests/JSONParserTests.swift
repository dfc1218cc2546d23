import JSON
import Testing

@Suite("JSON parsing")
struct JSONParserTests {
    @Test(
        "valid documents parse to the expected values",
        arguments: [
            ("0", JSONValue.number(JSONNumber(text: "0"))),
            ("-0.5e+3", .number(JSONNumber(text: "-0.5e+3"))),
            (#""a\"b\\c\/d\b\f\n\r\t""#, .string("a\"b\\c/d\u{8}\u{C}\n\r\t")),
            (#""\u00e9\u4e2d\ud83d\ude00""#, .string("é中😀")),
            ("\"é中😀\"", .string("é中😀")),
            (" [ true , false , null ] ", [true, false, nil]),
            (#"{"a":{"b":[1,{"c":"d"}]},"e":[]}"#, ["a": ["b": [1, ["c": "d"]]], "e": []]),
            ("{}", [:]),
        ] as [(String, JSONValue)])
    func valid(text: String, expected: JSONValue) throws {
        #expect(try JSONValue(parsing: text) == expected)
    }

    /// Found by fuzzing (Tests/Fuzz/crashes/json): an object with a key twice was not equal to itself, so an
    /// `equals` assertion on such an answer failed against the very same answer.
    @Test func duplicateKeysCompareByTheValueLookupsSee() throws {
        let twice = try JSONValue(parsing: #"{"a":1,"b":true,"a":2}"#)
        #expect(twice == twice)
        #expect(twice == (try JSONValue(parsing: #"{"b":true,"a":2}"#)))
        #expect(twice != (try JSONValue(parsing: #"{"b":true,"a":1}"#)))
        #expect(twice.hashValue == (try JSONValue(parsing: #"{"a":2,"b":true}"#)).hashValue)
        #expect(try JSONValue(parsing: JSONWriter().bytes(twice)) == twice)
    }

    @Test(
        "invalid documents are rejected with a message and position",
        arguments: [
            ("", "unexpected end of input", 1),
            ("[1,2,]", "trailing comma", 6),
            (#"{"a":1,}"#, "trailing comma", 8),
            ("[1 2]", "expected ',' or ']'", 4),
            (#"{"a" 1}"#, "expected ':'", 6),
            ("{a:1}", "string key", 2),
            ("01", "leading zeros", 1),
            ("1.", "digit after '.'", 3),
            ("1e", "exponent", 3),
            ("-", "unexpected end", 2),
            ("+1", "unexpected '+'", 1),
            ("tru", "unexpected end", 4),
            ("nul1", "invalid literal", 1),
            (#""abc"#, "unterminated string", 1),
            ("\"a\tb\"", "control character", 3),
            (#""\x""#, "not a JSON escape", 2),
            (#""\u12""#, "four hex digits", 2),
            (#""\ud800""#, "high surrogate", 2),
            (#""\ud800\u0041""#, "not a low surrogate", 8),
            (#""\udc00""#, "lone low surrogate", 2),
            ("[1] x", "after the JSON value", 5),
            ("// comment\n1", "unexpected '/'", 1),
            ("NaN", "unexpected 'N'", 1),
        ])
    func invalid(text: String, message: String, column: Int) {
        do {
            _ = try JSONDocument(parsing: text)
            Issue.record("\(text) should not parse")
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.column == column, "\(text): \(error)")
        }
    }

    @Test(
        "invalid UTF-8 is rejected",
        arguments: [
            [0x22, 0xC3, 0x22],  // truncated 2-byte sequence
            [0x22, 0xC0, 0x80, 0x22],  // overlong NUL
            [0x22, 0xED, 0xA0, 0x80, 0x22],  // encoded surrogate
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
            [0x22, 0xFF, 0x22],
        ] as [[UInt8]])
    func invalidUTF8(bytes: [UInt8]) {
        #expect(throws: JSONParseError.self) { try JSONDocument(parsing: bytes) }
    }

    @Test("errors give line, column and the offending line")
    func errorPosition() {
        let text = "{\n  \"a\": 1,\n  \"b\": [1, 2,, 3]\n}"
        do {
            _ = try JSONDocument(parsing: text)
            Issue.record("should fail")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 14)
            #expect(error.description.hasPrefix("line 3, column 14: unexpected ','"))
            #expect(error.excerptDescription.contains("\"b\": [1, 2,, 3]"))
            #expect(error.excerptDescription.hasSuffix("\n" + String(repeating: " ", count: 15) + "^"))
        }
    }

    @Test("100,000 nested brackets fail with a depth error, not a crash")
    func deepNesting() {
        let text = String(repeating: "[", count: 100_000)
        do {
            _ = try JSONDocument(parsing: text)
            Issue.record("should fail")
        } catch {
            #expect(error.kind == .tooDeep(limit: 512))
        }
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect((try? JSONDocument(parsing: ok)) != nil)
        let tooMany = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect((try? JSONDocument(parsing: tooMany)) == nil)
    }

    @Test("numbers keep integer vs floating point and the exact text of large integers")
    func numbers() throws {
        let doc = try JSONValue(parsing: "[9007199254740993, 12345678901234567890, 1.0, 1e2, -7, 2.5]")
        let n = doc.arrayValue!.map { $0.numberValue! }
        #expect(n[0].text == "9007199254740993")
        #expect(n[0].int64Value == 9_007_199_254_740_993)
        #expect(n[1].text == "12345678901234567890")
        #expect(n[1].int64Value == nil)
        #expect(n[1].isIntegral)
        #expect(!n[2].isIntegerLiteral && n[2].isIntegral)
        #expect(n[3].int64Value == 100)
        #expect(n[4].int64Value == -7)
        #expect(!n[5].isIntegral)
        #expect(JSONValue.number(JSONNumber(text: "1.0")) == JSONValue.number(JSONNumber(text: "1")))
        #expect(JSONWriter().string(doc) == "[9007199254740993,12345678901234567890,1.0,1e2,-7,2.5]")
    }

    @Test("the flat index can be walked without building a tree")
    func documentNavigation() throws {
        let doc = try JSONDocument(parsing: #"{"experiments":[{"id":1,"name":"a"},{"id":2,"name":"b\n"}],"pagination":{"total":2}}"#)
        #expect(doc.kind(doc.root) == .object)
        #expect(doc.count(doc.root) == 2)
        let experiments = doc.member(doc.root, "experiments")!
        #expect(doc.count(experiments) == 2)
        let second = doc.element(experiments, 1)!
        #expect(doc.int64(doc.member(second, "id")!) == 2)
        #expect(doc.string(doc.member(second, "name")!) == "b\n")
        let total = doc.member(doc.member(doc.root, "pagination")!, "total")!
        #expect(doc.int64(total) == 2)
        #expect(doc.next(after: experiments) == doc.member(doc.root, "pagination")! - 1)
    }

    @Test("objects keep key order and compare as sets of members")
    func objects() throws {
        let a = try JSONValue(parsing: #"{"z":1,"a":2}"#)
        let b = try JSONValue(parsing: #"{"a":2,"z":1}"#)
        #expect(a == b)
        #expect(a.objectValue!.keys == ["z", "a"])
        #expect(Set([a, b]).count == 1)
        var big = JSONObject()
        for i in 0..<40 { big["k\(i)"] = .number(JSONNumber(i)) }
        big["k3"] = nil
        #expect(big["k39"] == 39)
        #expect(big["k3"] == nil)
        #expect(big.count == 39)
    }
}
