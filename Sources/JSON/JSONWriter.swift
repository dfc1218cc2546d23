/// Serializes `JSONValue` trees: compact for the wire, pretty (2-space indent) for people.
///
/// Keys are written in the object's own order unless `sortedKeys` is set, so output is stable for a given
/// input. Numbers are written exactly as they were parsed.
public struct JSONWriter: Sendable {
    /// Whitespace layout.
    public enum Style: Sendable {
        case compact
        case pretty(indent: Int)

        public static let pretty = Style.pretty(indent: 2)
    }

    public var style: Style
    public var sortedKeys: Bool

    public init(style: Style = .compact, sortedKeys: Bool = false) {
        self.style = style
        self.sortedKeys = sortedKeys
    }

    /// UTF-8 bytes of the serialized value.
    public func bytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, depth: 0, into: &out)
        return out
    }

    public func string(_ value: JSONValue) -> String { String(decoding: bytes(value), as: UTF8.self) }

    private func write(_ value: JSONValue, depth: Int, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: ASCII.nullBytes)
        case .bool(let b): out.append(contentsOf: b ? ASCII.trueBytes : ASCII.falseBytes)
        case .number(let n): out.append(contentsOf: n.text.utf8)
        case .string(let s): JSONWriter.appendQuoted(s, to: &out)
        case .array(let items):
            if items.isEmpty { out.append(contentsOf: [ASCII.openBracket, ASCII.closeBracket]); return }
            out.append(ASCII.openBracket)
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(ASCII.comma) }
                newline(depth + 1, &out)
                write(item, depth: depth + 1, into: &out)
            }
            newline(depth, &out)
            out.append(ASCII.closeBracket)
        case .object(let object):
            if object.isEmpty { out.append(contentsOf: [ASCII.openBrace, ASCII.closeBrace]); return }
            out.append(ASCII.openBrace)
            let members = sortedKeys ? object.members.sorted { $0.key < $1.key } : object.members
            for (k, m) in members.enumerated() {
                if k > 0 { out.append(ASCII.comma) }
                newline(depth + 1, &out)
                JSONWriter.appendQuoted(m.key, to: &out)
                out.append(ASCII.colon)
                if case .pretty = style { out.append(ASCII.space) }
                write(m.value, depth: depth + 1, into: &out)
            }
            newline(depth, &out)
            out.append(ASCII.closeBrace)
        }
    }

    private func newline(_ depth: Int, _ out: inout [UInt8]) {
        guard case .pretty(let indent) = style else { return }
        out.append(ASCII.newline)
        out.append(contentsOf: repeatElement(ASCII.space, count: depth * indent))
    }

    /// Appends `s` as a JSON string literal, escaping quotes, backslashes and control characters.
    public static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(ASCII.quote)
        // Fast path: nothing to escape.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == ASCII.quote || $0 == ASCII.backslash }) {
            out.append(contentsOf: s.utf8)
            out.append(ASCII.quote)
            return
        }
        for b in s.utf8 {
            switch b {
            case ASCII.quote: out.append(contentsOf: [ASCII.backslash, ASCII.quote])
            case ASCII.backslash: out.append(contentsOf: [ASCII.backslash, ASCII.backslash])
            case 0x0A: out.append(contentsOf: [ASCII.backslash, ASCII.n])
            case 0x0D: out.append(contentsOf: [ASCII.backslash, ASCII.r])
            case 0x09: out.append(contentsOf: [ASCII.backslash, ASCII.t])
            case 0x08: out.append(contentsOf: [ASCII.backslash, ASCII.b])
            case 0x0C: out.append(contentsOf: [ASCII.backslash, ASCII.f])
            case 0..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hexDigit(b >> 4))
                out.append(hexDigit(b & 0xF))
            default: out.append(b)
            }
        }
        out.append(ASCII.quote)
    }

    /// `s` as a JSON string literal.
    public static func quoted(_ s: String) -> String {
        var out: [UInt8] = []
        appendQuoted(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x61 + v - 10 }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text.
    public var description: String { JSONWriter().string(self) }
}
