/// A parsed JSON text kept as its bytes plus a flat index of nodes, so callers read only the values they need.
///
/// Parsing builds no strings, dictionaries or arrays of values: each JSON value becomes one 16-byte `Node` in
/// `nodes`, in document order. Containers record how many children they have and the index of the node that
/// follows them, so a reader can skip a whole subtree in one step. Strings and numbers are decoded on demand.
///
/// Worked example for `{"a":[1,true],"b":"x"}`:
/// ```
/// index kind    offset length end   (offset/length: bytes for scalars; length = child count for containers)
/// 0     object  0      2      6     end = index after the object
/// 1     string  2      1      -     key "a"
/// 2     array   5      2      5
/// 3     number  6      1      -
/// 4     true    8      4      -
/// 5     string  15     1      -     key "b"     (value "x" is node 6; object end = 7)
/// ```
/// Object children alternate key, value; a scalar's successor is simply `index + 1`.
public struct JSONDocument: Sendable {
    /// The exact bytes that were parsed.
    public let bytes: [UInt8]
    @usableFromInline let nodes: JSONNodeStorage
    /// How deeply containers nest (0 for a scalar, 1 for `[]`), so recursive consumers can plan their stack.
    public let depth: Int

    /// Parses `bytes` as one strict RFC 8259 JSON text.
    public init(parsing bytes: [UInt8], maxDepth: Int = 512) throws(JSONParseError) {
        self.bytes = bytes
        (self.nodes, self.depth) = try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in
            var scanner = JSONScanner(buffer, maxDepth: maxDepth)
            let storage = try scanner.scan()
            return (storage, scanner.deepest)
        }
    }

    /// Parses UTF-8 text.
    public init(parsing text: String, maxDepth: Int = 512) throws(JSONParseError) {
        try self.init(parsing: Array(text.utf8), maxDepth: maxDepth)
    }

    /// The index of the top-level value.
    public var root: Int { 0 }

    /// How many nodes the index holds (one per JSON value, keys included).
    public var nodeCount: Int { nodes.count }

    @inlinable public func kind(_ index: Int) -> JSONKind { nodes[index].kind }

    /// Members of an object or elements of an array; 0 for scalars.
    @inlinable public func count(_ index: Int) -> Int {
        let node = nodes[index]
        return node.kind.isContainer ? Int(node.length) : 0
    }

    /// The index of the node after this value and its whole subtree.
    @inlinable public func next(after index: Int) -> Int {
        let node = nodes[index]
        return node.kind.isContainer ? Int(node.end) : index + 1
    }

    /// Byte offset where this value starts (after the opening quote for strings).
    @inlinable public func offset(_ index: Int) -> Int { Int(nodes[index].offset) }

    /// Raw bytes of a string's content (escapes undecoded) or of a number's text.
    @inlinable public func rawBytes(_ index: Int) -> ArraySlice<UInt8> {
        let node = nodes[index]
        return bytes[Int(node.offset)..<Int(node.offset) + Int(node.length)]
    }

    /// Byte range of a string's raw content or a number's text.
    @inlinable public func rawRange(_ index: Int) -> Range<Int> {
        let node = nodes[index]
        return Int(node.offset)..<Int(node.offset) + Int(node.length)
    }

    /// Iterates an object's members as (key node, value node) index pairs.
    @inlinable public func members(_ index: Int) -> MemberSequence {
        MemberSequence(document: self, start: index + 1, count: count(index))
    }

    /// Iterates an array's element node indices.
    @inlinable public func elements(_ index: Int) -> ElementSequence {
        ElementSequence(document: self, start: index + 1, count: count(index))
    }

    /// The value node of the member named `key`, or nil.
    public func member(_ index: Int, _ key: String) -> Int? {
        guard kind(index) == .object else { return nil }
        var key = key
        return key.withUTF8 { keyBytes in
            for (k, v) in members(index) where stringEquals(k, keyBytes) { return v }
            return nil
        }
    }

    /// Array element `position`, or nil.
    public func element(_ index: Int, _ position: Int) -> Int? {
        guard kind(index) == .array, position >= 0, position < count(index) else { return nil }
        var i = index + 1
        for _ in 0..<position { i = next(after: i) }
        return i
    }

    /// Whether a string node equals the given UTF-8 bytes (decoding escapes only when the string has any).
    @inlinable public func stringEquals(_ index: Int, _ other: UnsafeBufferPointer<UInt8>) -> Bool {
        let node = nodes[index]
        if node.flags & JSONNode.hasEscapes != 0 {
            return Array(string(index).utf8).elementsEqual(other)
        }
        guard Int(node.length) == other.count else { return false }
        return bytes.withUnsafeBufferPointer { b in
            let start = Int(node.offset)
            for i in 0..<other.count where b[start + i] != other[i] { return false }
            return true
        }
    }

    /// The decoded text of a string node.
    public func string(_ index: Int) -> String {
        let node = nodes[index]
        let slice = bytes[Int(node.offset)..<Int(node.offset) + Int(node.length)]
        if node.flags & JSONNode.hasEscapes == 0 {
            return String(decoding: slice, as: UTF8.self)
        }
        return JSONStringDecoding.unescape(slice)
    }

    /// Whether the string node needed escape decoding.
    @inlinable public func stringHasEscapes(_ index: Int) -> Bool { nodes[index].flags & JSONNode.hasEscapes != 0 }

    /// Whether a number node was written without fraction or exponent.
    @inlinable public func isIntegerLiteral(_ index: Int) -> Bool { nodes[index].flags & JSONNode.isInteger != 0 }

    /// The number node's value as Int64 if it is an integer literal that fits.
    public func int64(_ index: Int) -> Int64? {
        let node = nodes[index]
        guard node.kind == .number, node.flags & JSONNode.isInteger != 0 else { return nil }
        return JSONNumber.parseInt64(bytes[Int(node.offset)..<Int(node.offset) + Int(node.length)])
    }

    /// The number node's value as a Double (exact text kept in `rawBytes`).
    public func double(_ index: Int) -> Double {
        let node = nodes[index]
        return JSONNumber.parseDouble(bytes[Int(node.offset)..<Int(node.offset) + Int(node.length)])
    }

    /// The number node's exact source text.
    public func numberText(_ index: Int) -> String { String(decoding: rawBytes(index), as: UTF8.self) }

    /// Iterates an object's (key, value) node pairs without allocating.
    public struct MemberSequence: Sequence, IteratorProtocol {
        @usableFromInline let document: JSONDocument
        @usableFromInline var cursor: Int
        @usableFromInline var remaining: Int
        @inlinable init(document: JSONDocument, start: Int, count: Int) {
            self.document = document
            self.cursor = start
            self.remaining = count
        }
        @inlinable public mutating func next() -> (key: Int, value: Int)? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            let key = cursor
            let value = key + 1
            cursor = document.next(after: value)
            return (key, value)
        }
    }

    /// Iterates an array's element nodes without allocating.
    public struct ElementSequence: Sequence, IteratorProtocol {
        @usableFromInline let document: JSONDocument
        @usableFromInline var cursor: Int
        @usableFromInline var remaining: Int
        @inlinable init(document: JSONDocument, start: Int, count: Int) {
            self.document = document
            self.cursor = start
            self.remaining = count
        }
        @inlinable public mutating func next() -> Int? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            let element = cursor
            cursor = document.next(after: element)
            return element
        }
    }
}

/// The JSON type of one node in a `JSONDocument`.
public enum JSONKind: UInt8, Sendable {
    case null, `false`, `true`, number, string, array, object

    @inlinable public var isContainer: Bool { self == .array || self == .object }
}

/// One entry of the flat index: 16 bytes, see `JSONDocument` for the layout.
@usableFromInline struct JSONNode: Sendable {
    @usableFromInline var offset: UInt32
    @usableFromInline var length: UInt32
    @usableFromInline var end: UInt32
    @usableFromInline var kind: JSONKind
    @usableFromInline var flags: UInt8

    @usableFromInline static let hasEscapes: UInt8 = 1
    @usableFromInline static let isInteger: UInt8 = 2

    @inlinable init(kind: JSONKind, offset: Int, length: Int = 0, flags: UInt8 = 0) {
        self.offset = UInt32(truncatingIfNeeded: offset)
        self.length = UInt32(truncatingIfNeeded: length)
        self.end = 0
        self.kind = kind
        self.flags = flags
    }
}
