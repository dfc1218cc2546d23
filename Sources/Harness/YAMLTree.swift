import JSON
import OpenAPI
import Yams

/// A YAML document as values with source positions, so every scenario error can name file:line:column.
indirect enum YAMLTree: Sendable {
    case scalar(JSONValue, SourceLocation)
    case sequence([YAMLTree], SourceLocation)
    case mapping([(key: String, keyLocation: SourceLocation, value: YAMLTree)], SourceLocation)

    var location: SourceLocation {
        switch self {
        case .scalar(_, let l), .sequence(_, let l), .mapping(_, let l): return l
        }
    }

    static func parse(_ text: String, file: String) throws(HarnessError) -> YAMLTree {
        if let (line, column) = YAMLConversion.excessiveNesting(text) {
            throw HarnessError(
                file: file, line: line, column: column,
                message: "nested more than \(YAMLConversion.maxFlowDepth) levels deep; detapi stops here")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw HarnessError(file: file, message: "not valid YAML: \(error)")
        } catch {
            throw HarnessError(file: file, message: "not valid YAML: \(error)")
        }
        guard let node else { throw HarnessError(file: file, line: 1, column: 1, message: "the file is empty") }
        // Without aliases a document has fewer values than bytes; aliases of aliases ("billion laughs") can
        // multiply that without end, so the expansion stops there with an error instead of a hang.
        var budget = text.utf8.count + 10_000
        return try convert(node, file, &budget)
    }

    private static func location(_ node: Node, _ file: String) -> SourceLocation {
        SourceLocation(file: file, line: (node.mark?.line ?? 0), column: (node.mark?.column ?? 0))
    }

    private static func convert(_ node: Node, _ file: String, _ budget: inout Int) throws(HarnessError) -> YAMLTree {
        budget -= 1
        guard budget >= 0 else {
            let l = location(node, file)
            throw HarnessError(
                file: l.file, line: l.line, column: l.column,
                message: "YAML aliases expand this file to more values than it has bytes (aliases of aliases?); stopped here")
        }
        switch node {
        case .mapping(let m):
            var members: [(key: String, keyLocation: SourceLocation, value: YAMLTree)] = []
            for (key, value) in m {
                members.append((key: key.string ?? "\(key)", keyLocation: location(key, file), value: try convert(value, file, &budget)))
            }
            return .mapping(members, location(node, file))
        case .sequence(let s):
            var items: [YAMLTree] = []
            for item in s { items.append(try convert(item, file, &budget)) }
            return .sequence(items, location(node, file))
        case .scalar:
            return .scalar(YAMLConversion.scalar(node), location(node, file))
        }
    }

    /// The tree as plain JSON (for bodies and values).
    var json: JSONValue {
        switch self {
        case .scalar(let v, _): return v
        case .sequence(let items, _): return .array(items.map(\.json))
        case .mapping(let members, _): return .object(JSONObject(members.map { .init(key: $0.key, value: $0.value.json) }))
        }
    }

    var string: String? {
        if case .scalar(let v, _) = self { return v.stringValue ?? (v.isNull ? nil : v.description) } else { return nil }
    }

    subscript(key: String) -> YAMLTree? {
        if case .mapping(let members, _) = self { return members.first { $0.key == key }?.value }
        return nil
    }
}
