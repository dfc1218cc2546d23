/// Why a JSON text was rejected, and where: byte offset, 1-based line and column, and the line's text.
///
/// Rendered as `line 3, column 14: unexpected 'x', expected ',' or '}' after an object member`, followed by
/// the source line and a caret when `excerptDescription` is used.
public struct JSONParseError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        case unexpectedEnd(expected: String)
        case unexpectedCharacter(UInt8, expected: String)
        case trailingCharacters
        case trailingComma
        case invalidLiteral
        case invalidNumber(String)
        case unterminatedString
        case controlCharacterInString(UInt8)
        case invalidEscape(String)
        case invalidUTF8
        case tooDeep(limit: Int)
        case documentTooLarge
    }

    public let kind: Kind
    /// 0-based byte offset of the problem.
    public let offset: Int
    /// 1-based line.
    public let line: Int
    /// 1-based column, counted in bytes.
    public let column: Int
    /// The text of the offending line, cut to at most 120 bytes around the column.
    public let excerpt: String
    /// Column of the problem inside `excerpt` (1-based).
    public let excerptColumn: Int

    init(kind: Kind, offset: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        self.kind = kind
        self.offset = offset
        var line = 1
        var lineStart = 0
        let upTo = min(offset, bytes.count)
        for index in 0..<upTo where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        var lineEnd = upTo
        while lineEnd < bytes.count && bytes[lineEnd] != 0x0A && bytes[lineEnd] != 0x0D { lineEnd += 1 }
        self.line = line
        self.column = offset - lineStart + 1
        let from = max(lineStart, offset - 60)
        let to = min(lineEnd, offset + 60)
        self.excerpt = String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<max(from, to)]), as: UTF8.self)
            .replacingTabs()
        self.excerptColumn = offset - from + 1
    }

    public var message: String {
        switch kind {
        case .unexpectedEnd(let expected): return "unexpected end of input, expected \(expected)"
        case .unexpectedCharacter(let c, let expected): return "unexpected '\(ASCII.describe(c))', expected \(expected)"
        case .trailingCharacters: return "unexpected characters after the JSON value"
        case .trailingComma: return "trailing comma is not allowed"
        case .invalidLiteral: return "invalid literal (expected true, false or null)"
        case .invalidNumber(let why): return "invalid number: \(why)"
        case .unterminatedString: return "unterminated string"
        case .controlCharacterInString(let c): return "control character \(ASCII.describe(c)) in a string must be escaped"
        case .invalidEscape(let why): return "invalid escape: \(why)"
        case .invalidUTF8: return "invalid UTF-8 byte sequence"
        case .tooDeep(let limit): return "nesting is deeper than the limit of \(limit)"
        case .documentTooLarge: return "document is larger than 4 GiB"
        }
    }

    public var description: String { "line \(line), column \(column): \(message)" }

    /// The message, the offending line, and a caret under the column.
    public var excerptDescription: String {
        "\(description)\n  \(excerpt)\n  \(String(repeating: " ", count: max(0, excerptColumn - 1)))^"
    }
}

extension String {
    fileprivate func replacingTabs() -> String {
        String(map { $0 == "\t" ? " " : $0 })
    }
}
