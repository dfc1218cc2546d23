import Foundation
import HTTP
import Harness
import JSON
import MockClusterTesting
import OpenAPI
import Reports
import Testing

/// conform against small third-party APIs: the cases an OpenAPI 3.1 spec documents, header parameters, required
/// parameters left out, and every distinct failing value.
@Suite("conform on any OpenAPI API")
struct AnyAPISweepTests {
    static let spec = """
        openapi: 3.1.0
        info: {title: vectors, version: "1"}
        components:
          schemas:
            Mode: {type: string, enum: [fast, exact]}
        paths:
          /collections/{crn}:
            get:
              operationId: getCollection
              parameters:
                - {name: crn, in: path, required: true, schema: {type: string}, example: "tenant:db:coll"}
                - {name: mode, in: query, schema: {$ref: "#/components/schemas/Mode"}}
                - {name: database, in: query, schema: {const: default_database}}
                - {name: tag, in: query, schema: {type: string, examples: [red, blue]}}
                - {name: X-Trace, in: header, schema: {type: integer}}
                - {name: limit, in: query, required: true, schema: {type: integer, minimum: 1, maximum: 100}}
              responses:
                "200": {description: ok, content: {application/json: {schema: {type: object}}}}
                "400": {description: bad, content: {application/json: {schema: {type: object}}}}
        """

    static func sweep(_ answer: @escaping @Sendable (ScriptedServer.Request) -> ScriptedServer.Answer) async throws -> (
        Sweep.Outcome, [ScriptedServer.Request]
    ) {
        let model = try SpecLoader.load(bytes: Array(spec.utf8), source: "vectors.yaml")
        return try await withScriptedServer(answer) { server in
            var settings = Sweep.Settings()
            settings.workers = 1
            settings.combinations = 0
            let sweep = Sweep(model: model, selection: .init(), settings: settings)
            let runner = Runner(model: model, client: HTTPClient(), options: .init(master: server.baseURL))
            return (await sweep.run(with: runner), server.requests)
        }
    }

    /// A server that does what the spec says: 400 for anything outside it.
    @Sendable static func faithful(_ r: ScriptedServer.Request) -> ScriptedServer.Answer {
        guard let limit = r.query("limit").flatMap(Int.init), (1...100).contains(limit) else { return .json(400, "{}") }
        if let mode = r.query("mode"), !["fast", "exact"].contains(mode) { return .json(400, "{}") }
        if let db = r.query("database"), db != "default_database" { return .json(400, "{}") }
        if let trace = r.header("X-Trace"), Int(trace) == nil { return .json(400, "{}") }
        return .json(200, "{}")
    }

    @Test(
        "documented values are sent: parameter examples, examples arrays, every value of a $ref enum, the const; no finding on a faithful server"
    )
    func documentedValues() async throws {
        let (outcome, seen) = try await Self.sweep(Self.faithful)
        let failures = outcome.results.flatMap(\.steps).flatMap(\.failures).map(FailureText.line)
        #expect(failures.isEmpty, "\(failures)")
        #expect(
            seen.contains { $0.path.removingPercentEncoding == "/collections/tenant:db:coll" }, "the parameter example: \(seen.map(\.path))"
        )
        for (name, value) in [("mode", "fast"), ("mode", "exact"), ("tag", "red"), ("tag", "blue"), ("database", "default_database")] {
            #expect(seen.contains { $0.query(name) == value }, "\(name)=\(value)")
        }
        #expect(
            seen.contains { $0.query("database").map { $0 != "default_database" } ?? false },
            "another value than the const is a negative case")
        #expect(seen.contains { $0.header("X-Trace") != nil }, "header parameters are swept")
        #expect(seen.contains { $0.query("limit") == nil }, "the required limit is left out once")
    }

    @Test("a 500 from a header value, a missing required parameter answered 200, and every distinct failing value are reported")
    func findings() async throws {
        let (outcome, _) = try await Self.sweep { r in
            if r.header("X-Trace").map({ Int($0) == nil }) ?? false { return .json(500, "{}") }
            if r.query("limit") == nil { return .json(200, "{}") }
            // Past the documented maximum is wrongly accepted, for two different values.
            if let limit = r.query("limit").flatMap(Int.init), limit > 100 || limit < 1 { return .json(200, "{}") }
            return AnyAPISweepTests.faithful(r)
        }
        let step = try #require(outcome.results.flatMap(\.steps).first { $0.operationID == "getCollection" })
        let lines = step.failures.map(FailureText.line)
        #expect(lines.contains { $0.hasPrefix("not_a_server_error (X-Trace=") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("negative_data_rejection (without limit (required)") }, "\(lines)")
        let rejection = try #require(step.failures.first { $0.reason == .forbiddenValueAccepted(status: 200) })
        let values = ([rejection.variant].compactMap { $0 } + rejection.moreVariants)
        #expect(
            values.filter { $0.parameter == "limit" && $0.location == "query" }.count >= 2,
            "every failing value of the check, not only the first: \(values) \(lines)")
        #expect(lines.contains { $0.contains("; also limit=") }, "\(lines)")
    }
}
