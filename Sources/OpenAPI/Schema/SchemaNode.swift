import Foundation
import JSON

/// One compiled schema: its keywords decoded once into typed fields; subschemas are indices into the node
/// table of `CompiledSchemas`, so recursive and cyclic schemas are plain integers, not object graphs.
struct SchemaNode: Sendable {
    enum Constant: Sendable { case none, alwaysTrue, alwaysFalse }

    /// A property name as bytes (for comparison against raw instance keys) and its subschema.
    struct Property: Sendable {
        var name: String
        var bytes: [UInt8]
        var node: Int
        /// Listed in the same schema's `required`.
        var required = false
    }

    var location: String = ""
    var resource: Int = 0
    var dialect: SchemaDialect = .draft2020
    var constant: Constant = .none

    // References.
    var ref: Int?
    /// Draft 4: `$ref` replaces every sibling keyword.
    var refOverrides = false
    var dynamicRef: Int?
    var dynamicName: String?

    // Any type.
    var types: TypeSet?
    var nullable = false
    var enumValues: [JSONValue]?
    var enumStrings: [[UInt8]]?
    var constValue: JSONValue?
    var format: String?
    /// `format` when it has a byte-level check.
    var fastFormat: FormatChecker.FastFormat?
    var readOnly = false
    var writeOnly = false

    // Numbers.
    var minimum: Double?
    var maximum: Double?
    var exclusiveMinimum: Double?
    var exclusiveMaximum: Double?
    var multipleOf: JSONNumber?

    // Strings.
    var minLength: Int?
    var maxLength: Int?
    var pattern: SchemaRegex?

    // Arrays.
    var prefixItems: [Int] = []
    var items: Int?
    var contains: Int?
    var minContains: Int?
    var maxContains: Int?
    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false
    var unevaluatedItems: Int?

    // Objects.
    var properties: [Property] = []
    /// Open-addressing table over `properties` (position + 1; 0 is empty), for schemas with many properties.
    var propertyTable: [Int32]?
    var required: [Property] = []
    /// How many `required` names are also in `properties` (counted during the member walk).
    var requiredDeclared = 0
    /// `required` names with no entry in `properties` (looked up separately).
    var requiredUndeclared: [Property] = []
    var additionalProperties: Int?
    var patternProperties: [(SchemaRegex, Int)] = []
    var propertyNames: Int?
    var minProperties: Int?
    var maxProperties: Int?
    var dependentRequired: [(Property, [Property])] = []
    var dependentSchemas: [(Property, Int)] = []
    var unevaluatedProperties: Int?

    // Combinators.
    var allOf: [Int] = []
    var anyOf: [Int] = []
    var oneOf: [Int] = []
    var not: Int?
    var ifSchema: Int?
    var thenSchema: Int?
    var elseSchema: Int?

    /// Whether some keyword needs annotations from in-place subschemas (unevaluated*).
    var needsAnnotations: Bool { unevaluatedItems != nil || unevaluatedProperties != nil }

    /// The position in `properties` of the entry for raw key bytes, if any.
    func propertyPosition(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        if let table = propertyTable {
            let mask = table.count - 1
            var slot = Int(truncatingIfNeeded: SchemaNode.hash(key)) & mask
            while true {
                let entry = Int(table[slot])
                if entry == 0 { return nil }
                if SchemaNode.same(properties[entry - 1].bytes, key) { return entry - 1 }
                slot = (slot + 1) & mask
            }
        }
        for i in properties.indices where SchemaNode.same(properties[i].bytes, key) { return i }
        return nil
    }

    /// The property schema for raw key bytes, if `properties` names it.
    func property(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        propertyPosition(key).map { properties[$0].node }
    }

    /// Marks required properties once both keywords are read.
    mutating func linkRequired() {
        let names = Set(required.map(\.name))
        var declared = Set<String>()
        for i in properties.indices where names.contains(properties[i].name) {
            properties[i].required = true
            declared.insert(properties[i].name)
        }
        requiredDeclared = declared.count
        requiredUndeclared = required.filter { !declared.contains($0.name) }
    }

    mutating func buildPropertyIndex() {
        guard properties.count > 4 else { return }
        var size = 8
        while size < properties.count * 3 { size *= 2 }
        var table = [Int32](repeating: 0, count: size)
        for (i, p) in properties.enumerated() {
            var slot = p.bytes.withUnsafeBufferPointer { Int(truncatingIfNeeded: SchemaNode.hash($0)) } & (size - 1)
            while table[slot] != 0 { slot = (slot + 1) & (size - 1) }
            table[slot] = Int32(i + 1)
        }
        propertyTable = table
    }

    @inline(__always) static func same(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let bb = b.baseAddress else { return a.isEmpty }
        return a.withUnsafeBufferPointer { memcmp($0.baseAddress!, bb, b.count) == 0 }
    }

    /// FNV-1a over key bytes.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}

/// The JSON Schema `type` keyword as a bit set.
struct TypeSet: Sendable, Hashable {
    var bits: UInt8
    static let null = TypeSet(bits: 1)
    static let boolean = TypeSet(bits: 2)
    static let integer = TypeSet(bits: 4)
    static let number = TypeSet(bits: 8)
    static let string = TypeSet(bits: 16)
    static let array = TypeSet(bits: 32)
    static let object = TypeSet(bits: 64)

    init(bits: UInt8) { self.bits = bits }

    init?(name: String) {
        switch name {
        case "null": bits = 1
        case "boolean": bits = 2
        case "integer": bits = 4
        case "number": bits = 8
        case "string": bits = 16
        case "array": bits = 32
        case "object": bits = 64
        default: return nil
        }
    }

    func contains(_ other: TypeSet) -> Bool { bits & other.bits != 0 }

    var names: [String] {
        [("null", 1), ("boolean", 2), ("integer", 4), ("number", 8), ("string", 16), ("array", 32), ("object", 64)]
            .filter { bits & UInt8($0.1) != 0 }.map(\.0)
    }
}

/// A compiled ECMA-262-style pattern; NSRegularExpression is immutable once built, so sharing it is safe.
struct SchemaRegex: @unchecked Sendable {
    let source: String
    let regex: NSRegularExpression

    init?(_ source: String) {
        guard let regex = try? NSRegularExpression(pattern: SchemaRegex.translate(source)) else { return nil }
        self.source = source
        self.regex = regex
    }

    /// Whether `s` matches; a search that runs out of `BoundedRegex.budget` counts as no match (the violation
    /// then names the pattern), so a pathological spec pattern cannot hang a validation.
    func matches(_ s: String) -> Bool { BoundedRegex.firstMatch(regex, in: s) == .matched }

    /// ECMA-262 classes that ICU reads differently: `\d`, `\w`, `\s` are ASCII-only in ECMA, Unicode in ICU.
    static func translate(_ p: String) -> String {
        guard p.utf8.contains(0x5C) else { return p }
        var out = ""
        var escaped = false
        var inClass = false
        for c in p {
            if escaped {
                switch c {
                case "d": out += inClass ? "0-9" : "[0-9]"
                case "D": out += inClass ? "\\D" : "[^0-9]"
                case "w": out += inClass ? "a-zA-Z0-9_" : "[a-zA-Z0-9_]"
                case "W": out += inClass ? "\\W" : "[^a-zA-Z0-9_]"
                default: out += "\\" + String(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                if c == "[" { inClass = true } else if c == "]" { inClass = false }
                out.append(c)
            }
        }
        if escaped { out += "\\" }
        return out
    }
}
