import Foundation
import JSON

/// A JSONPath subset for captures and assertions: `$`, `.name`, `['name']`, `[0]`, `[-1]`, `[*]`, and
/// filters `[?(@.field == 'value')]` (`==`, `!=`; string, number, boolean or null on the right).
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case key(String)
        case index(Int)
        case wildcard
        case filter(field: [String], op: String, value: JSONValue)
    }

    let segments: [Segment]
    public let description: String

    /// Parses a path; the error says what is wrong and where.
    public init(_ text: String) throws(HarnessError) {
        description = text
        var s = Substring(text).trimmingPrefixWhitespace()
        guard s.first == "$" else { throw HarnessError.badPath(text, "must start with '$'") }
        s = s.dropFirst()
        var segments: [Segment] = []
        while let c = s.first {
            if c == "." {
                s = s.dropFirst()
                if s.first == "*" {
                    segments.append(.wildcard)
                    s = s.dropFirst()
                    continue
                }
                let name = s.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { throw HarnessError.badPath(text, "a name is missing after '.'") }
                segments.append(.key(String(name)))
                s = s.dropFirst(name.count)
            } else if c == "[" {
                guard let close = JSONPath.closingBracket(s) else { throw HarnessError.badPath(text, "'[' is not closed") }
                let inner = s[s.index(after: s.startIndex)..<close].trimmingCharacters(in: .whitespaces)
                s = s[s.index(after: close)...]
                if inner == "*" {
                    segments.append(.wildcard)
                } else if let i = Int(inner) {
                    segments.append(.index(i))
                } else if (inner.hasPrefix("'") && inner.hasSuffix("'") || inner.hasPrefix("\"") && inner.hasSuffix("\""))
                    && inner.count >= 2
                {
                    segments.append(.key(String(inner.dropFirst().dropLast())))
                } else if inner.hasPrefix("?(") && inner.hasSuffix(")") {
                    segments.append(try JSONPath.filter(String(inner.dropFirst(2).dropLast()), in: text))
                } else {
                    throw HarnessError.badPath(text, "cannot read [\(inner)]")
                }
            } else {
                throw HarnessError.badPath(text, "unexpected '\(c)'")
            }
        }
        self.segments = segments
    }

    private static func closingBracket(_ s: Substring) -> Substring.Index? {
        var quote: Character?
        var i = s.index(after: s.startIndex)
        while i < s.endIndex {
            let c = s[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "]" {
                return i
            }
            i = s.index(after: i)
        }
        return nil
    }

    private static func filter(_ expression: String, in text: String) throws(HarnessError) -> Segment {
        for op in ["==", "!="] {
            guard let range = expression.range(of: op) else { continue }
            let left = expression[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            let right = expression[range.upperBound...].trimmingCharacters(in: .whitespaces)
            guard left.hasPrefix("@.") else { throw HarnessError.badPath(text, "a filter compares '@.field' with a value") }
            let field = left.dropFirst(2).split(separator: ".").map(String.init)
            let value: JSONValue
            if (right.hasPrefix("'") && right.hasSuffix("'")) || (right.hasPrefix("\"") && right.hasSuffix("\"")), right.count >= 2 {
                value = .string(String(right.dropFirst().dropLast()))
            } else if let parsed = try? JSONValue(parsing: right) {
                value = parsed
            } else {
                throw HarnessError.badPath(text, "cannot read the value \(right)")
            }
            return .filter(field: field, op: op, value: value)
        }
        throw HarnessError.badPath(text, "a filter needs == or !=")
    }

    /// Every value the path selects, in document order.
    public func select(_ root: JSONValue) -> [JSONValue] {
        var current = [root]
        for segment in segments {
            var next: [JSONValue] = []
            for value in current {
                switch segment {
                case .key(let k): if let v = value[k] { next.append(v) }
                case .index(let i):
                    if let a = value.arrayValue {
                        let j = i < 0 ? a.count + i : i
                        if j >= 0 && j < a.count { next.append(a[j]) }
                    }
                case .wildcard:
                    if let a = value.arrayValue { next += a } else if let o = value.objectValue { next += o.members.map(\.value) }
                case .filter(let field, let op, let expected):
                    for item in value.arrayValue ?? [] {
                        var v: JSONValue? = item
                        for f in field { v = v?[f] }
                        let equal = v == expected
                        if (op == "==") == equal { next.append(item) }
                    }
                }
            }
            current = next
        }
        return current
    }

    /// The single value selected (the first one when several match), or nil.
    public func first(_ root: JSONValue) -> JSONValue? { select(root).first }

    /// Whether the path can select several values (`[*]` or a filter).
    public var isMulti: Bool {
        segments.contains { if case .wildcard = $0 { return true } else if case .filter = $0 { return true } else { return false } }
    }
}

extension Substring {
    func trimmingPrefixWhitespace() -> Substring { drop { $0 == " " } }
}
