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
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw HarnessError(file: file, message: "not valid YAML: \(error)")
        } catch {
            throw HarnessError(file: file, message: "not valid YAML: \(error)")
        }
        guard let node else { throw HarnessError(file: file, line: 1, column: 1, message: "the file is empty") }
        return convert(node, file)
    }

    private static func location(_ node: Node, _ file: String) -> SourceLocation {
        SourceLocation(file: file, line: (node.mark?.line ?? 0), column: (node.mark?.column ?? 0))
    }

    private static func convert(_ node: Node, _ file: String) -> YAMLTree {
        switch node {
        case .mapping(let m):
            return .mapping(
                m.map { (key: $0.key.string ?? "\($0.key)", keyLocation: location($0.key, file), value: convert($0.value, file)) },
                location(node, file))
        case .sequence(let s):
            return .sequence(s.map { convert($0, file) }, location(node, file))
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
