/// One pass over UTF-8 bytes that checks RFC 8259 grammar strictly and emits the flat node index.
///
/// Iterative, not recursive: open containers live on an explicit stack, so 100,000 `[` end in a
/// `tooDeep` error instead of a stack overflow. Strings are checked for valid UTF-8, legal escapes and
/// paired surrogates but not decoded; numbers are checked against the grammar but not converted.
struct JSONScanner {
    private let p: UnsafeBufferPointer<UInt8>
    private let n: Int
    private var i = 0
    private var nodes = NodeBuffer()
    /// Open containers: node index and child count so far; at most `maxDepth` deep.
    private var openContainers: UnsafeMutablePointer<Int>
    private var childCounts: UnsafeMutablePointer<UInt32>
    private var depth = 0
    /// The deepest nesting seen, for `JSONDocument.depth`.
    private(set) var deepest = 0
    private let maxDepth: Int

    init(_ buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.p = buffer
        self.n = buffer.count
        self.maxDepth = maxDepth
        self.openContainers = .allocate(capacity: maxDepth + 1)
        self.childCounts = .allocate(capacity: maxDepth + 1)
    }

    mutating func scan() throws(JSONParseError) -> JSONNodeStorage {
        var finished = false
        defer {
            if !finished { nodes.deallocate() }
            openContainers.deallocate()
            childCounts.deallocate()
        }
        guard n < Int(UInt32.max) else { throw error(.documentTooLarge, at: 0) }
        nodes.reserve(max(16, n / 8))
        skipWhitespace()
        guard i < n else { throw error(.unexpectedEnd(expected: "a JSON value"), at: i) }
        try scanValue()
        while depth > 0 {
            let top = openContainers[depth - 1]
            skipWhitespace()
            guard i < n else {
                let what = nodes[top].kind == .object ? "',' or '}'" : "',' or ']'"
                throw error(.unexpectedEnd(expected: what), at: i)
            }
            let c = p[i]
            if nodes[top].kind == .object {
                if c == ASCII.comma {
                    i += 1
                    try scanMemberStart()
                } else if c == ASCII.closeBrace {
                    i += 1
                    close()
                } else {
                    throw error(.unexpectedCharacter(c, expected: "',' or '}' after an object member"), at: i)
                }
            } else {
                if c == ASCII.comma {
                    i += 1
                    skipWhitespace()
                    try scanElementStart()
                } else if c == ASCII.closeBracket {
                    i += 1
                    close()
                } else {
                    throw error(.unexpectedCharacter(c, expected: "',' or ']' after an array element"), at: i)
                }
            }
        }
        skipWhitespace()
        if i < n { throw error(.trailingCharacters, at: i) }
        finished = true
        return nodes.handOver()
    }

    // MARK: values

    private mutating func scanElementStart() throws(JSONParseError) {
        guard i < n else { throw error(.unexpectedEnd(expected: "an array element"), at: i) }
        if p[i] == ASCII.closeBracket { throw error(.trailingComma, at: i) }
        childCounts[depth - 1] &+= 1
        try scanValue()
    }

    /// After `{` or `,` inside an object: whitespace, key string, whitespace, colon, value.
    private mutating func scanMemberStart() throws(JSONParseError) {
        skipWhitespace()
        guard i < n else { throw error(.unexpectedEnd(expected: "an object key"), at: i) }
        guard p[i] == ASCII.quote else {
            if p[i] == ASCII.closeBrace { throw error(.trailingComma, at: i) }
            throw error(.unexpectedCharacter(p[i], expected: "a string key in double quotes"), at: i)
        }
        childCounts[depth - 1] &+= 1
        try scanString()
        skipWhitespace()
        guard i < n else { throw error(.unexpectedEnd(expected: "':'"), at: i) }
        guard p[i] == ASCII.colon else {
            throw error(.unexpectedCharacter(p[i], expected: "':' after an object key"), at: i)
        }
        i += 1
        skipWhitespace()
        guard i < n else { throw error(.unexpectedEnd(expected: "a value"), at: i) }
        try scanValue()
    }

    /// Scans one value at `i` (not whitespace).
    ///
    /// Containers are opened and left on the stack.
    private mutating func scanValue() throws(JSONParseError) {
        let c = p[i]
        switch c {
        case ASCII.quote:
            try scanString()
        case ASCII.openBrace:
            try open(.object)
            skipWhitespace()
            if i < n && p[i] == ASCII.closeBrace {
                i += 1
                close()
            } else {
                try scanMemberStart()
            }
        case ASCII.openBracket:
            try open(.array)
            skipWhitespace()
            if i < n && p[i] == ASCII.closeBracket {
                i += 1
                close()
            } else {
                guard i < n else { throw error(.unexpectedEnd(expected: "an array element or ']'"), at: i) }
                childCounts[depth - 1] &+= 1
                try scanValue()
            }
        case ASCII.t:
            try scanLiteral(ASCII.trueBytes, kind: .true)
        case ASCII.f:
            try scanLiteral(ASCII.falseBytes, kind: .false)
        case ASCII.n:
            try scanLiteral(ASCII.nullBytes, kind: .null)
        case ASCII.minus, ASCII.zero...ASCII.nine:
            try scanNumber()
        default:
            throw error(.unexpectedCharacter(c, expected: "a JSON value"), at: i)
        }
    }

    private mutating func open(_ kind: JSONKind) throws(JSONParseError) {
        guard depth < maxDepth else { throw error(.tooDeep(limit: maxDepth), at: i) }
        openContainers[depth] = nodes.count
        childCounts[depth] = 0
        depth += 1
        if depth > deepest { deepest = depth }
        nodes.append(JSONNode(kind: kind, offset: i))
        i += 1
    }

    private mutating func close() {
        depth -= 1
        let top = openContainers[depth]
        nodes[top].length = childCounts[depth]
        nodes[top].end = UInt32(truncatingIfNeeded: nodes.count)
    }

    private mutating func scanLiteral(_ literal: [UInt8], kind: JSONKind) throws(JSONParseError) {
        let start = i
        for expected in literal {
            guard i < n else { throw error(.unexpectedEnd(expected: "'\(String(decoding: literal, as: UTF8.self))'"), at: i) }
            guard p[i] == expected else { throw error(.invalidLiteral, at: start) }
            i += 1
        }
        nodes.append(JSONNode(kind: kind, offset: start, length: literal.count))
    }

    private mutating func scanNumber() throws(JSONParseError) {
        let start = i
        var integer = true
        if p[i] == ASCII.minus { i += 1 }
        guard i < n else { throw error(.unexpectedEnd(expected: "a digit"), at: i) }
        if p[i] == ASCII.zero {
            i += 1
            if i < n && ASCII.isDigit(p[i]) { throw error(.invalidNumber("leading zeros are not allowed"), at: start) }
        } else if ASCII.isDigit(p[i]) {
            while i < n && ASCII.isDigit(p[i]) { i += 1 }
        } else {
            throw error(.invalidNumber("expected a digit after '-'"), at: i)
        }
        if i < n && p[i] == ASCII.dot {
            integer = false
            i += 1
            guard i < n && ASCII.isDigit(p[i]) else { throw error(.invalidNumber("expected a digit after '.'"), at: i) }
            while i < n && ASCII.isDigit(p[i]) { i += 1 }
        }
        if i < n && (p[i] == ASCII.e || p[i] == ASCII.E) {
            integer = false
            i += 1
            if i < n && (p[i] == ASCII.plus || p[i] == ASCII.minus) { i += 1 }
            guard i < n && ASCII.isDigit(p[i]) else { throw error(.invalidNumber("expected a digit in the exponent"), at: i) }
            while i < n && ASCII.isDigit(p[i]) { i += 1 }
        }
        nodes.append(JSONNode(kind: .number, offset: start, length: i - start, flags: integer ? JSONNode.isInteger : 0))
    }

    // MARK: strings

    /// Scans a string at the opening quote; records content offset and length and whether it has escapes.
    private mutating func scanString() throws(JSONParseError) {
        let quote = i
        i += 1
        let start = i
        var flags: UInt8 = 0
        while true {
            // Fast path: eight bytes at a time while none is a quote, backslash, control or non-ASCII byte.
            while i + 8 <= n {
                let word = UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: UInt64.self)
                if JSONScanner.hasSpecialByte(word) { break }
                i += 8
            }
            while i < n {
                let b = p[i]
                if b >= 0x20 && b < 0x80 && b != ASCII.quote && b != ASCII.backslash { i += 1 } else { break }
            }
            guard i < n else { throw error(.unterminatedString, at: quote) }
            let b = p[i]
            if b == ASCII.quote { break }
            if b == ASCII.backslash {
                flags = JSONNode.hasEscapes
                try scanEscape()
            } else if b < 0x20 {
                throw error(.controlCharacterInString(b), at: i)
            } else {
                try scanUTF8Sequence()
            }
        }
        nodes.append(JSONNode(kind: .string, offset: start, length: i - start, flags: flags))
        i += 1
    }

    private mutating func scanEscape() throws(JSONParseError) {
        let at = i
        i += 1
        guard i < n else { throw error(.unterminatedString, at: at) }
        switch p[i] {
        case ASCII.quote, ASCII.backslash, ASCII.slash, ASCII.b, ASCII.f, ASCII.n, ASCII.r, ASCII.t:
            i += 1
        case ASCII.u:
            let unit = try scanHex4(escapeAt: at)
            if unit >= 0xD800 && unit <= 0xDBFF {
                guard i + 1 < n, p[i] == ASCII.backslash, p[i + 1] == ASCII.u else {
                    throw error(.invalidEscape("high surrogate \\u\(hex(unit)) is not followed by a low surrogate"), at: at)
                }
                let lowAt = i
                i += 1
                let low = try scanHex4(escapeAt: lowAt)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw error(
                        .invalidEscape("high surrogate \\u\(hex(unit)) is followed by \\u\(hex(low)), not a low surrogate"), at: lowAt)
                }
            } else if unit >= 0xDC00 && unit <= 0xDFFF {
                throw error(.invalidEscape("lone low surrogate \\u\(hex(unit))"), at: at)
            }
        default:
            throw error(.invalidEscape("'\\\(ASCII.describe(p[i]))' is not a JSON escape"), at: at)
        }
    }

    /// At the `u` of `\u`: reads four hex digits.
    private mutating func scanHex4(escapeAt: Int) throws(JSONParseError) -> UInt32 {
        i += 1
        guard i + 4 <= n else { throw error(.invalidEscape("\\u needs four hex digits"), at: escapeAt) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let d = ASCII.hexValue(p[i]) else { throw error(.invalidEscape("\\u needs four hex digits"), at: escapeAt) }
            value = value << 4 | UInt32(d)
            i += 1
        }
        return value
    }

    private func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    /// Validates one multi-byte UTF-8 sequence at `i` (lead byte >= 0x80) and steps over it.
    private mutating func scanUTF8Sequence() throws(JSONParseError) {
        let b0 = p[i]
        var need = 0
        var lo: UInt8 = 0x80
        var hi: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED: need = 2; hi = 0x9F
        case 0xF0: need = 3; lo = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; hi = 0x8F
        default: throw error(.invalidUTF8, at: i)
        }
        guard i + need < n else { throw error(.invalidUTF8, at: i) }
        let b1 = p[i + 1]
        guard b1 >= lo && b1 <= hi else { throw error(.invalidUTF8, at: i) }
        if need >= 2 { guard p[i + 2] & 0xC0 == 0x80 else { throw error(.invalidUTF8, at: i) } }
        if need == 3 { guard p[i + 3] & 0xC0 == 0x80 else { throw error(.invalidUTF8, at: i) } }
        i += need + 1
    }

    // MARK: helpers

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether any byte of `w` is `"`, `\`, below 0x20, or 0x80 and above (SWAR "has zero byte" tests).
    @inline(__always) static func hasSpecialByte(_ w: UInt64) -> Bool {
        let quote = w ^ (ones &* 0x22)
        let backslash = w ^ (ones &* 0x5C)
        let zeroQuote = (quote &- ones) & ~quote
        let zeroBackslash = (backslash &- ones) & ~backslash
        let control = (w &- ones &* 0x20) & ~w
        return ((zeroQuote | zeroBackslash | control) & highs) | (w & highs) != 0
    }

    private mutating func skipWhitespace() {
        while i < n {
            let b = p[i]
            if b == ASCII.space || b == ASCII.newline || b == ASCII.tab || b == ASCII.carriageReturn { i += 1 } else { return }
        }
    }

    private func error(_ kind: JSONParseError.Kind, at offset: Int) -> JSONParseError {
        JSONParseError(kind: kind, offset: offset, in: p)
    }
}

/// A growable buffer of nodes without Array's per-append uniqueness checks; copied into an Array once.
struct NodeBuffer {
    private var base: UnsafeMutablePointer<JSONNode>?
    private(set) var count = 0
    private var capacity = 0

    mutating func reserve(_ n: Int) {
        guard n > capacity else { return }
        let fresh = UnsafeMutablePointer<JSONNode>.allocate(capacity: n)
        if let base {
            fresh.moveInitialize(from: base, count: count)
            base.deallocate()
        }
        base = fresh
        capacity = n
    }

    @inline(__always) mutating func append(_ node: JSONNode) {
        if count == capacity { reserve(max(16, capacity * 2)) }
        (base! + count).initialize(to: node)
        count += 1
    }

    subscript(index: Int) -> JSONNode {
        get { base![index] }
        nonmutating set { base![index] = newValue }
    }

    /// Gives the memory to a `JSONNodeStorage`, which frees it.
    func handOver() -> JSONNodeStorage {
        JSONNodeStorage(base: base ?? .allocate(capacity: 1), count: count)
    }

    mutating func deallocate() {
        base?.deallocate()
        base = nil
        count = 0
        capacity = 0
    }
}

/// The node index of a parsed document: one allocation, immutable once built, freed with the document.
@usableFromInline final class JSONNodeStorage: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<JSONNode>
    @usableFromInline let count: Int

    init(base: UnsafeMutablePointer<JSONNode>, count: Int) {
        self.base = base
        self.count = count
    }

    deinit { base.deallocate() }

    @inlinable subscript(index: Int) -> JSONNode {
        precondition(index >= 0 && index < count, "JSON node index out of range")
        return base[index]
    }
}
