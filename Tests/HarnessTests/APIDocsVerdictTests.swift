import Foundation
import HTTP
import JSON
import MockCluster
import MockClusterTesting
import OpenAPI
import Reports
import Testing

/// The API page's verdict service and what the page shows of a spec, without a browser.
@Suite("the API page: verdicts and descriptions")
struct APIDocsVerdictTests {
    static let model = try! SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source)

    static func post(_ object: [String: JSONValue]) -> [UInt8] {
        JSONWriter().bytes(.object(JSONObject(object.sorted { $0.key < $1.key }.map { JSONObject.Member(key: $0.key, value: $0.value) })))
    }

    @Test(
        "an answer the spec promises is valid; a wrong type, an undocumented status or a wrong content type is not, with the console's words"
    )
    func verdicts() async throws {
        let master = try await withMockCluster { mock in try await HTTPClient().send(HTTPRequest(url: mock.baseURL + "/api/v1/master")) }
        let good = APIDocsVerdict.answer(
            Self.model,
            post: Self.post([
                "operationId": "GetMaster", "status": 200, "contentType": "application/json", "body": .string(master.bodyText),
            ]))
        let goodAnswer = try JSONValue(parsing: good.body)
        #expect(good.status == 200 && goodAnswer["valid"]?.boolValue == true, "\(goodAnswer)")
        #expect(goodAnswer["text"]?.stringValue?.hasPrefix("✓ valid: GetMaster 200") == true, "\(goodAnswer)")

        let wrongType = try JSONValue(
            parsing: APIDocsVerdict.answer(
                Self.model,
                post: Self.post([
                    "operationId": "GetMaster", "status": 200, "contentType": "application/json", "body": .string(#"{"version":5}"#),
                ])
            ).body)
        #expect(wrongType["valid"]?.boolValue == false)
        let text = wrongType["text"]?.stringValue ?? ""
        #expect(text.hasPrefix("✗ GetMaster 200:") && text.contains("/version"), "\(text)")

        let undocumented = try JSONValue(
            parsing: APIDocsVerdict.answer(
                Self.model, post: Self.post(["operationId": "GetMaster", "status": 418, "contentType": "text/plain", "body": "teapot"])
            ).body)
        #expect(undocumented["valid"]?.boolValue == false && undocumented["text"]?.stringValue?.contains("418") == true)

        let html = try JSONValue(
            parsing: APIDocsVerdict.answer(
                Self.model,
                post: Self.post(["operationId": "GetMaster", "status": 200, "contentType": "text/html", "body": "<html>oops</html>"])
            ).body)
        #expect(html["valid"]?.boolValue == false && html["text"]?.stringValue?.contains("text/html") == true, "\(html)")
    }

    @Test("a post it cannot read is a 400 that names the field; an unknown operation is named")
    func badPosts() throws {
        let notJSON = APIDocsVerdict.answer(Self.model, post: Array("status=200".utf8))
        #expect(notJSON.status == 400 && String(decoding: notJSON.body, as: UTF8.self).contains("not JSON"))
        let noStatus = APIDocsVerdict.answer(Self.model, post: Self.post(["operationId": "GetMaster", "body": ""]))
        #expect(noStatus.status == 400 && String(decoding: noStatus.body, as: UTF8.self).contains("status:"))
        let unknown = APIDocsVerdict.answer(Self.model, post: Self.post(["operationId": "Nope", "status": 200, "body": ""]))
        #expect(unknown.status == 400 && String(decoding: unknown.body, as: UTF8.self).contains("no operation Nope"))
    }

    @Test("the mock serves the verdict at /docs/rest-api/verdict when wired, and 404 (the page then says not validated) when not")
    func served() async throws {
        let body = Self.post(["operationId": "GetMaster", "status": 200, "contentType": "application/json", "body": "{}"])
        try await withMockCluster({ $0.docsVerdict = APIDocsVerdict.answer }) { mock in
            let answer = try await HTTPClient().send(
                HTTPRequest(method: "POST", url: mock.baseURL + "/docs/rest-api/verdict", body: body))
            #expect(answer.status == 200, "\(answer.bodyText)")
            #expect(try JSONValue(parsing: answer.body)["text"]?.stringValue?.contains("GetMaster 200") == true)
        }
        try await withMockCluster { mock in
            let answer = try await HTTPClient().send(
                HTTPRequest(method: "POST", url: mock.baseURL + "/docs/rest-api/verdict", body: body))
            #expect(answer.status == 404)
        }
        let page = try APIDocsPage.render(Self.model)
        #expect(page.contains("not validated: the server of this page does not check answers"))
    }

    @Test(
        "descriptions are whole (wrapped lines joined, later paragraphs folded), and an operation without one does not show its tag's",
        .enabled(
            if: FileManager.default.fileExists(atPath: ChainTests.fullSpecPath),
            "../shared/specs/determined-0.38.1.swagger.json not found; skipped"))
    func descriptions() throws {
        let full = try SpecLoader.load(path: ChainTests.fullSpecPath)
        let page = try APIDocsPage.render(full)
        let start = try #require(page.range(of: "id=\"op-GetExperiments\""))
        let end = try #require(page.range(of: "</details>\n", range: start.upperBound..<page.endIndex))
        let op = String(page[start.lowerBound..<end.upperBound])
        #expect(
            op.contains("Skip the number of experiments before returning results. Negative values denote number of experiments"),
            "a wrapped sentence is joined")
        #expect(op.contains("<details class=\"more\"><summary>more</summary>- SORT_BY_UNSPECIFIED"), "the list is folded, not cut")
        #expect(!op.contains("<p>Manage experiments</p>"), "the tag's description is not the operation's")
        #expect(op.contains("select name=\"states\" data-in=\"query\" data-collection=\"multi\" multiple"))
        #expect(op.contains("<input name=\"labels\" data-in=\"query\" data-collection=\"multi\""), "a free array is repeated inputs")
        // The terminal's schema lines take a description's first paragraph, its wrapped lines joined.
        let schema = JSONValue.object(JSONObject([JSONObject.Member(key: "$ref", value: "#/definitions/v1Agent")]))
        let lines = SchemaRenderer(document: full.document, maxDepth: 1).lines(schema)
        #expect(
            lines.contains {
                $0.contains(
                    "draining: boolean (boolean) — Flag notifying if this agent is in the draining mode: current containers will be allowed"
                )
            }, "\(lines)")
    }
}
