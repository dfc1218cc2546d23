import Foundation
import JSON

/// Grows a Swagger 2.0 spec to a target size by adding renamed copies of its paths and definitions (refs
/// rewritten), giving a large spec of the Kubernetes kind (thousands of definitions, long descriptions).
enum SpecGenerator {
    static func grow(_ source: String, to targetBytes: Int, out: String) throws {
        let spec = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: source))))
        guard case .object(var root) = spec, let paths = root["paths"]?.objectValue, let definitions = root["definitions"]?.objectValue
        else {
            throw CocoaError(.fileReadCorruptFile)
        }
        let baseSize = JSONWriter().bytes(spec).count
        let copies = max(1, targetBytes / baseSize)
        var allPaths = paths
        var allDefinitions = definitions
        for copy in 1..<max(2, copies + 1) {
            let suffix = "Copy\(copy)"
            for m in paths {
                allPaths["/v\(copy)" + m.key] = rename(m.value, suffix: suffix)
            }
            for m in definitions {
                allDefinitions[m.key + suffix] = rename(m.value, suffix: suffix)
            }
        }
        root["paths"] = .object(allPaths)
        root["definitions"] = .object(allDefinitions)
        let bytes = JSONWriter().bytes(.object(root))
        try Data(bytes).write(to: URL(fileURLWithPath: out))
        print("wrote \(bytes.count) bytes to \(out) (\(copies + 1) copies of each path and definition)")
    }

    private static func rename(_ value: JSONValue, suffix: String) -> JSONValue {
        switch value {
        case .object(let o):
            var out = JSONObject()
            for m in o {
                if m.key == "$ref", let ref = m.value.stringValue {
                    out[m.key] = .string(ref + suffix)
                } else if m.key == "operationId", let id = m.value.stringValue {
                    out[m.key] = .string(id + suffix)
                } else {
                    out[m.key] = rename(m.value, suffix: suffix)
                }
            }
            return .object(out)
        case .array(let a): return .array(a.map { rename($0, suffix: suffix) })
        default: return value
        }
    }
}
