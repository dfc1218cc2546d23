import JSON
import Yams

/// Reads YAML into `JSONValue`, keeping mapping order, so YAML and JSON specs load into one model.
enum YAMLConversion {
    static func value(from text: String) throws(SpecError) -> JSONValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw SpecError(kind: .syntax, location: "", message: "YAML: \(error)")
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
        case .scalar(let scalar):
            if scalar.style == .singleQuoted || scalar.style == .doubleQuoted || scalar.style == .literal || scalar.style == .folded {
                return .string(scalar.string)
            }
            if node.null != nil { return .null }
            if let b = node.bool { return .bool(b) }
            if let i = node.int { return .number(JSONNumber(i)) }
            if let d = node.float, d.isFinite, scalar.string.first.map({ $0.isNumber || $0 == "-" || $0 == "." || $0 == "+" }) == true {
                return .number(JSONNumber(text: "\(d)"))
            }
            return .string(scalar.string)
        }
    }
}
