import JSON

/// The JSONPath subset an overlay's `target` uses, evaluated to the places it names (so an action can
/// update or remove them): `$`, `.name`, `['name']`, `.*` and `[*]`, `[n]`, and `..name` (any depth).
///
/// `$.paths.*.*.responses.default` names every operation's default response.
struct OverlayPath: Sendable {
    enum Segment: Sendable, Equatable {
        case name(String)
        case index(Int)
        case wildcard
        case descendant(String)
    }

    let segments: [Segment]

    init(_ text: String) throws(SpecError) {
        func bad(_ why: String) -> SpecError { SpecError(kind: .invalid, location: "", message: "target '\(text)': \(why)") }
        var chars = Array(text)
        guard chars.first == "$" else { throw bad("a target starts with $") }
        chars.removeFirst()
        var out: [Segment] = []
        var i = 0
        func readName() -> String {
            var name = ""
            while i < chars.count, chars[i] != ".", chars[i] != "[" {
                name.append(chars[i])
                i += 1
            }
            return name
        }
        while i < chars.count {
            if chars[i] == "." {
                if i + 1 < chars.count, chars[i + 1] == "." {
                    i += 2
                    let name = readName()
                    guard !name.isEmpty, name != "*" else { throw bad("'..' is followed by a property name") }
                    out.append(.descendant(name))
                    continue
                }
                i += 1
                let name = readName()
                guard !name.isEmpty else { throw bad("an empty name after '.'") }
                out.append(name == "*" ? .wildcard : .name(name))
            } else if chars[i] == "[" {
                guard let close = chars[i...].firstIndex(of: "]") else { throw bad("a '[' is not closed") }
                let inner = String(chars[(i + 1)..<close])
                i = close + 1
                if inner == "*" {
                    out.append(.wildcard)
                } else if let n = Int(inner), n >= 0 {
                    out.append(.index(n))
                } else if inner.count >= 2, let q = inner.first, q == "'" || q == "\"", inner.last == q {
                    out.append(.name(String(inner.dropFirst().dropLast())))
                } else {
                    throw bad("'[\(inner)]' is not a quoted name, an index or *; filters are not supported")
                }
            } else {
                throw bad("unexpected '\(chars[i])'")
            }
        }
        segments = out
    }

    /// The token paths of every value the target names in `root`, in document order.
    func locations(in root: JSONValue) -> [[String]] {
        var current: [([String], JSONValue)] = [([], root)]
        for segment in segments {
            var next: [([String], JSONValue)] = []
            for (path, value) in current {
                switch segment {
                case .name(let n): if let v = value.objectValue?[n] { next.append((path + [n], v)) }
                case .index(let k): if let a = value.arrayValue, k < a.count { next.append((path + [String(k)], a[k])) }
                case .wildcard:
                    if let o = value.objectValue {
                        for m in o { next.append((path + [m.key], m.value)) }
                    } else if let a = value.arrayValue {
                        for (k, v) in a.enumerated() { next.append((path + [String(k)], v)) }
                    }
                case .descendant(let n): OverlayPath.descend(value, path, n, &next)
                }
            }
            current = next
        }
        return current.map(\.0)
    }

    private static func descend(_ value: JSONValue, _ path: [String], _ name: String, _ out: inout [([String], JSONValue)]) {
        if let o = value.objectValue {
            for m in o {
                if m.key == name { out.append((path + [m.key], m.value)) }
                descend(m.value, path + [m.key], name, &out)
            }
        } else if let a = value.arrayValue {
            for (k, v) in a.enumerated() { descend(v, path + [String(k)], name, &out) }
        }
    }
}
