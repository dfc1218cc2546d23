import JSON
import Yams

/// Reads YAML into `JSONValue`, keeping mapping order, so YAML and JSON specs load into one model.
///
/// Scalars become numbers, booleans or null only when YAML's core schema resolves their tag so; quoted and
/// block scalars always stay strings.
public enum YAMLConversion {
    public static func value(from text: String) throws(SpecError) -> JSONValue {
        if let (line, column) = excessiveNesting(text) {
            throw SpecError(
                kind: .syntax, location: ":\(line):\(column)", message: "nested more than \(maxFlowDepth) levels deep; detapi stops here")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw SpecError(kind: .syntax, location: "", message: "YAML: \(error)")
        }
        guard let node else { return .null }
        // Without aliases a document has fewer values than bytes; aliases of aliases ("billion laughs") can
        // multiply that without end, so the expansion stops there with an error instead of a hang.
        var budget = text.utf8.count + 10_000
        return try convert(node, &budget)
    }

    private static func convert(_ node: Node, _ budget: inout Int) throws(SpecError) -> JSONValue {
        budget -= 1
        guard budget >= 0 else {
            throw SpecError(
                kind: .syntax, location: node.mark.map { ":\($0.line):\($0.column)" } ?? "",
                message: "YAML aliases expand this document to more values than it has bytes (aliases of aliases?); stopped here")
        }
        switch node {
        case .mapping(let mapping):
            var members: [JSONObject.Member] = []
            for (key, value) in mapping {
                members.append(.init(key: key.string ?? "\(key)", value: try convert(value, &budget)))
            }
            return .object(JSONObject(members))
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for item in sequence { items.append(try convert(item, &budget)) }
            return .array(items)
        case .scalar:
            return scalar(node)
        }
    }

    /// How deep flow collections (`[[[…`, `{{{…`) may nest before a file is refused: the YAML library
    /// composes recursively, and a few thousand levels would overflow the stack.
    public static let maxFlowDepth = 256

    /// The line and column (1-based) where flow collections first nest deeper than `maxFlowDepth`, or nil.
    ///
    /// Counts a `[` or `{` only where a flow collection can start (after indentation, `: `, `- `, `,`, `[`,
    /// `{`), outside quotes and comments, so a bracket inside a plain scalar such as `a[b` is not counted.
    public static func excessiveNesting(_ text: String) -> (line: Int, column: Int)? {
        var depth = 0
        var line = 1
        var column = 0
        var previous: UInt8 = 0x0A
        var quote: UInt8 = 0
        var comment = false
        var lastSignificant: UInt8 = 0x0A
        for byte in text.utf8 {
            column += 1
            defer { previous = byte }
            if byte == 0x0A {
                line += 1
                column = 0
                comment = false
                lastSignificant = 0x0A
                continue
            }
            if comment { continue }
            if quote != 0 {
                if byte == quote && !(quote == 0x22 && previous == 0x5C) { quote = 0 }
                continue
            }
            switch byte {
            case 0x22, 0x27: quote = byte
            case 0x23 where previous == 0x20 || previous == 0x09 || previous == 0x0A: comment = true
            case 0x5B, 0x7B:
                // '[' or '{' opens a flow collection only where a value can start.
                if [0x0A, 0x3A, 0x2D, 0x2C, 0x5B, 0x7B].contains(lastSignificant) {
                    depth += 1
                    if depth > maxFlowDepth { return (line, column) }
                }
            case 0x5D, 0x7D: depth = max(0, depth - 1)
            default: break
            }
            if byte != 0x20 && byte != 0x09 { lastSignificant = byte }
        }
        return nil
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
