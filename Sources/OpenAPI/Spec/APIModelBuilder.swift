import Foundation
import JSON

/// Normalizes a parsed spec into an `APIModel`: operations, parameters, bodies, responses, security,
/// compiled schemas, and the lint warnings found on the way.
struct APIModelBuilder {
    let documents: SpecDocuments
    let source: String
    var warnings: [LintWarning] = []
    var version: SpecVersion = .swagger2
    var compiler: SchemaCompiler!

    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    init(documents: SpecDocuments, source: String) {
        self.documents = documents
        self.source = source
    }

    mutating func warn(_ severity: LintWarning.Severity, _ pointer: String, _ message: String, brokenReference: Bool = false) {
        warnings.append(LintWarning(severity: severity, isBrokenReference: brokenReference, pointer: pointer, message: message))
    }

    static func pointer(_ tokens: String...) -> String { "#" + JSONPointer(tokens: tokens).description }

    mutating func build() throws(SpecError) -> APIModel {
        let root = documents.root
        guard case .object = root else {
            throw SpecError(kind: .notASpec, location: source, message: "the document is not an object, so not an OpenAPI spec")
        }
        let versionString: String
        if let s = root["swagger"]?.stringValue {
            guard s.hasPrefix("2.") else {
                throw SpecError(
                    kind: .notASpec, location: "\(source)#/swagger", message: "unsupported Swagger version '\(s)' (2.0 is supported)")
            }
            version = .swagger2
            versionString = s
        } else if let s = root["openapi"]?.stringValue {
            if s.hasPrefix("3.0") {
                version = .openAPI30
            } else if s.hasPrefix("3.1") {
                version = .openAPI31
            } else {
                throw SpecError(
                    kind: .notASpec, location: "\(source)#/openapi",
                    message: "unsupported OpenAPI version '\(s)' (3.0 and 3.1 are supported)")
            }
            versionString = s
        } else {
            throw SpecError(
                kind: .notASpec, location: source,
                message: "neither 'swagger: 2.0' nor 'openapi: 3.x' at the top level; this is not an OpenAPI spec")
        }
        let docs = documents
        var dialect = version.schemaDialect
        if version == .openAPI31, let d = root["jsonSchemaDialect"]?.stringValue, let known = SchemaDialect.known(d) { dialect = known }
        compiler = SchemaCompiler(defaultDialect: dialect) { uri in docs.load(uri) }
        compiler.addDocument(root, uri: documents.rootURI, dialect: dialect)
        // About a dozen schema nodes per operation and a few per named schema, in the specs measured (bench/README.md).
        let operationCount = (root["paths"]?.objectValue ?? JSONObject()).reduce(0) { $0 + ($1.value.objectValue?.count ?? 0) }
        let definitionCount = (version == .swagger2 ? root["definitions"] : root["components"]?["schemas"])?.objectValue?.count ?? 0
        compiler.reserveCapacity(nodes: operationCount * 12 + definitionCount * 4)

        // Named schemas.
        var schemaNodes: [String: Int] = [:]
        let container = version == .swagger2 ? root["definitions"] : root["components"]?["schemas"]
        let containerTokens = version == .swagger2 ? ["definitions"] : ["components", "schemas"]
        var schemaNames: [String] = []
        for m in container?.objectValue ?? JSONObject() {
            schemaNames.append(m.key)
            let p = "#" + JSONPointer(tokens: containerTokens + [m.key]).description
            if let node = compile(documents.rootURI, p, known: m.value) { schemaNodes[m.key] = node }
        }

        // Operations.
        var operations: [Operation] = []
        var pathCount = 0
        for pathMember in root["paths"]?.objectValue ?? JSONObject() {
            guard pathMember.key.hasPrefix("/") else {
                if !pathMember.key.hasPrefix("x-") { warn(.warning, Self.pointer("paths", pathMember.key), "path must start with '/'") }
                continue
            }
            pathCount += 1
            let itemPointer = Self.pointer("paths", pathMember.key)
            guard let (item, itemDoc, itemPtr) = documents.resolve(pathMember.value, document: documents.rootURI, pointer: itemPointer)
            else {
                warn(.error, itemPointer, "$ref of this path item cannot be resolved", brokenReference: true)
                continue
            }
            for method in Self.methods {
                guard let opValue = item[method] else { continue }
                let opPointer = itemPtr + "/" + method
                operations.append(
                    buildOperation(path: pathMember.key, method: method, op: opValue, item: item, document: itemDoc, pointer: opPointer))
            }
        }
        checkOperationIds(operations)

        // Tags.
        var tags: [APIModel.Tag] = []
        for t in root["tags"]?.arrayValue ?? [] {
            if let name = t["name"]?.stringValue { tags.append(.init(name: name, description: t["description"]?.stringValue ?? "")) }
        }
        let declared = Set(tags.map(\.name))
        for op in operations {
            for t in op.tags where !declared.contains(t) && !tags.contains(where: { $0.name == t }) {
                tags.append(.init(name: t, description: ""))
            }
        }

        lintDocumentation(root)
        let schemas = compiler.finish()
        var index: [String: Int] = [:]
        for (i, op) in operations.enumerated() where index[op.id] == nil { index[op.id] = i }
        var model = APIModel(
            source: source, version: version, specVersionString: versionString,
            title: root["info"]?["title"]?.stringValue ?? "", apiVersion: root["info"]?["version"]?.stringValue ?? "",
            description: root["info"]?["description"]?.stringValue ?? "", servers: servers(root), operations: operations,
            tags: tags, schemaNames: schemaNames, securitySchemes: securitySchemes(root),
            globalSecurity: security(root["security"]) ?? [], pathCount: pathCount, warnings: warnings, schemas: schemas,
            document: root, schemaNodesByName: schemaNodes, operationIndex: index,
            matcher: PathMatcher(operations: operations.map { ($0.method, $0.path) }))
        (model.basePathTemplate, model.serverVariables) = Self.basePath(root, version: version)
        return model
    }

    /// Compiles the schema at `document#pointer`; a failure becomes a lint error.
    mutating func compile(_ document: String, _ pointer: String, known: JSONValue? = nil) -> Int? {
        do {
            return try compiler.compile(document: document, fragment: pointer, known: known)
        } catch {
            let location =
                error.location.hasPrefix(documents.rootURI) ? String(error.location.dropFirst(documents.rootURI.count)) : error.location
            warn(.error, location, error.message, brokenReference: error.isBrokenReference)
            return nil
        }
    }

    /// The base path as written (see `APIModel.basePathTemplate`) and the first server's variable defaults.
    static func basePath(_ root: JSONValue, version: SpecVersion) -> (String, [String: String]) {
        if version == .swagger2 { return (root["basePath"]?.stringValue ?? "", [:]) }
        guard let server = root["servers"]?.arrayValue?.first, let url = server["url"]?.stringValue else { return ("", [:]) }
        var defaults: [String: String] = [:]
        for v in server["variables"]?.objectValue ?? JSONObject() {
            if let d = v.value["default"]?.stringValue { defaults[v.key] = d }
        }
        // An absolute URL's path: what follows its host.
        var path = Substring(url)
        if let scheme = url.range(of: "://") {
            let afterHost = url[scheme.upperBound...]
            path = afterHost.firstIndex(of: "/").map { afterHost[$0...] } ?? ""
        }
        return (String(path), defaults)
    }

    private func servers(_ root: JSONValue) -> [String] {
        if version == .swagger2 {
            let basePath = root["basePath"]?.stringValue ?? ""
            guard let host = root["host"]?.stringValue else { return basePath.isEmpty ? [] : [basePath] }
            let schemes = root["schemes"]?.arrayValue?.compactMap(\.stringValue) ?? ["https"]
            return schemes.map { "\($0)://\(host)\(basePath)" }
        }
        return (root["servers"]?.arrayValue ?? []).compactMap { server -> String? in
            guard var url = server["url"]?.stringValue else { return nil }
            for v in server["variables"]?.objectValue ?? JSONObject() {
                if let d = v.value["default"]?.stringValue { url = url.replacingOccurrences(of: "{\(v.key)}", with: d) }
            }
            return url
        }
    }

    private func securitySchemes(_ root: JSONValue) -> [String: SecurityScheme] {
        let container = version == .swagger2 ? root["securityDefinitions"] : root["components"]?["securitySchemes"]
        var out: [String: SecurityScheme] = [:]
        for m in container?.objectValue ?? JSONObject() {
            out[m.key] = SecurityScheme(
                type: m.value["type"]?.stringValue ?? "", name: m.value["name"]?.stringValue, location: m.value["in"]?.stringValue,
                scheme: m.value["scheme"]?.stringValue, description: m.value["description"]?.stringValue ?? "")
        }
        return out
    }

    func security(_ value: JSONValue?) -> [SecurityRequirement]? {
        guard case .array(let list)? = value else { return nil }
        return list.map { SecurityRequirement(schemes: $0.objectValue?.keys ?? []) }
    }

    private mutating func checkOperationIds(_ operations: [Operation]) {
        var seen: [String: String] = [:]
        for op in operations {
            if let first = seen[op.id] {
                warn(.error, op.pointer + "/operationId", "duplicate operationId '\(op.id)' (also at \(first))")
            } else {
                seen[op.id] = op.pointer
            }
        }
    }
}
