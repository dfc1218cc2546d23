import Foundation
import HTTP
import Harness
import JSON
import MockClusterTesting
import OpenAPI
import Reports
import Testing

/// APIs other than Determined's, with specs written the way real ones are: credentials by security scheme,
/// base paths and servers, served by small in-process servers.
@Suite("Any OpenAPI API: credentials and base paths")
struct AnyAPITests {
    static func spec(_ yaml: String) throws -> APIModel { try SpecLoader.load(bytes: Array(yaml.utf8), source: "test.yaml") }

    /// A Swagger 2.0 spec of one GET /items with the given security lines.
    static func itemsSpec(_ security: String, basePath: String = "") -> String {
        """
        swagger: "2.0"
        info: {title: items, version: "1"}
        \(basePath.isEmpty ? "" : "basePath: \(basePath)")
        \(security)
        paths:
          /items:
            get:
              operationId: listItems
              produces: [application/json]
              responses:
                "200": {description: ok, schema: {type: object}}
                "401": {description: no}
                "403": {description: no}
        """
    }

    /// Sends `listItems` once and returns the result and what the server saw.
    static func call(
        _ model: APIModel, token: String?, basic: String? = nil, master: ((String) -> String)? = nil,
        answer: @escaping @Sendable (ScriptedServer.Request) -> ScriptedServer.Answer
    ) async throws -> (StepResult, [ScriptedServer.Request]) {
        try await withScriptedServer(answer) { server in
            var options = Runner.Options(master: master?(server.baseURL) ?? server.baseURL, token: token)
            options.basicAuth = basic
            let runner = Runner(model: model, client: HTTPClient(), options: options)
            var vars = Variables()
            if let token { vars.set("token", .string(token), secret: true) }
            let step = Step(name: "list", operation: "listItems", location: CallLine.location)
            return (await runner.exchange(step, vars: &vars).result, server.requests)
        }
    }

    @Test("an apiKey Authorization header with a 'token ' prefix gets the token as given, masked in the repro")
    func apiKeyHeaderWithPrefix() async throws {
        let model = try Self.spec(
            Self.itemsSpec(
                """
                securityDefinitions: {tok: {type: apiKey, in: header, name: Authorization}}
                security: [{tok: []}]
                """))
        let (result, seen) = try await Self.call(model, token: "token SECRET-123") { r in
            r.header("Authorization") == "token SECRET-123" ? .json(200, "{}") : .text(403, "<html>forbidden</html>", type: "text/html")
        }
        #expect(result.outcome == .passed, "\(result.failures.map(FailureText.line))")
        #expect(seen.first?.header("Authorization") == "token SECRET-123")
        #expect(result.curl.contains("Authorization: token ***") && !result.curl.contains("SECRET-123"), "\(result.curl)")
    }

    @Test("a query apiKey goes into the query; a cookie apiKey into Cookie; both masked")
    func apiKeyQueryAndCookie() async throws {
        let query = try Self.spec(
            Self.itemsSpec(
                """
                securityDefinitions: {key: {type: apiKey, in: query, name: api_key}}
                security: [{key: []}]
                """))
        let (result, seen) = try await Self.call(query, token: "QKEY-7777") { r in
            r.query("api_key") == "QKEY-7777" ? .json(200, "{}") : .json(401, "{}")
        }
        #expect(result.outcome == .passed && seen.first?.header("Authorization") == nil)
        #expect(!result.url.contains("QKEY-7777") && result.url.contains("api_key=***"), "\(result.url)")
        let cookie = try Self.spec(
            """
            openapi: 3.0.3
            info: {title: c, version: "1"}
            components: {securitySchemes: {sess: {type: apiKey, in: cookie, name: session}}}
            security: [{sess: []}]
            paths:
              /items:
                get:
                  operationId: listItems
                  responses: {"200": {description: ok, content: {application/json: {schema: {type: object}}}}}
            """)
        let (cookied, seenCookie) = try await Self.call(cookie, token: "COOKIE-99") { r in
            r.header("Cookie") == "session=COOKIE-99" ? .json(200, "{}") : .json(401, "{}")
        }
        #expect(cookied.outcome == .passed && seenCookie.first?.header("Cookie") == "session=COOKIE-99")
    }

    @Test("HTTP basic sends --user NAME:PASSWORD as Basic")
    func basic() async throws {
        let model = try Self.spec(
            """
            openapi: 3.0.3
            info: {title: b, version: "1"}
            components: {securitySchemes: {basicAuth: {type: http, scheme: basic}}}
            security: [{basicAuth: []}]
            paths:
              /items:
                get:
                  operationId: listItems
                  responses: {"200": {description: ok, content: {application/json: {schema: {type: object}}}}}
            """)
        let expected = "Basic " + Data("ann:pw-secret".utf8).base64EncodedString()
        let (result, seen) = try await Self.call(model, token: nil, basic: "ann:pw-secret") { r in
            r.header("Authorization") == expected ? .json(200, "{}") : .json(401, "{}")
        }
        #expect(result.outcome == .passed && seen.first?.header("Authorization") == expected)
        #expect(!result.curl.contains(Data("ann:pw-secret".utf8).base64EncodedString()))
    }

    @Test("a spec that declares no security still gets the token, as Bearer, and says so once")
    func noSecurity() async throws {
        let model = try Self.spec(Self.itemsSpec(""))
        #expect(!model.declaresSecurity)
        let (result, seen) = try await Self.call(model, token: "plain-token-42") { r in
            r.header("Authorization") == "Bearer plain-token-42" ? .json(200, "{}") : .json(403, "{}")
        }
        #expect(result.outcome == .passed && seen.first?.header("Authorization") == "Bearer plain-token-42")
        #expect(SecurityNote.line(model: model, token: "t")?.contains("declares no security") == true)
        #expect(SecurityNote.line(model: model, token: nil) == nil)
    }

    @Test("basePath and servers prefix every path; a master that already ends in the base path is not doubled")
    func basePaths() async throws {
        let two = try Self.spec(Self.itemsSpec("", basePath: "/base"))
        let (r1, s1) = try await Self.call(two, token: nil) { r in r.path == "/base/items" ? .json(200, "{}") : .json(404, "{}") }
        #expect(r1.outcome == .passed && s1.first?.path == "/base/items", "\(s1.map(\.path))")
        let (r2, s2) = try await Self.call(two, token: nil, master: { $0 + "/base" }) { r in
            r.path == "/base/items" ? .json(200, "{}") : .json(404, "{}")
        }
        #expect(r2.outcome == .passed && s2.first?.path == "/base/items", "not doubled: \(s2.map(\.path))")
        let three = try Self.spec(
            """
            openapi: 3.0.3
            info: {title: s, version: "1"}
            servers: [{url: "https://{region}.example.com/v2/{stage}", variables: {region: {default: eu}, stage: {default: prod}}}]
            paths:
              /items:
                get:
                  operationId: listItems
                  responses: {"200": {description: ok, content: {application/json: {schema: {type: object}}}}}
            """)
        #expect(three.basePath() == "/v2/prod" && three.basePath(variables: ["stage": "dev"]) == "/v2/dev")
        let (r3, s3) = try await Self.call(three, token: nil) { r in r.path == "/v2/prod/items" ? .json(200, "{}") : .json(404, "{}") }
        #expect(r3.outcome == .passed && s3.first?.path == "/v2/prod/items", "\(s3.map(\.path))")
        let relative = try Self.spec(
            """
            openapi: 3.0.3
            info: {title: r, version: "1"}
            servers: [{url: /v2}]
            paths: {/items: {get: {operationId: listItems, responses: {"200": {description: ok}}}}}
            """)
        // A raw request written with or without the base path reaches the same operation and URL.
        let line = try CallLine(words: ["GET", "/v2/items"], model: relative, master: "http://h")
        #expect(try ScenarioChecker(model: relative).operation(for: line.step)?.id == "listItems")
        #expect(
            RequestBuilder(master: "http://h", basePath: relative.basePath()).target(
                pathTemplate: "/v2/items", operation: nil, path: [], query: []) == "/v2/items")
        #expect(
            RequestBuilder(master: "http://h", basePath: relative.basePath()).target(
                pathTemplate: "/items", operation: nil, path: [], query: []) == "/v2/items")
    }

    @Test(
        "content types: HTML where the operation documents JSON fails, also on a schema-less 403; JSON where only text/plain is documented fails"
    )
    func contentTypes() async throws {
        let model = try Self.spec(Self.itemsSpec(""))
        for (answer, fails) in [
            (ScriptedServer.Answer.text(403, "<html>nope</html>", type: "text/html"), true),
            (ScriptedServer.Answer(403), false),
            (ScriptedServer.Answer.json(403, #"{"error": "nope"}"#), false),
        ] {
            let model = model
            let (result, _) = try await withScriptedServer({ _ in answer }) { server in
                var step = Step(name: "list", operation: "listItems", location: CallLine.location)
                step.expect.statuses = [403]
                var vars = Variables()
                let runner = Runner(model: model, client: HTTPClient(), options: .init(master: server.baseURL))
                return (await runner.exchange(step, vars: &vars).result, 0)
            }
            let kinds = result.failures.map(\.kind)
            #expect(kinds.contains(.contentType) == fails, "\(answer.status) \(result.failures.map(FailureText.line))")
        }
        let plain = try Self.spec(
            """
            openapi: 3.0.3
            info: {title: p, version: "1"}
            paths:
              /items:
                get:
                  operationId: listItems
                  responses: {"200": {description: ok, content: {text/plain: {schema: {type: string}}}}}
            """)
        let (json, _) = try await Self.call(plain, token: nil) { _ in .json(200, #""hello""#) }
        #expect(json.failures.contains { $0.kind == .contentType }, "\(json.failures.map(FailureText.line))")
    }

    @Test("nulls: strict by default for any API, optional for Determined's")
    func nullDefault() throws {
        let other = try Self.spec(Self.itemsSpec(""))
        #expect(NullPolicy.default(for: other) == .strict)
        let determined = try SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source)
        #expect(NullPolicy.default(for: determined) == .optional)
    }

    @Test("Swagger 2.0 as written in the wild: type: file passes lint, an unknown type is a warning and checks nothing")
    func swaggerTypes() throws {
        let model = try SpecLoader.load(
            bytes: Array(
                """
                swagger: "2.0"
                info: {title: files, version: "1"}
                paths:
                  /image/{anything}:
                    get:
                      operationId: getImage
                      parameters: [{name: n, in: query, type: int}]
                      produces: [image/png]
                      responses: {"200": {description: a picture, schema: {type: file}}}
                """.utf8), source: "files.yaml", strict: true)
        #expect(!model.warnings.contains { $0.severity == .error }, "\(model.warnings)")
        #expect(model.warnings.contains { $0.message.contains("unknown type 'int'") })
        let op = try #require(model.operation(id: "getImage"))
        #expect(op.parameters.map(\.name).sorted() == ["anything", "n"], "the undeclared {anything} is a string parameter")
        #expect(ParameterCheck.check("x", op.parameters.first { $0.name == "n" }!) == nil, "an unknown type refuses nothing")
    }
}
