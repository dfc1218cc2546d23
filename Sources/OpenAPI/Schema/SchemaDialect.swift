/// Which rules a schema follows: JSON Schema draft 4 (Swagger 2.0's base), the OAS 3.0 schema object, or
/// JSON Schema 2020-12 (OAS 3.1), plus the switches that differ between them.
public struct SchemaDialect: Sendable, Hashable {
    /// The keyword set and semantics.
    public enum Base: Sendable, Hashable {
        case draft4
        case draft2020
    }

    public var base: Base
    /// Validation vocabulary on (a 2020-12 metaschema may leave it out).
    public var validationVocabulary = true
    /// OAS 3.0 `nullable: true` allows null.
    public var honoursNullable = false
    /// Swagger 2.0 `x-nullable: true` allows null.
    public var honoursXNullable = false

    public init(base: Base) { self.base = base }

    public static let draft4 = SchemaDialect(base: .draft4)
    public static let draft2020 = SchemaDialect(base: .draft2020)
    /// Swagger 2.0 schemas: draft 4 with `x-nullable`.
    public static var swagger2: SchemaDialect {
        var d = SchemaDialect(base: .draft4)
        d.honoursXNullable = true
        return d
    }
    /// OpenAPI 3.0 schema objects: draft 4 semantics with `nullable`.
    public static var openAPI30: SchemaDialect {
        var d = SchemaDialect(base: .draft4)
        d.honoursNullable = true
        d.honoursXNullable = true
        return d
    }

    public static let draft4URI = "http://json-schema.org/draft-04/schema"
    public static let draft2020URI = "https://json-schema.org/draft/2020-12/schema"

    /// The keyword that names a schema resource.
    var idKeyword: String { base == .draft4 ? "id" : "$id" }

    /// The dialect a `$schema` value names, when it is one detapi knows by heart.
    static func known(_ uri: String) -> SchemaDialect? {
        var u = uri
        if u.hasSuffix("#") { u.removeLast() }
        switch u {
        case draft4URI: return .draft4
        case draft2020URI: return .draft2020
        default: return nil
        }
    }
}
