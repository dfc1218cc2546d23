import Foundation
import JSON

/// The documents a spec is made of (the root file and any it references by relative path), parsed once,
/// and `$ref` resolution for the non-schema objects (parameters, responses, bodies, path items).
final class SpecDocuments {
    let rootURI: String
    private(set) var documents: [String: JSONValue] = [:]
    private let resolver: SpecResolver

    /// `preloaded` holds documents already parsed (a remote spec's, fetched before the build).
    init(rootURI: String, root: JSONValue, resolver: SpecResolver, preloaded: [String: JSONValue] = [:]) {
        self.rootURI = rootURI
        self.resolver = resolver
        documents = preloaded
        documents[rootURI] = root
    }

    var root: JSONValue { documents[rootURI]! }

    /// Loads a document by absolute URI through the resolver, once.
    func load(_ uri: String) -> JSONValue? {
        if let d = documents[uri] { return d }
        guard let data = resolver.read(uri), let value = try? SpecLoader.parse(data, source: uri) else { return nil }
        documents[uri] = value
        return value
    }

    /// Follows `$ref` chains (at most 20 hops) from an object at `document#pointer`.
    func resolve(_ value: JSONValue, document: String, pointer: String) -> (value: JSONValue, document: String, pointer: String)? {
        var current = (value: value, document: document, pointer: pointer)
        for _ in 0..<20 {
            guard let ref = current.value["$ref"]?.stringValue else { return current }
            let target = URIReference(ref).resolved(against: URIReference(current.document))
            let doc = target.withoutFragment.description
            guard let root = load(doc), let p = try? JSONPointer(fragment: target.fragment ?? ""),
                let found = p.resolve(in: root)
            else { return nil }
            current = (found, doc, "#" + p.description)
        }
        return nil
    }
}
