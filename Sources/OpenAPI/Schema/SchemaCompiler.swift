import JSON

/// Why a schema could not be compiled: a `$ref` that leads nowhere, or a keyword with an impossible value.
public struct SchemaCompileError: Error, Sendable, CustomStringConvertible {
    /// Where the problem is (`file:///spec.json#/definitions/v1User/properties/x/$ref`).
    public let location: String
    public let message: String
    /// Whether a reference leads nowhere (rather than a keyword having an impossible value).
    public var isBrokenReference = false
    public var description: String { "\(location): \(message)" }
}

/// Turns schema documents into `CompiledSchemas`: registers every `$id`, `$anchor` and `$dynamicAnchor`,
/// resolves references (local, relative-file, remote through `loader`), and decodes each schema once.
///
/// A builder: use it from one task, then call `finish()` for the immutable, shareable result.
public final class SchemaCompiler {
    struct Location: Hashable {
        let document: String
        /// `document#pointer`, computed once: the key of every cache.
        ///
        /// The pointer is kept only as this text and read back when needed, so a child location costs one append.
        let key: String

        init(document: String, pointer: JSONPointer) {
            self.document = document
            self.key = document + "#" + pointer.description
        }

        init(document: String, key: String) {
            self.document = document
            self.key = key
        }

        /// The pointer's text: what follows `document#` in the key.
        var pointerText: Substring {
            key.utf8.count > document.utf8.count ? key[key.utf8.index(key.startIndex, offsetBy: document.utf8.count + 1)...] : ""
        }

        var pointer: JSONPointer { (try? JSONPointer(parsing: String(pointerText))) ?? .root }

        var isRoot: Bool { key.utf8.count <= document.utf8.count + 1 }

        /// The child location one token down, its key extended rather than rebuilt.
        func appending(_ token: String) -> Location {
            if token.utf8.contains(where: { $0 == 0x7E || $0 == 0x2F }) {
                return Location(document: document, key: key + JSONPointer(tokens: [token]).description)
            }
            return Location(document: document, key: key + "/" + token)
        }

        static func == (a: Location, b: Location) -> Bool { a.key == b.key }
        func hash(into hasher: inout Hasher) { hasher.combine(key) }
    }

    private struct Resource {
        var uri: String
        var dynamicAnchors: [String: Location] = [:]
    }

    let defaultDialect: SchemaDialect
    private let loader: (String) -> JSONValue?
    private var documents: [String: JSONValue] = [:]
    private var resourceLocations: [String: Location] = [:]
    private var anchors: [String: Location] = [:]
    private var scopes: [String: (base: String, dialect: SchemaDialect)] = [:]
    private var resources: [Resource] = []
    private var resourceIndex: [String: Int] = [:]
    private var nodes: [SchemaNode] = []
    private var nodeIndex: [String: Int] = [:]
    private var dialectCache: [String: SchemaDialect] = [:]

    /// - Parameter loader: fetches a document by absolute URI (no fragment) when a `$ref` leaves the
    ///   documents added so far; the built-in metaschemas are always known.
    public init(defaultDialect: SchemaDialect, loader: @escaping (String) -> JSONValue? = { _ in nil }) {
        self.defaultDialect = defaultDialect
        // The meta-schemas are parsed only when a reference reaches one.
        self.loader = { uri in
            if let text = EmbeddedMetaschemas.all.first(where: { $0.uri == uri })?.text { return try? JSONValue(parsing: text) }
            return loader(uri)
        }
    }

    /// Makes room for about `count` schema nodes at once, so the caches are not grown (and every key rehashed) step
    /// by step while a big spec compiles.
    public func reserveCapacity(nodes count: Int) {
        nodes.reserveCapacity(count)
        nodeIndex.reserveCapacity(count)
    }

    /// Registers a document under its retrieval URI; `dialect` nil means "from `$schema`, else the default".
    public func addDocument(_ value: JSONValue, uri: String, dialect: SchemaDialect? = nil) {
        let key = URIReference(uri).withoutFragment.description
        guard documents[key] == nil else { return }
        documents[key] = value
        let d = dialect ?? dialectFor(value) ?? defaultDialect
        let root = Location(document: key, pointer: .root)
        if !hasIDs(key) {
            // Nothing to register below the root: every location's base is the document itself.
            resourceLocations[key] = root
            scopes[root.key] = (key, d)
            return
        }
        register(value, at: root, base: URIReference(key), dialect: d)
    }

    /// Compiles the schema at `uri` (a document URI plus an optional `#` JSON pointer or anchor).
    public func compile(_ uri: String) throws(SchemaCompileError) -> Int {
        guard let location = locate(URIReference(uri)) else {
            throw SchemaCompileError(location: uri, message: "no schema at this URI", isBrokenReference: true)
        }
        return try checkedForLoops(try compile(location))
    }

    /// Compiles the schema at a JSON pointer (`#/definitions/X`) of an added document; no URI parsing.
    ///
    /// `known` is the schema's value when the caller holds it, which saves resolving the pointer from the root.
    public func compile(document: String, fragment: String, known: JSONValue? = nil) throws(SchemaCompileError) -> Int {
        // Without percent-escapes the fragment is already the pointer's text: no need to parse and write it again.
        if !fragment.utf8.contains(UInt8(ascii: "%")) {
            let text = fragment.hasPrefix("#") ? fragment.dropFirst() : Substring(fragment)
            guard text.isEmpty || text.utf8.first == UInt8(ascii: "/") else {
                throw SchemaCompileError(location: document + fragment, message: "not a JSON pointer")
            }
            return try checkedForLoops(try compile(Location(document: document, key: document + "#" + text), known: known))
        }
        guard let pointer = try? JSONPointer(fragment: fragment) else {
            throw SchemaCompileError(location: document + fragment, message: "not a JSON pointer")
        }
        return try checkedForLoops(try compile(Location(document: document, pointer: pointer), known: known))
    }

    /// Compiles a schema given as a value, registered under `uri`.
    public func compile(_ value: JSONValue, uri: String, dialect: SchemaDialect? = nil) throws(SchemaCompileError) -> Int {
        addDocument(value, uri: uri, dialect: dialect)
        return try compile(URIReference(uri).withoutFragment.description)
    }

    /// Nodes known to reach no loop of in-place applicators.
    private var loopFree: [Bool] = []
    private var onPathSet: [Bool] = []

    /// `root`, once no chain of in-place applicators (`$ref`, allOf/anyOf/oneOf, not, if/then/else) from it
    /// comes back to a schema already on the chain: such a loop evaluates the same value forever (A → B →
    /// A), which JSON Schema leaves undefined and which would overflow the stack, so it is a compile error.
    private func checkedForLoops(_ root: Int) throws(SchemaCompileError) -> Int {
        var onPath: [Int] = []
        // Both marks are indexed by node; `onPathSet` is all false between calls (every push is popped).
        if loopFree.count < nodes.count {
            loopFree += [Bool](repeating: false, count: nodes.count - loopFree.count)
            onPathSet += [Bool](repeating: false, count: nodes.count - onPathSet.count)
        }
        func visitInPlace(_ i: Int) throws(SchemaCompileError) {
            // Read field by field: no array is built for the common node that has none of them.
            for c in nodes[i].allOf { try visit(c) }
            for c in nodes[i].anyOf { try visit(c) }
            for c in nodes[i].oneOf { try visit(c) }
            if let c = nodes[i].ref { try visit(c) }
            if let c = nodes[i].not { try visit(c) }
            if let c = nodes[i].ifSchema { try visit(c) }
            if let c = nodes[i].thenSchema { try visit(c) }
            if let c = nodes[i].elseSchema { try visit(c) }
        }
        func visit(_ i: Int) throws(SchemaCompileError) {
            if loopFree[i] { return }
            if onPathSet[i] {
                var loop = onPath.drop { $0 != i }.map { nodes[$0].location } + [nodes[i].location]
                // Within one document, the fragments say it all.
                let documents = Set(loop.map { $0.split(separator: "#", maxSplits: 1).first.map(String.init) ?? $0 })
                if documents.count == 1 { loop = loop.map { l in l.firstIndex(of: "#").map { String(l[$0...]) } ?? l } }
                throw SchemaCompileError(
                    location: nodes[i].location,
                    message: "schemas refer to each other in a loop that never reaches a value: \(loop.joined(separator: " → "))")
            }
            onPath.append(i)
            onPathSet[i] = true
            try visitInPlace(i)
            onPath.removeLast()
            onPathSet[i] = false
            loopFree[i] = true
        }
        do {
            try visit(root)
        } catch {
            for i in onPath { onPathSet[i] = false }
            throw error
        }
        return root
    }

    public func finish() -> CompiledSchemas {
        CompiledSchemas(nodes: nodes, dynamicAnchors: resources.map { r in r.dynamicAnchors.mapValues { nodeIndex[$0.key] ?? -1 } })
    }

    // MARK: registration

    private func dialectFor(_ value: JSONValue) -> SchemaDialect? {
        guard let uri = value["$schema"]?.stringValue else { return nil }
        if let known = SchemaDialect.known(uri) { return known }
        if let cached = dialectCache[uri] { return cached }
        // A custom metaschema: read its $vocabulary.
        let key = URIReference(uri).withoutFragment.description
        var meta = documents[key]
        if meta == nil, let loaded = loader(key) {
            documents[key] = loaded
            meta = loaded
        }
        var d = SchemaDialect.draft2020
        if let vocab = meta?["$vocabulary"]?.objectValue {
            d.validationVocabulary = vocab["https://json-schema.org/draft/2020-12/vocab/validation"] != nil
        } else if let metaSchema = meta?["$schema"]?.stringValue, let known = SchemaDialect.known(metaSchema) {
            d = known
        }
        dialectCache[uri] = d
        return d
    }

    private func register(_ value: JSONValue, at location: Location, base: URIReference, dialect: SchemaDialect) {
        guard case .object(let object) = value else {
            scopes[location.key] = (base.withoutFragment.description, dialect)
            return
        }
        var base = base
        var dialect = dialect
        if !location.isRoot, let d = dialectFor(value), object[dialect.idKeyword] != nil || object["$id"] != nil {
            dialect = d
        }
        let refOverrides = dialect.base == .draft4 && object["$ref"] != nil
        if !refOverrides, let id = object[dialect.idKeyword]?.stringValue {
            let resolved = URIReference(id).resolved(against: base)
            if dialect.base == .draft4, id.hasPrefix("#") {
                anchors[base.withoutFragment.description + "#" + (resolved.fragment ?? "")] = location
            } else {
                base = resolved.withoutFragment
                resourceLocations[base.description] = location
                if dialect.base == .draft4, let f = resolved.fragment, !f.isEmpty {
                    anchors[base.description + "#" + f] = location
                }
            }
        }
        let baseKey = base.withoutFragment.description
        if location.isRoot { resourceLocations[baseKey] = resourceLocations[baseKey] ?? location }
        if dialect.base == .draft2020 {
            if let anchor = object["$anchor"]?.stringValue { anchors[baseKey + "#" + anchor] = location }
            if let anchor = object["$dynamicAnchor"]?.stringValue {
                anchors[baseKey + "#" + anchor] = anchors[baseKey + "#" + anchor] ?? location
                resources[resourceID(baseKey)].dynamicAnchors[anchor] = location
            }
        }
        scopes[location.key] = (baseKey, dialect)
        forEachSubschema(object, dialect: dialect) { tokens, child in
            var l = location
            for t in tokens { l = l.appending(t) }
            register(child, at: l, base: base, dialect: dialect)
        }
    }

    private func resourceID(_ uri: String) -> Int {
        // Nearly every node of a spec is in one resource, its document: no hashing for those.
        if let last = lastResource, last.uri == uri { return last.id }
        if let i = resourceIndex[uri] {
            lastResource = (uri, i)
            return i
        }
        resources.append(Resource(uri: uri))
        resourceIndex[uri] = resources.count - 1
        return resources.count - 1
    }

    private static let singleKeywords = [
        "additionalItems", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else",
        "unevaluatedItems", "unevaluatedProperties", "contentSchema",
    ]
    private static let arrayKeywords = ["allOf", "anyOf", "oneOf", "prefixItems"]
    private static let mapKeywords = ["properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "dependencies"]

    private func forEachSubschema(_ object: JSONObject, dialect: SchemaDialect, _ body: ([String], JSONValue) -> Void) {
        for key in SchemaCompiler.singleKeywords { if let v = object[key] { body([key], v) } }
        for key in SchemaCompiler.arrayKeywords {
            if case .array(let items)? = object[key] { for (i, v) in items.enumerated() { body([key, String(i)], v) } }
        }
        switch object["items"] {
        case .array(let items)?: for (i, v) in items.enumerated() { body(["items", String(i)], v) }
        case let v?: body(["items"], v)
        case nil: break
        }
        for key in SchemaCompiler.mapKeywords {
            if case .object(let map)? = object[key] {
                for m in map where m.value.objectValue != nil || m.value.boolValue != nil { body([key, m.key], m.value) }
            }
        }
    }

    // MARK: lookup

    private func value(at location: Location) -> JSONValue? {
        guard let document = documents[location.document] else { return nil }
        return location.pointer.resolve(in: document)
    }

    func locate(_ uri: URIReference) -> Location? {
        let documentKey = uri.withoutFragment.description
        var root = resourceLocations[documentKey]
        if root == nil, documents[documentKey] != nil { root = Location(document: documentKey, pointer: .root) }
        if root == nil, let loaded = loader(documentKey) {
            addDocument(loaded, uri: documentKey)
            root = resourceLocations[documentKey] ?? Location(document: documentKey, pointer: .root)
        }
        guard let root else { return nil }
        let fragment = uri.fragment ?? ""
        if fragment.isEmpty { return root }
        if fragment.hasPrefix("/") || fragment.hasPrefix("%2F") {
            guard let pointer = try? JSONPointer(fragment: fragment) else { return nil }
            var p = root.pointer
            for t in pointer.tokens { p = p.appending(t) }
            return Location(document: root.document, pointer: p)
        }
        return anchors[documentKey + "#" + fragment]
    }

    /// Base URI and dialect in force at a location; for places the registration walk did not reach
    /// (an OpenAPI document's own containers), the document's base and the default dialect.
    private var documentsWithIDs: [String: Bool] = [:]

    /// Whether a document names any resource (`$id`/`id` with a string value) anywhere.
    private func hasIDs(_ document: String) -> Bool {
        if let known = documentsWithIDs[document] { return known }
        func scan(_ v: JSONValue, _ depth: Int) -> Bool {
            guard depth < 200 else { return false }
            switch v {
            case .object(let o):
                // One pass over the members: the keys that name a resource, then the values to descend into.
                for m in o.members {
                    switch m.key {
                    case "$id", "id": if m.value.stringValue != nil { return true }
                    case "$anchor", "$dynamicAnchor", "$schema": return true
                    default: break
                    }
                }
                return o.members.contains { $0.key != "enum" && $0.key != "example" && $0.key != "default" && scan($0.value, depth + 1) }
            case .array(let a): return a.contains { scan($0, depth + 1) }
            default: return false
            }
        }
        let found = documents[document].map { scan($0, 0) } ?? false
        documentsWithIDs[document] = found
        return found
    }

    /// The dialect of each document's root, for documents that name no resources (every location in them
    /// shares the document's base and dialect).
    private var plainDocumentDialects: [String: SchemaDialect] = [:]

    private var lastResource: (uri: String, id: Int)?
    private var lastPlainDocument: (document: String, dialect: SchemaDialect)?

    private func scope(_ location: Location) -> (base: String, dialect: SchemaDialect) {
        if let last = lastPlainDocument, last.document == location.document { return (last.document, last.dialect) }
        if let d = plainDocumentDialects[location.document] {
            lastPlainDocument = (location.document, d)
            return (location.document, d)
        }
        if let s = scopes[location.key] { return s }
        let docDialect = scopes[Location(document: location.document, pointer: .root).key]?.dialect ?? defaultDialect
        if !hasIDs(location.document) {
            plainDocumentDialects[location.document] = docDialect
            return (location.document, docDialect)
        }
        var base = URIReference(location.document)
        var current = documents[location.document]
        var dialect = docDialect
        for token in location.pointer.tokens {
            current = current.flatMap { JSONPointer(tokens: [token]).resolve(in: $0) }
            if let id = current?[dialect.idKeyword]?.stringValue, !id.hasPrefix("#") {
                base = URIReference(id).resolved(against: base).withoutFragment
            }
            if let d = current.flatMap(dialectFor) { dialect = d }
        }
        return (base.description, dialect)
    }

    // MARK: compilation

    /// - Parameter known: the schema's value when the caller already holds it (a child of a schema being
    ///   built), saving the walk from the document root.
    func compile(_ location: Location, known: JSONValue? = nil) throws(SchemaCompileError) -> Int {
        if let existing = nodeIndex[location.key] { return existing }
        guard let value = known ?? value(at: location) else {
            throw SchemaCompileError(location: location.key, message: "the reference points at nothing", isBrokenReference: true)
        }
        let index = nodes.count
        nodeIndex[location.key] = index
        nodes.append(SchemaNode())
        // Past `maxNesting` nested compiles (a chain of schemas each referring to the next, thousands long, in a
        // generated spec) the node is built later by the outermost call, from a worklist: the recursion stays
        // shallow whatever the spec, so no spec can overflow the stack.
        if nesting >= Self.maxNesting {
            deferred.append((location, value, index))
            return index
        }
        nesting += 1
        defer { nesting -= 1 }
        try build(location, value, index)
        if nesting == 1 {
            while let (l, v, i) = deferred.popLast() { try build(l, v, i) }
        }
        return index
    }

    static let maxNesting = 64
    private var nesting = 0
    private var deferred: [(Location, JSONValue, Int)] = []

    /// Builds node `index` (already reserved for `location`) from the schema `value`.
    private func build(_ location: Location, _ value: JSONValue, _ index: Int) throws(SchemaCompileError) {
        let (base, dialect) = scope(location)
        var node = SchemaNode()
        node.location = location.key
        node.dialect = dialect
        node.resource = resourceID(base)
        let builder = NodeBuilder(compiler: self, location: location, base: base, dialect: dialect, value: value)
        try builder.build(into: &node)
        let resource = node.resource
        swap(&nodes[index], &node)
        // Compile dynamic anchors of this resource so $dynamicRef can find them.
        for (_, anchorLocation) in resources[resource].dynamicAnchors where nodeIndex[anchorLocation.key] == nil {
            _ = try compile(anchorLocation)
        }
    }

    /// Compiles the child at `tokens` below `location`.
    func compileChild(_ location: Location, _ tokens: [String], value: JSONValue?) throws(SchemaCompileError) -> Int {
        var l = location
        for t in tokens { l = l.appending(t) }
        return try compile(l, known: value)
    }

    private var parsedBases: [String: URIReference] = [:]
    /// `base`, NUL, `$ref` → where it leads: a spec repeats the same few hundred references thousands of times.
    private var resolvedReferences: [String: (Location, URIReference)] = [:]

    /// Compiles what a `$ref` names, resolved against `base`.
    func compileReference(_ ref: String, base: String, from location: Location) throws(SchemaCompileError) -> (Int, URIReference) {
        let cacheKey = base + "\u{0}" + ref
        if let (found, target) = resolvedReferences[cacheKey] { return (try compile(found), target) }
        let baseURI: URIReference
        if let cached = parsedBases[base] {
            baseURI = cached
        } else {
            baseURI = URIReference(base)
            parsedBases[base] = baseURI
        }
        let target = URIReference(ref).resolved(against: baseURI)
        guard let found = locate(target), let value = value(at: found) else {
            throw SchemaCompileError(location: location.key + "/$ref", message: "$ref '\(ref)' points at nothing", isBrokenReference: true)
        }
        resolvedReferences[cacheKey] = (found, target)
        return (try compile(found, known: value), target)
    }

    /// Whether the schema a reference names declares `$dynamicAnchor` named `name`.
    func declaresDynamicAnchor(_ uri: URIReference, _ name: String) -> Bool {
        guard let location = locate(uri) else { return false }
        return value(at: location)?["$dynamicAnchor"]?.stringValue == name
    }
}

/// The compiled form of a set of schemas: immutable, shared by every validation.
public final class CompiledSchemas: Sendable {
    let nodes: [SchemaNode]
    /// Per resource: `$dynamicAnchor` name → node.
    let dynamicAnchors: [[String: Int]]

    init(nodes: [SchemaNode], dynamicAnchors: [[String: Int]]) {
        self.nodes = nodes
        self.dynamicAnchors = dynamicAnchors
    }

    /// How many schema nodes were compiled.
    public var count: Int { nodes.count }

    /// The location a node was compiled from.
    public func location(of node: Int) -> String { nodes[node].location }

    /// The schema of property `name` of the object schema `node` (through a `$ref`), or nil.
    public func child(of node: Int, property name: String) -> Int? {
        var n = node
        for _ in 0..<16 {
            if let p = nodes[n].properties.first(where: { $0.name == name }) { return p.node }
            guard let next = nodes[n].ref else { return nil }
            n = next
        }
        return nil
    }
}
