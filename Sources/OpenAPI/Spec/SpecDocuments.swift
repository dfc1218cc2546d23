import Foundation
import JSON

/// The documents a spec is made of (the root file and any it references by relative path), parsed once,
/// and `$ref` resolution for the non-schema objects (parameters, responses, bodies, path items).
final class SpecDocuments {
    let rootURI: String
    private(set) var documents: [String: JSONValue] = [:]

    init(rootURI: String, root: JSONValue) {
        self.rootURI = rootURI
        documents[rootURI] = root
    }

    var root: JSONValue { documents[rootURI]! }

    /// Loads a document by absolute URI (file:// only; remote specs must be single documents).
    func load(_ uri: String) -> JSONValue? {
        if let d = documents[uri] { return d }
        guard uri.hasPrefix("file://") else { return nil }
        let path = String(uri.dropFirst("file://".count)).removingPercentEncoding ?? String(uri.dropFirst(7))
        guard let data = FileManager.default.contents(atPath: path),
            let value = try? SpecLoader.parse(Array(data), source: path)
        else { return nil }
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
