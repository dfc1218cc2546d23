import JSON

/// Makes deterministic, schema-valid example values: the same schema and seed always give the same value.
///
/// The mock cluster answers unmodeled operations with these, and the conformance sweep fills parameters with
/// them. Honours types, formats, enums, const, required, numeric and length bounds, simple patterns,
/// allOf/oneOf/anyOf; recursion is bounded (past `maxDepth` only required properties are filled).
public struct SchemaSampler: Sendable {
    public let schemas: CompiledSchemas
    public var maxDepth = 5

    public init(schemas: CompiledSchemas, maxDepth: Int = 5) {
        self.schemas = schemas
        self.maxDepth = maxDepth
    }

    /// A sample for schema node `node`; a different `seed` varies strings, numbers and choices.
    public func sample(_ node: Int, seed: UInt64 = 1) -> JSONValue {
        var generator = SampleGenerator(nodes: schemas.nodes, seed: seed, maxDepth: maxDepth)
        return generator.value(node, depth: 0)
    }
}

/// The recursive walk behind `SchemaSampler`, carrying the seeded random state.
struct SampleGenerator {
    let nodes: [SchemaNode]
    var random: SeededRandom
    let maxDepth: Int

    init(nodes: [SchemaNode], seed: UInt64, maxDepth: Int) {
        self.nodes = nodes
        self.random = SeededRandom(seed)
        self.maxDepth = maxDepth
    }

    mutating func next() -> UInt64 { random.next() }
    mutating func below(_ n: Int) -> Int { random.below(n) }

    /// The deepest the walk goes, whatever the schema; past it the sample is `null`.
    ///
    /// A required property that refers back to its own schema (or `$ref`s that only name each other) has no
    /// finite sample, and would otherwise recurse until the stack overflows (found by fuzzing,
    /// Tests/Fuzz/crashes/spec).
    static let maxNesting = 200
    private var nesting = 0

    mutating func value(_ n: Int, depth: Int) -> JSONValue {
        if nesting >= Self.maxNesting { return .null }
        nesting += 1
        defer { nesting -= 1 }
        let node = nodes[n]
        switch node.constant {
        case .alwaysTrue: return .object(JSONObject())
        case .alwaysFalse: return .null
        case .none: break
        }
        if let r = node.ref, node.refOverrides || isOnlyRef(node) { return value(r, depth: depth) }
        if let c = node.constValue { return c }
        if let values = node.enumValues, !values.isEmpty { return values[below(values.count)] }
        if let first = node.oneOf.first ?? node.anyOf.first, node.types == nil, node.properties.isEmpty {
            let branches = node.oneOf.isEmpty ? node.anyOf : node.oneOf
            return value(branches.isEmpty ? first : branches[0], depth: depth)
        }
        var result = valueOfOwnType(n, depth: depth)
        // allOf and a sibling $ref contribute their members.
        var parts = node.allOf
        if let r = node.ref { parts.insert(r, at: 0) }
        for part in parts {
            let extra = value(part, depth: depth)
            if case .object(var base) = result, case .object(let more) = extra {
                for m in more where base[m.key] == nil { base[m.key] = m.value }
                result = .object(base)
            } else if case .object(let o) = result, o.isEmpty {
                result = extra
            }
        }
        return result
    }

    private func isOnlyRef(_ node: SchemaNode) -> Bool {
        node.types == nil && node.properties.isEmpty && node.allOf.isEmpty && node.items == nil && node.enumValues == nil
    }

    private func chooseType(_ node: SchemaNode) -> TypeSet {
        if let t = node.types {
            for candidate in [TypeSet.object, .array, .string, .integer, .number, .boolean] where t.contains(candidate) { return candidate }
            return .null
        }
        if !node.properties.isEmpty || node.additionalProperties != nil || !node.required.isEmpty { return .object }
        if node.items != nil || !node.prefixItems.isEmpty { return .array }
        if node.minLength != nil || node.pattern != nil || node.format != nil { return .string }
        if node.minimum != nil || node.maximum != nil { return .number }
        return .object
    }

    private mutating func valueOfOwnType(_ n: Int, depth: Int) -> JSONValue {
        let node = nodes[n]
        let type = chooseType(node)
        switch type {
        case .object: return object(n, depth: depth)
        case .array: return array(n, depth: depth)
        case .string: return .string(string(node))
        case .integer: return .number(JSONNumber(integer(node)))
        case .number: return number(node)
        case .boolean: return .bool(next() & 1 == 0)
        default: return .null
        }
    }

    private mutating func object(_ n: Int, depth: Int) -> JSONValue {
        let node = nodes[n]
        var o = JSONObject()
        let required = Set(node.required.map(\.name))
        for p in node.properties {
            if depth >= maxDepth && !required.contains(p.name) { continue }
            o[p.name] = value(p.node, depth: depth + 1)
        }
        for r in node.required where o[r.name] == nil {
            o[r.name] = node.additionalProperties.map { value($0, depth: depth + 1) } ?? .string("value")
        }
        if node.properties.isEmpty, let a = node.additionalProperties, nodes[a].constant != .alwaysFalse, depth < maxDepth {
            o["key\(below(9) + 1)"] = value(a, depth: depth + 1)
        }
        var i = 0
        while let min = node.minProperties, o.count < min {
            o["extra\(i)"] = node.additionalProperties.map { value($0, depth: depth + 1) } ?? .string("x")
            i += 1
        }
        return .object(o)
    }

    private mutating func array(_ n: Int, depth: Int) -> JSONValue {
        let node = nodes[n]
        let minItems = node.minItems ?? 0
        var count = depth >= maxDepth ? minItems : max(minItems, node.prefixItems.count, 1)
        if let max = node.maxItems { count = Swift.min(count, max) }
        var items: [JSONValue] = []
        var seen = Set<JSONValue>()
        var attempts = 0
        while items.count < count && attempts < count * 10 + 10 {
            attempts += 1
            let index = items.count
            let schema = index < node.prefixItems.count ? node.prefixItems[index] : node.items
            let v = schema.map { value($0, depth: depth + 1) } ?? .number(JSONNumber(index))
            if node.uniqueItems && !seen.insert(v).inserted { continue }
            items.append(v)
        }
        if let c = node.contains, items.count < (node.maxItems ?? Int.max) { items.append(value(c, depth: depth + 1)) }
        return .array(items)
    }

    private mutating func integer(_ node: SchemaNode) -> Int64 {
        var lo: Int64 = node.format == "uint32" || node.format == "uint64" ? 0 : 1
        var hi: Int64 = 1000
        if let m = node.minimum { lo = Int64(m.rounded(.up)) }
        if let m = node.exclusiveMinimum { lo = Int64(m.rounded(.down)) + 1 }
        if let m = node.maximum { hi = Int64(m.rounded(.down)) }
        if let m = node.exclusiveMaximum { hi = Int64(m.rounded(.up)) - 1 }
        if node.minimum != nil && node.maximum == nil && node.exclusiveMaximum == nil { hi = lo + 1000 }
        if hi < lo { hi = lo }
        var v = lo + Int64(below(Int(min(hi - lo + 1, 1_000_000))))
        if let m = node.multipleOf?.int64Value, m > 0 {
            v = (v / m) * m
            if v < lo { v += m }
        }
        return v
    }

    private mutating func number(_ node: SchemaNode) -> JSONValue {
        if node.multipleOf != nil || node.format == "int32" || node.format == "int64" {
            return .number(JSONNumber(integer(node)))
        }
        var lo = node.minimum ?? node.exclusiveMinimum.map { $0 + 0.5 } ?? 0
        let hi = node.maximum ?? node.exclusiveMaximum.map { $0 - 0.5 } ?? lo + 100
        if hi < lo { lo = hi }
        let v = lo + (hi - lo) * Double(below(1000)) / 1000
        return .number(JSONNumber(text: String(format3(v))))
    }

    private func format3(_ v: Double) -> String {
        let scaled = (v * 1000).rounded() / 1000
        return scaled == scaled.rounded() ? String(Int64(scaled)) + ".5" : "\(scaled)"
    }

    private mutating func string(_ node: SchemaNode) -> String {
        var s: String
        switch node.format {
        case "date-time": s = "2026-0\(below(9) + 1)-1\(below(9))T0\(below(9)):1\(below(9)):2\(below(9))Z"
        case "date": s = "2026-0\(below(9) + 1)-1\(below(9))"
        case "time": s = "0\(below(9)):1\(below(9)):2\(below(9))Z"
        case "uuid": s = uuid()
        case "email": s = "user\(below(100))@example.com"
        case "hostname": s = "host\(below(100)).example.com"
        case "ipv4": s = "10.0.\(below(256)).\(below(256))"
        case "ipv6": s = "fd00::\(String(below(65535), radix: 16))"
        case "uri", "iri": s = "https://example.com/item/\(below(1000))"
        case "uri-reference", "iri-reference": s = "/item/\(below(1000))"
        case "byte": s = "ZGV0YXBp"
        case "int64", "int32", "uint64", "uint32": s = String(below(100_000))
        case "duration": s = "PT\(below(59) + 1)M"
        case "regex": s = "^[a-z]+$"
        default: s = word()
        }
        if let pattern = node.pattern, !pattern.matches(s) {
            s = PatternSampler.sample(pattern.source, seed: next()) ?? s
        }
        let minLength = node.minLength ?? 0
        while s.unicodeScalars.count < minLength { s += "x" }
        if let max = node.maxLength, s.unicodeScalars.count > max { s = String(s.unicodeScalars.prefix(max).map(Character.init)) }
        return s
    }

    private mutating func uuid() -> String { random.uuid() }

    private mutating func word() -> String {
        let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
        return words[below(words.count)] + "-" + String(below(1000))
    }
}
