import JSON

/// The keywords `NodeBuilder` reads, each a bit of `SchemaObject.present`.
enum SchemaKeyword: Int, CaseIterable {
    case dynamicRef, ref, additionalItems, additionalProperties, allOf, anyOf, `const`, contains, dependencies, dependentRequired,
        dependentSchemas, `else`, `enum`, exclusiveMaximum, exclusiveMinimum, format, `if`, items, maxContains, maxItems, maxLength,
        maxProperties, maximum, minContains, minItems, minLength, minProperties, minimum, multipleOf, `not`, nullable, oneOf, pattern,
        patternProperties, prefixItems, properties, propertyNames, readOnly, required, then, type, unevaluatedItems, unevaluatedProperties,
        uniqueItems, writeOnly, xNullable

    /// The keyword as a schema writes it.
    var name: String { Self.names[rawValue] }

    static let names = [
        "$dynamicRef", "$ref", "additionalItems", "additionalProperties", "allOf", "anyOf", "const", "contains", "dependencies",
        "dependentRequired", "dependentSchemas", "else", "enum", "exclusiveMaximum", "exclusiveMinimum", "format", "if", "items",
        "maxContains", "maxItems", "maxLength", "maxProperties", "maximum", "minContains", "minItems", "minLength", "minProperties",
        "minimum", "multipleOf", "not", "nullable", "oneOf", "pattern", "patternProperties", "prefixItems", "properties", "propertyNames",
        "readOnly", "required", "then", "type", "unevaluatedItems", "unevaluatedProperties", "uniqueItems", "writeOnly", "x-nullable",
    ]
    static let byName: [String: SchemaKeyword] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })
}

/// A schema object and the keywords it has, found in one pass over its members: most of the forty-odd keywords a
/// node is asked for are absent, and those answer without comparing a single key.
struct SchemaObject {
    let object: JSONObject
    private let present: UInt64

    init(_ object: JSONObject) {
        self.object = object
        var bits: UInt64 = 0
        for m in object.members { if let k = SchemaKeyword.byName[m.key] { bits |= 1 << UInt64(k.rawValue) } }
        present = bits
    }

    subscript(_ keyword: SchemaKeyword) -> JSONValue? {
        present & (1 << UInt64(keyword.rawValue)) == 0 ? nil : object[keyword.name]
    }
}
