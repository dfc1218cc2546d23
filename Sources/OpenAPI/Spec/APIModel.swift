import JSON

/// Which OpenAPI generation a spec is; decides the schema dialect and how parameters are written.
public enum SpecVersion: String, Sendable {
    case swagger2 = "Swagger 2.0"
    case openAPI30 = "OpenAPI 3.0"
    case openAPI31 = "OpenAPI 3.1"

    /// The JSON Schema dialect its schemas follow.
    public var schemaDialect: SchemaDialect {
        switch self {
        case .swagger2: return .swagger2
        case .openAPI30: return .openAPI30
        case .openAPI31: return .draft2020
        }
    }
}

/// Everything detapi knows about an API, normalized across Swagger 2.0 and OpenAPI 3.x.
///
/// Every schema is compiled once. Built by `SpecLoader`; immutable and shared by every request a run makes.
public struct APIModel: Sendable {
    public var source: String
    /// Where the spec came from when that is not obvious from `source` ("served by the master", "built-in: the
    /// master serves none"); empty for a file or URL the user named.
    public var origin = ""
    /// `source`, with the origin when there is one: what reports and banners name.
    public var describedSource: String { origin.isEmpty ? source : "\(source) (\(origin))" }
    public var version: SpecVersion
    /// The spec's own version string ("2.0", "3.0.3", "3.1.0").
    public var specVersionString: String
    public var title: String
    public var apiVersion: String
    public var description: String
    /// Base URLs: Swagger 2.0 schemes+host+basePath, or OpenAPI 3 servers (may be relative, e.g.
    ///
    /// "/api").
    public var servers: [String]
    /// The path every operation's path is under: Swagger 2.0 `basePath`, or the path of the first OpenAPI 3
    /// server (relative or absolute), `{variables}` left in (`basePath(variables:)` fills them).
    public var basePathTemplate = ""
    /// The first server's variables with their defaults (OpenAPI 3).
    public var serverVariables: [String: String] = [:]

    /// The base path with `{variables}` filled from `overrides`, else their defaults; "" for none or "/".
    public func basePath(variables overrides: [String: String] = [:]) -> String {
        var path = basePathTemplate
        for (name, value) in serverVariables.merging(overrides, uniquingKeysWith: { $1 }) {
            path = path.replacing("{\(name)}", with: value)
        }
        while path.hasSuffix("/") { path.removeLast() }
        return path.isEmpty || path.hasPrefix("/") ? path : "/" + path
    }
    public var operations: [Operation]
    /// Tags in the spec's declared order, then tags only operations use.
    public var tags: [Tag]
    /// Names under `definitions` or `components/schemas`.
    public var schemaNames: [String]
    public var securitySchemes: [String: SecurityScheme]
    public var globalSecurity: [SecurityRequirement]
    public var pathCount: Int
    public var warnings: [LintWarning]
    /// The overlay actions applied when the spec was loaded, in order.
    public var overlaysApplied: [Overlay.Applied] = []
    /// The root document as read, before overlays: what a server that serves this spec sends.
    public var originalDocument: JSONValue?
    public var schemas: CompiledSchemas
    /// The root document as parsed, for rendering schemas by name.
    public var document: JSONValue
    var schemaNodesByName: [String: Int]
    var operationIndex: [String: Int]
    var matcher: PathMatcher

    /// A named tag.
    public struct Tag: Sendable, Hashable {
        public var name: String
        public var description: String
    }

    /// The compiled schema for a named definition.
    public func schemaNode(named name: String) -> Int? { schemaNodesByName[name] }

    /// An operation by exact operationId, else by a unique case-insensitive match.
    public func operation(id: String) -> Operation? {
        if let i = operationIndex[id] { return operations[i] }
        let lower = id.lowercased()
        let matches = operations.filter { $0.id.lowercased() == lower }
        return matches.count == 1 ? matches[0] : nil
    }

    /// The operation a concrete request goes to (`GET /api/v1/experiments/16` → GetExperiment).
    public func operation(method: String, path: String) -> Operation? {
        matcher.match(method: method.uppercased(), path: path).map { operations[$0] }
    }

    /// `schema` with a local `$ref` (`#/definitions/X`, `#/components/schemas/X`) read through, up to 20 hops.
    public func resolvingLocalReference(_ schema: JSONValue) -> JSONValue {
        var current = schema
        for _ in 0..<20 {
            guard let ref = current["$ref"]?.stringValue, ref.hasPrefix("#"),
                let pointer = try? JSONPointer(fragment: String(ref.dropFirst())), let found = pointer.resolve(in: document)
            else { return current }
            current = found
        }
        return current
    }

    /// Operation ids closest to `id` by edit distance, best first (for "did you mean").
    public func suggestions(for id: String, limit: Int = 3) -> [String] {
        let lower = id.lowercased()
        return operations.map { ($0.id, EditDistance.between(lower, $0.id.lowercased())) }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .prefix(limit).map(\.0)
    }

    /// Operations grouped under their first tag ("(untagged)" when none), in tag order.
    public func operationsByTag() -> [(tag: String, operations: [Operation])] {
        var groups: [String: [Operation]] = [:]
        for op in operations { groups[op.groupTag, default: []].append(op) }
        var order = tags.map(\.name).filter { groups[$0] != nil }
        if groups["(untagged)"] != nil { order.append("(untagged)") }
        return order.map { ($0, groups[$0]!) }
    }

    /// A validator for this spec's schemas.
    public func validator(nulls: NullPolicy = .optional, direction: MessageDirection = .response, maxViolations: Int = 100)
        -> SchemaValidator
    {
        SchemaValidator(
            schemas: schemas,
            options: .init(
                nulls: version == .openAPI31 ? nil : nulls, assertFormats: true, maxViolations: maxViolations,
                direction: direction))
    }
}

/// One API operation: method + path template, its parameters, body and documented responses.
public struct Operation: Sendable {
    public var id: String
    public var method: String
    public var path: String
    public var tags: [String]
    public var summary: String
    public var description: String
    public var deprecated: Bool
    public var parameters: [Parameter]
    public var requestBody: RequestBody?
    public var responses: [Response]
    /// nil: inherits the spec's global security.
    public var security: [SecurityRequirement]?
    /// Where it is in the spec (`#/paths/~1api~1v1~1experiments/get`).
    public var pointer: String
    /// `x-detapi-safe: true` (usually set by an overlay): a POST that only reads, which conform may sweep.
    public var markedSafe = false

    /// The documented response for a status: exact code, then `4XX`-style range, then `default`.
    public func response(for status: Int) -> Response? {
        responses.first { $0.status == .code(status) } ?? responses.first { $0.status == .range(status / 100) }
            ?? responses.first { $0.status == .default }
    }

    /// Whether calling it needs credentials, given the spec's global security.
    public func requiresAuthentication(global: [SecurityRequirement]) -> Bool {
        let effective = security ?? global
        return !effective.isEmpty && !effective.contains { $0.schemes.isEmpty }
    }

    /// GET, HEAD and OPTIONS change nothing on a server.
    public var isSafe: Bool { ["GET", "HEAD", "OPTIONS"].contains(method) }

    /// The tag it is grouped under in reports: its first, or `(untagged)` (as `APIModel.operationsByTag` groups).
    public var groupTag: String { tags.first ?? "(untagged)" }
}

/// A parameter in path, query, header or cookie, with its schema.
public struct Parameter: Sendable {
    public enum Location: String, Sendable, CaseIterable {
        case path, query, header, cookie, formData
    }

    public var name: String
    public var location: Location
    public var required: Bool
    public var description: String
    /// The schema, normalized (Swagger 2.0 inline type/format/enum/items become a schema object).
    public var schema: JSONValue
    public var schemaNode: Int?
    /// How arrays are written: Swagger 2.0 collectionFormat (csv, multi, …) or OpenAPI 3 style+explode.
    public var collectionFormat: String
    public var pointer: String

    public var type: String? { schema["type"]?.stringValue }
    public var format: String? { schema["format"]?.stringValue }
    public var enumValues: [JSONValue]? { schema["enum"]?.arrayValue ?? schema["items"]?["enum"]?.arrayValue }
    public var defaultValue: JSONValue? { schema["default"] }
}

/// A request body: its media types and schema.
public struct RequestBody: Sendable {
    public var required: Bool
    public var description: String
    public var mediaTypes: [String]
    public var schema: JSONValue?
    public var schemaNode: Int?
    public var pointer: String
}

/// A documented response.
public struct Response: Sendable {
    public enum Status: Sendable, Hashable, CustomStringConvertible {
        case code(Int)
        case range(Int)
        case `default`

        public var description: String {
            switch self {
            case .code(let c): return String(c)
            case .range(let r): return "\(r)XX"
            case .default: return "default"
            }
        }
    }

    public var status: Status
    public var description: String
    public var mediaTypes: [String]
    public var schema: JSONValue?
    public var schemaNode: Int?
    public var headers: [String]
    /// The documented headers with whether they are required (OpenAPI 3 only) and their schema.
    public var headerSpecs: [ResponseHeader] = []
    public var pointer: String
}

/// A header a response documents, for conform's `response_headers_conformance`.
public struct ResponseHeader: Sendable {
    public var name: String
    /// OpenAPI 3's `required`; Swagger 2 headers are never required (they list what "can be sent").
    public var required: Bool
    /// The header's schema (Swagger 2: the header object itself, which holds `type`, `format`, `enum`).
    public var schema: JSONValue
}

/// One alternative of a security requirement: scheme names that must all be satisfied.
///
/// No schemes means anonymous access.
public struct SecurityRequirement: Sendable, Hashable {
    public var schemes: [String]
}

/// A security scheme (apiKey header, http bearer, oauth2, …).
public struct SecurityScheme: Sendable, Hashable {
    public var type: String
    public var name: String?
    public var location: String?
    public var scheme: String?
    public var description: String
}

/// A problem in a spec that does not stop it from loading; `error` ones make `spec lint` fail.
public struct LintWarning: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }
    public var severity: Severity
    /// A `$ref` that cannot be resolved (a strict load reports it as `SpecError.Kind.brokenReference`).
    public var isBrokenReference = false
    public var pointer: String
    public var message: String
    public var description: String { "\(severity.rawValue): \(pointer): \(message)" }
}
