import JSON
import Yams

/// Reads YAML into `JSONValue`, keeping mapping order, so YAML and JSON specs load into one model.
///
/// Scalars become numbers, booleans or null only when YAML's core schema resolves their tag so; quoted and
/// block scalars always stay strings.
public enum YAMLConversion {
    static func value(from text: String) throws(SpecError) -> JSONValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw SpecError(kind: .syntax, location: "", message: "YAML: \(error)")
        }
        guard let node else { return .null }
        return convert(node)
    }

    private static func convert(_ node: Node) -> JSONValue {
        switch node {
        case .mapping(let mapping):
            var members: [JSONObject.Member] = []
            for (key, value) in mapping {
                members.append(.init(key: key.string ?? "\(key)", value: convert(value)))
            }
            return .object(JSONObject(members))
        case .sequence(let sequence):
            return .array(sequence.map(convert))
        case .scalar:
            return scalar(node)
        }
    }

    /// A scalar node as JSON: numbers, booleans and null only when YAML's core schema resolves the tag so.
    public static func scalar(_ node: Node) -> JSONValue {
        guard case .scalar(let scalar) = node else { return .null }
        if scalar.style == .singleQuoted || scalar.style == .doubleQuoted || scalar.style == .literal || scalar.style == .folded {
            return .string(scalar.string)
        }
        switch node.tag.description {
        case Tag.Name.null.rawValue: return .null
        case Tag.Name.bool.rawValue: if let b = node.bool { return .bool(b) }
        case Tag.Name.int.rawValue: if let i = node.int { return .number(JSONNumber(i)) }
        case Tag.Name.float.rawValue:
            if let d = node.float, d.isFinite { return .number(JSONNumber(text: "\(d)")) }
        default: break
        }
        return .string(scalar.string)
    }
}
