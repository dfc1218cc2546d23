import Foundation
import JSON
import OpenAPI
import Testing

/// The full Determined spec from ../shared: loading, lookups, validation of realistic bodies, samples.
@Suite(
    "Determined 0.38.1 spec",
    .enabled(if: SharedFixtures.hasDeterminedSpec, "../shared/specs/determined-0.38.1.swagger.json not found; skipped"))
struct DeterminedSpecTests {
    /// The spec as published, without the built-in overlay (OverlayTests checks what the overlay changes).
    static let model: APIModel? = try? SpecLoader.load(path: SharedFixtures.determinedSpec.path, overlays: SpecOverlays(builtIn: false))

    @Test("loads 266 operations under 22 tags, with no lint errors")
    func loads() throws {
        let model = try #require(Self.model)
        #expect(model.version == .swagger2)
        #expect(model.operations.count == 266)
        #expect(model.tags.count == 22)
        #expect(model.operationsByTag().map(\.operations.count).reduce(0, +) == 266)
        #expect(model.warnings.filter { $0.severity == .error }.isEmpty, "\(model.warnings.filter { $0.severity == .error })")
        // Real-spec imperfections are warnings, not failures.
        #expect(model.warnings.contains { $0.pointer == "#/externalDocs/url" })
        #expect(model.warnings.contains { $0.message.contains("format 'boolean'") })
    }

    @Test("GetExperiments has its 19 query parameters, with types and array formats")
    func getExperiments() throws {
        let model = try #require(Self.model)
        let op = try #require(model.operation(id: "GetExperiments"))
        #expect(op.method == "GET" && op.path == "/api/v1/experiments")
        #expect(op.parameters.count == 19)
        #expect(op.parameters.allSatisfy { $0.location == .query })
        let states = try #require(op.parameters.first { $0.name == "states" })
        #expect(states.collectionFormat == "multi")
        #expect(states.enumValues?.contains("STATE_COMPLETED") == true)
        #expect(op.parameters.first { $0.name == "limit" }?.format == "int32")
        #expect(op.response(for: 200)?.schema?["$ref"] == "#/definitions/v1GetExperimentsResponse")
        #expect(op.response(for: 404)?.status == .default)
        #expect(op.requiresAuthentication(global: model.globalSecurity))
    }

    @Test("lookups: case-insensitive ids, concrete paths, suggestions")
    func lookups() throws {
        let model = try #require(Self.model)
        #expect(model.operation(id: "getexperiments")?.id == "GetExperiments")
        #expect(model.operation(method: "POST", path: "/api/v1/experiments/16/unarchive")?.id == "UnarchiveExperiment")
        #expect(model.operation(method: "GET", path: "/api/v1/experiments/16")?.id == "GetExperiment")
        #expect(model.operation(method: "GET", path: "/api/v1/me")?.id == "GetMe")
        #expect(model.operation(method: "DELETE", path: "/api/v1/nothing/here") == nil)
        #expect(model.suggestions(for: "GetExperimnts").first == "GetExperiments")
        #expect(model.operation(id: "Login")?.requiresAuthentication(global: model.globalSecurity) == false)
    }

    @Test("a realistic GetExperiments body is valid; nulls in optional fields are counted, or flagged under strict")
    func validBody() throws {
        let model = try #require(Self.model)
        let schema = try #require(model.operation(id: "GetExperiments")?.response(for: 200)?.schemaNode)
        let document = try JSONDocument(parsing: try Fixtures.bytes("get-experiments-200.json"))
        let lenient = model.validator(nulls: .optional).validate(document, against: schema)
        #expect(lenient.isValid, "\(lenient.violations)")
        #expect(!lenient.lenientNotes.isEmpty)
        let strict = model.validator(nulls: .strict).validate(document, against: schema)
        #expect(strict.violations.count == lenient.lenientCount)
        #expect(lenient.lenientNotes.count == min(lenient.lenientCount, 100))
        #expect(strict.violations.allSatisfy { $0.message.hasSuffix("found null") })
    }

    @Test("a broken field is reported at its pointer with expected and actual")
    func brokenBody() throws {
        let model = try #require(Self.model)
        let schema = try #require(model.operation(id: "GetExperiments")?.response(for: 200)?.schemaNode)
        guard case .object(var root) = try JSONValue(parsing: try Fixtures.bytes("get-experiments-200.json")),
            case .array(var experiments)? = root["experiments"], case .object(var first) = experiments[0],
            case .object(var second) = experiments[1]
        else { Issue.record("fixture shape"); return }
        first["id"] = "16"
        first["state"] = "STATE_SLEEPING"
        second["checkpointSize"] = "lots"
        second["name"] = nil
        experiments[0] = .object(first)
        experiments[1] = .object(second)
        root["experiments"] = .array(experiments)
        let result = model.validator().validate(try JSONDocument(parsing: JSONWriter().bytes(.object(root))), against: schema)
        let byPointer = Dictionary(grouping: result.violations, by: { $0.instancePointer.description })
        #expect(byPointer["/experiments/0/id"]?.first?.message == #"expected integer, found string "16""#)
        #expect(byPointer["/experiments/0/state"]?.first?.keyword == "enum")
        #expect(byPointer["/experiments/1/checkpointSize"]?.first?.message.contains("not a valid int64") == true)
        #expect(byPointer["/experiments/1"]?.first?.message == "missing required property 'name'")
        #expect(result.violations.count == 4)
        #expect(result.violations[0].schemaLocation.contains("#/definitions/v1Experiment/properties/id"))
    }

    @Test("violations are capped and the cap is reported")
    func cap() throws {
        let model = try #require(Self.model)
        let schema = try #require(model.schemaNode(named: "v1Experiment"))
        let body = "{" + (0..<300).map { #""k\#($0)":1"# }.joined(separator: ",") + "}"
        let result = model.validator(maxViolations: 5).validate(try JSONDocument(parsing: body), against: schema)
        #expect(result.violations.count == 5)
        #expect(result.truncated)
    }

    @Test("every named schema's sample is valid against it")
    func samples() throws {
        let model = try #require(Self.model)
        let sampler = SchemaSampler(schemas: model.schemas)
        let validator = model.validator(nulls: .strict)
        var failures: [String] = []
        for name in model.schemaNames {
            guard let node = model.schemaNode(named: name) else { continue }
            for seed in [1, 2] as [UInt64] {
                let sample = sampler.sample(node, seed: seed)
                let result = validator.validate(try JSONDocument(parsing: JSONWriter().bytes(sample)), against: node)
                if !result.isValid { failures.append("\(name) seed \(seed): \(result.violations.prefix(3))") }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) samples invalid:\n\(failures.prefix(20).joined(separator: "\n"))")
        let a = sampler.sample(model.schemaNode(named: "v1Experiment")!, seed: 7)
        #expect(a == sampler.sample(model.schemaNode(named: "v1Experiment")!, seed: 7), "same seed, same sample")
    }
}
