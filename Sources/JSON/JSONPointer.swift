import Foundation

/// An RFC 6901 JSON Pointer (`/experiments/0/id`): where an error is, in a body or in a spec.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible, Comparable {
    /// Unescaped reference tokens.
    public private(set) var tokens: [String]

    /// The whole document.
    public static let root = JSONPointer(tokens: [])

    public init(tokens: [String]) { self.tokens = tokens }

    /// Parses `""`, `"/a/b~1c"`; throws on text that does not start with `/` or bad `~` escapes.
    public init(parsing text: String) throws(JSONPointerError) {
        if text.isEmpty {
            self.tokens = []
            return
        }
        guard text.utf8.first == 0x2F else { throw JSONPointerError(pointer: text, reason: "must be empty or start with '/'") }
        var tokens: [String] = []
        let bytes = Array(text.utf8)
        var start = 1
        var i = 1
        while i <= bytes.count {
            if i == bytes.count || bytes[i] == 0x2F {
                let raw = bytes[start..<i]
                if raw.contains(0x7E) {
                    var out: [UInt8] = []
                    out.reserveCapacity(raw.count)
                    var j = raw.startIndex
                    while j < raw.endIndex {
                        if raw[j] == 0x7E {
                            guard j + 1 < raw.endIndex, raw[j + 1] == 0x30 || raw[j + 1] == 0x31 else {
                                throw JSONPointerError(pointer: text, reason: "'~' must be followed by 0 or 1")
                            }
                            out.append(raw[j + 1] == 0x30 ? 0x7E : 0x2F)
                            j += 2
                        } else {
                            out.append(raw[j])
                            j += 1
                        }
                    }
                    tokens.append(String(decoding: out, as: UTF8.self))
                } else {
                    tokens.append(String(decoding: raw, as: UTF8.self))
                }
                start = i + 1
            }
            i += 1
        }
        self.tokens = tokens
    }

    /// Parses a URI fragment such as `#/definitions/v1User` (percent-decoding first).
    public init(fragment: String) throws(JSONPointerError) {
        var text = fragment
        if text.hasPrefix("#") { text.removeFirst() }
        try self.init(parsing: text.removingPercentEncodingLeniently())
    }

    public func appending(_ token: String) -> JSONPointer {
        var copy = self
        copy.tokens.append(token)
        return copy
    }

    public func appending(_ index: Int) -> JSONPointer { appending(String(index)) }

    public var parent: JSONPointer? {
        guard !tokens.isEmpty else { return nil }
        return JSONPointer(tokens: Array(tokens.dropLast()))
    }

    public var description: String {
        var out = ""
        for token in tokens {
            out.append("/")
            if token.utf8.contains(where: { $0 == 0x7E || $0 == 0x2F }) {
                var bytes: [UInt8] = []
                bytes.reserveCapacity(token.utf8.count + 4)
                for b in token.utf8 {
                    switch b {
                    case 0x7E: bytes.append(contentsOf: [0x7E, 0x30])
                    case 0x2F: bytes.append(contentsOf: [0x7E, 0x31])
                    default: bytes.append(b)
                    }
                }
                out.append(String(decoding: bytes, as: UTF8.self))
            } else {
                out.append(token)
            }
        }
        return out
    }

    /// The value this pointer names in `value`, or nil when a token does not resolve.
    public func resolve(in value: JSONValue) -> JSONValue? {
        var current = value
        for token in tokens {
            switch current {
            case .object(let o):
                guard let next = o[token] else { return nil }
                current = next
            case .array(let a):
                guard let i = JSONPointer.arrayIndex(token), i < a.count else { return nil }
                current = a[i]
            default: return nil
            }
        }
        return current
    }

    /// The node this pointer names in `document`, or nil.
    public func resolve(in document: JSONDocument) -> Int? {
        var current = document.root
        for token in tokens {
            switch document.kind(current) {
            case .object:
                guard let next = document.member(current, token) else { return nil }
                current = next
            case .array:
                guard let i = JSONPointer.arrayIndex(token), let next = document.element(current, i) else { return nil }
                current = next
            default: return nil
            }
        }
        return current
    }

    /// RFC 6901 array index: digits, no leading zeros.
    static func arrayIndex(_ token: String) -> Int? {
        guard !token.isEmpty, token.allSatisfy(\.isASCII), token.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return nil
        }
        if token.count > 1 && token.hasPrefix("0") { return nil }
        return Int(token)
    }

    public static func < (a: JSONPointer, b: JSONPointer) -> Bool { a.description < b.description }
}

/// A JSON Pointer that could not be parsed.
public struct JSONPointerError: Error, Sendable, CustomStringConvertible {
    public let pointer: String
    public let reason: String
    public var description: String { "invalid JSON pointer '\(pointer)': \(reason)" }
}

extension String {
    /// Decodes `%XX` sequences; leaves malformed ones as they are.
    func removingPercentEncodingLeniently() -> String {
        guard utf8.contains(0x25) else { return self }
        var bytes: [UInt8] = []
        let u = Array(utf8)
        var i = 0
        while i < u.count {
            if u[i] == 0x25, i + 2 < u.count, let h = ASCII.hexValue(u[i + 1]), let l = ASCII.hexValue(u[i + 2]) {
                bytes.append(h << 4 | l)
                i += 3
            } else {
                bytes.append(u[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
