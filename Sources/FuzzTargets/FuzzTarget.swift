import Foundation
import Harness
import JSON
import OpenAPI

/// The parsers and checkers that read untrusted input, each as a function of one byte buffer.
///
/// libFuzzer drives them in `detapi-fuzz` (bench/fuzz.sh); `swift test` runs every seed and every input that
/// once crashed (Tests/Fuzz/) through the same functions, so a fixed crash stays fixed. A target returns
/// normally for any input, valid or not; a broken invariant (a value that does not survive a write and a
/// re-parse, a validator that disagrees with itself) stops the process so libFuzzer keeps the input.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// `JSONValue` and `JSONDocument` parsing, and the writer: what parses must write and parse back equal.
    case json
    /// `SpecLoader` over JSON or YAML; bytes after the first NUL are an overlay applied at load.
    case spec
    /// `ScenarioParser` and `ScenarioChecker` against the built-in spec; `include:` reads an in-memory file.
    case scenario
    /// `JSONPath` parsing, then selection from a fixed document.
    case jsonpath
    /// `SchemaValidator` over the full Determined spec's schemas: the first two bytes pick a schema, the rest
    /// is the instance.
    case validator

    /// Runs the target on one input; true when the input got past parsing (a seed should).
    @discardableResult public func run(_ bytes: [UInt8]) -> Bool {
        switch self {
        case .json: return FuzzTarget.json(bytes)
        case .spec: return FuzzTarget.spec(bytes)
        case .scenario: return FuzzTarget.scenario(bytes)
        case .jsonpath: return FuzzTarget.jsonPath(bytes)
        case .validator: return FuzzTarget.validator(bytes)
        }
    }

    static func json(_ bytes: [UInt8]) -> Bool {
        let value: JSONValue
        do { value = try JSONValue(parsing: bytes) } catch {
            // The index parser must reject what the value parser rejects.
            if (try? JSONDocument(parsing: bytes)) != nil { invariant("JSONDocument accepted what JSONValue rejected: \(error)") }
            return false
        }
        guard let document = try? JSONDocument(parsing: bytes) else { invariant("JSONDocument rejected what JSONValue accepted") }
        _ = document.nodeCount
        let written = JSONWriter().bytes(value)
        guard let again = try? JSONValue(parsing: written) else { invariant("the writer's output does not parse") }
        if again != value { invariant("a value changed through a write and a parse") }
        _ = JSONWriter(style: .pretty, sortedKeys: true).bytes(value)
        return true
    }

    static func spec(_ bytes: [UInt8]) -> Bool {
        let split = bytes.firstIndex(of: 0)
        let specBytes = split.map { Array(bytes[..<$0]) } ?? bytes
        var overlays = SpecOverlays()
        if let split, let overlay = try? Overlay.parse(Array(bytes[(split + 1)...]), source: "overlay.yaml") {
            overlays = SpecOverlays([overlay])
        }
        guard let model = try? SpecLoader.load(bytes: specBytes, source: "fuzz.yaml", resolver: .none, overlays: overlays) else {
            return false
        }
        // What a user does next with a loaded spec: list it, look an operation up, sample its answers.
        _ = model.operationsByTag()
        let sampler = SchemaSampler(schemas: model.schemas, maxDepth: 3)
        for operation in model.operations.prefix(8) {
            _ = model.operation(id: operation.id)
            for response in operation.responses.prefix(4) {
                guard let schema = response.schemaNode else { continue }
                let sample = JSONWriter().bytes(sampler.sample(schema))
                if let document = try? JSONDocument(parsing: sample) {
                    _ = model.validator().validate(document, against: schema)
                }
            }
        }
        return true
    }

    static func scenario(_ bytes: [UInt8]) -> Bool {
        guard let text = String(validating: bytes, as: UTF8.self) else { return false }
        let included = "name: shared\nsteps:\n  - operation: GetMe\n"
        guard
            let scenario = try? ScenarioParser.parse(
                text, file: "fuzz.yaml", read: { $0 == "shared.yaml" ? included : nil })
        else { return false }
        _ = try? ScenarioChecker(model: FuzzModels.builtIn).check(scenario, predefined: ["token"])
        return true
    }

    static func jsonPath(_ bytes: [UInt8]) -> Bool {
        guard let text = String(validating: bytes, as: UTF8.self), let path = try? JSONPath(text) else { return false }
        _ = path.select(FuzzModels.pathDocument)
        _ = path.first(.array([.null, .number(JSONNumber(1)), .string("x")]))
        return true
    }

    static func validator(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 2 else { return false }
        let model = FuzzModels.full
        let names = FuzzModels.fullSchemaNames
        guard !names.isEmpty, let node = model.schemaNode(named: names[(Int(bytes[0]) << 8 | Int(bytes[1])) % names.count]) else {
            return false
        }
        guard let document = try? JSONDocument(parsing: Array(bytes.dropFirst(2))) else { return false }
        let validator = model.validator(maxViolations: 1000)
        let result = validator.validate(document, against: node)
        let quick = validator.isValid(document, against: node)
        if quick != result.isValid { invariant("isValid and validate disagree") }
        return true
    }

    /// Stops the process so libFuzzer records the input (in `swift test` the test fails the same way).
    static func invariant(_ message: String) -> Never {
        fatalError("fuzz invariant broken: \(message)")
    }
}

/// The specs the targets check against, loaded once per process.
public enum FuzzModels {
    /// The built-in spec.
    public static let builtIn: APIModel = {
        do { return try SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source) } catch {
            fatalError("the built-in spec does not load: \(error)")
        }
    }()

    /// The full Determined spec from ../shared (or `DETAPI_FUZZ_SPEC`), else the built-in one.
    public static let full: APIModel = {
        let path = ProcessInfo.processInfo.environment["DETAPI_FUZZ_SPEC"] ?? "../shared/specs/determined-0.38.1.swagger.json"
        return (try? SpecLoader.load(path: path)) ?? builtIn
    }()

    /// The schema names of `full`, sorted, so a seed's first two bytes pick the same schema in every run.
    public static let fullSchemaNames: [String] = full.schemaNames.sorted()

    /// A document shaped like a Determined answer, for JSONPath selections.
    public static let pathDocument: JSONValue = [
        "experiments": [
            ["id": 1, "state": "STATE_COMPLETED", "archived": true, "labels": ["a", "b"]],
            ["id": 2, "state": "STATE_ACTIVE", "archived": false, "config": ["name": "x", "nested": [["deep": nil]]]],
        ],
        "pagination": ["offset": 0, "limit": 1, "total": 2],
        "": ["odd": "key"],
    ]
}
