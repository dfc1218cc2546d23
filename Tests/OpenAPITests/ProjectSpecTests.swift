import Foundation
import JSON
import OpenAPI
import Testing

/// detapi's own spec (specs/determined.swagger.json) against the full Determined spec and the binary.
@Suite("Project spec")
struct ProjectSpecTests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("specs/determined.swagger.json")

    @Test("the embedded copy is the file in specs/ (run scripts/embed-spec.sh after editing it)")
    func embedded() throws {
        let onDisk = try String(contentsOf: Self.file, encoding: .utf8)
        #expect(EmbeddedSpec.text + "\n" == onDisk || EmbeddedSpec.text == onDisk)
        let model = try SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source, strict: true)
        #expect(model.operations.count == 83)
        #expect(model.operation(id: "GetInfo")?.requiresAuthentication(global: model.globalSecurity) == false)
        #expect(model.operation(id: "Login")?.requiresAuthentication(global: model.globalSecurity) == false)
        #expect(model.operation(id: "GetExperiments")?.requiresAuthentication(global: model.globalSecurity) == true)
    }

    @Test(
        "every operation and definition agrees with the full Determined spec",
        .enabled(if: SharedFixtures.hasDeterminedSpec, "../shared/specs/determined-0.38.1.swagger.json not found; skipped"))
    func agreesWithReference() throws {
        let ours = try JSONValue(parsing: Array(try Data(contentsOf: Self.file)))
        let full = try JSONValue(parsing: Array(try Data(contentsOf: SharedFixtures.determinedSpec)))
        var problems: [String] = []
        var operations = 0
        for path in ours["paths"]?.objectValue ?? JSONObject() where path.key != "/info" {
            for method in path.value.objectValue ?? JSONObject() {
                operations += 1
                let id = method.value["operationId"]?.stringValue ?? "?"
                guard let theirs = full["paths"]?[path.key]?[method.key] else {
                    problems.append("\(id): \(method.key.uppercased()) \(path.key) is not in the full spec")
                    continue
                }
                if theirs["operationId"]?.stringValue != id { problems.append("\(id): operationId differs") }
                let mine = Self.parameters(method.value)
                let reference = Self.parameters(theirs)
                if mine != reference { problems.append("\(id): parameters differ: \(mine) vs \(reference)") }
            }
        }
        #expect(operations == 82)
        var definitions = 0
        for definition in ours["definitions"]?.objectValue ?? JSONObject()
        where !["gatewayError", "detapiMasterInfo", "detapiStreamError"].contains(definition.key) {
            definitions += 1
            guard let theirs = full["definitions"]?[definition.key] else {
                problems.append("definition \(definition.key) is not in the full spec")
                continue
            }
            if definition.value["type"] != theirs["type"] { problems.append("\(definition.key): type differs") }
            for property in theirs["properties"]?.objectValue ?? JSONObject() {
                guard let mine = definition.value["properties"]?[property.key] else {
                    problems.append("\(definition.key).\(property.key) is missing")
                    continue
                }
                for keyword in ["type", "format", "$ref"] where mine[keyword] != property.value[keyword] {
                    problems.append(
                        "\(definition.key).\(property.key): \(keyword) \(mine[keyword] ?? "none") vs \(property.value[keyword] ?? "none")")
                }
                if mine["items"]?["$ref"] != property.value["items"]?["$ref"] || mine["items"]?["type"] != property.value["items"]?["type"]
                {
                    problems.append("\(definition.key).\(property.key): items differ")
                }
            }
            // MetricsWorkload requires a `state` it does not have (reference part 3 §20): detapi's spec drops it.
            if definition.value["required"] != theirs["required"], definition.key != "v1MetricsWorkload" {
                problems.append("\(definition.key): required differs")
            }
        }
        #expect(definitions > 30)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// name, in, type, format, required of each parameter, sorted.
    static func parameters(_ op: JSONValue) -> [String] {
        (op["parameters"]?.arrayValue ?? []).map { p in
            [p["name"], p["in"], p["type"], p["format"], p["required"], p["items"]?["type"], p["schema"]?["$ref"]]
                .map { $0?.description ?? "-" }.joined(separator: " ")
        }.sorted()
    }
}
