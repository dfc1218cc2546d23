/// A JSON object that keeps its members in source order and compares as a set of members.
///
/// Large objects (16 members or more, such as a spec's `definitions`) carry a key index so lookups stay O(1).
/// A duplicate key keeps its first position; lookups return the last value, as most JSON parsers do.
public struct JSONObject: Sendable, Hashable, Sequence {
    /// One key/value pair.
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public private(set) var members: [Member]
    private var index: [String: Int]?

    public init(_ members: [Member] = []) {
        self.members = members
        if members.count >= 16 { rebuildIndex() }
    }

    /// An object that will only be written, never looked up: skips building the key index.
    public init(writeOnly members: [Member]) {
        self.members = members
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }

    public subscript(key: String) -> JSONValue? {
        get {
            if let index { return index[key].map { members[$0].value } }
            for m in members.reversed() where m.key == key { return m.value }
            return nil
        }
        set {
            if let position = position(of: key) {
                if let newValue {
                    members[position].value = newValue
                } else {
                    members.remove(at: position)
                    if index != nil || members.count >= 16 { rebuildIndex() }
                }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
                if index != nil {
                    index?[key] = members.count - 1
                } else if members.count >= 16 {
                    rebuildIndex()
                }
            }
        }
    }

    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return members.lastIndex(where: { $0.key == key })
    }

    private mutating func rebuildIndex() {
        var map: [String: Int] = [:]
        map.reserveCapacity(members.count)
        for (i, m) in members.enumerated() { map[m.key] = i }
        index = map
    }

    /// Equal when both have the same keys with equal values as lookups see them (a duplicate key's last value).
    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        for m in a.members {
            // A duplicate key of `a` compares with the value lookups see, its last one.
            guard let other = b[m.key], other == m.value || other == a[m.key] else { return false }
        }
        return b.members.allSatisfy { a[$0.key] != nil }
    }

    public func hash(into hasher: inout Hasher) {
        var combined = 0
        var distinct = 0
        for (i, m) in members.enumerated() where position(of: m.key) == i {
            var h = Hasher()
            h.combine(m.key)
            h.combine(m.value)
            combined ^= h.finalize()
            distinct += 1
        }
        hasher.combine(distinct)
        hasher.combine(combined)
    }
}
