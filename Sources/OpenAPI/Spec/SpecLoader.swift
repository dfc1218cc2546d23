import Foundation
import JSON

/// Loads an OpenAPI spec (Swagger 2.0, OpenAPI 3.0 or 3.1; JSON or YAML) from bytes into an `APIModel` with
/// every schema compiled.
///
/// This module knows no transport: documents that a spec refers to by relative or remote `$ref` come
/// through the caller's resolver (`SpecResolver`), so the executable decides how a URL is fetched.
public enum SpecLoader {
    /// Loads a spec file; relative `$ref`s are read from the files beside it.
    ///
    /// With `strict`, any lint error (a broken `$ref`, duplicate operationIds, …) throws.
    public static func load(path: String, strict: Bool = false, overlays: SpecOverlays = .init()) throws(SpecError) -> APIModel {
        let data: [UInt8]
        switch InputFile.read(path, what: "spec") {
        case .success(let bytes): data = bytes
        case .failure(let failure): throw SpecError(kind: .unreadable, location: path, message: failure.message)
        }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.absoluteString
        return try load(bytes: data, source: path, uri: absolute, strict: strict, resolver: .files, overlays: overlays)
    }

    /// Loads a spec from bytes; `source` names it in messages, `uri` is the base for relative `$ref`s, which
    /// `resolver` reads.
    public static func load(
        bytes: [UInt8], source: String, uri: String? = nil, strict: Bool = false, resolver: SpecResolver = .files,
        overlays: SpecOverlays = .init()
    ) throws(SpecError) -> APIModel {
        let original = try parse(bytes, source: source)
        let (root, applied) = overlays.apply(to: original)
        let documents = SpecDocuments(rootURI: uri ?? "file:///spec", root: root, resolver: resolver)
        var model = try build(documents, source: source, strict: strict, applied: applied)
        model.originalDocument = original
        return model
    }

    /// Loads a spec whose `$ref`s may name remote documents: every document it refers to (and they refer to,
    /// up to 100) is fetched through `fetch` first, then the model is built from them.
    public static func load(
        bytes: [UInt8], source: String, uri: String, strict: Bool = false, overlays: SpecOverlays = .init(),
        fetch: (String) async -> [UInt8]?
    ) async throws(SpecError) -> APIModel {
        let original = try parse(bytes, source: source)
        let (root, applied) = overlays.apply(to: original)
        var fetched: [String: JSONValue] = [uri: root]
        var pending = externalDocuments(in: root, base: uri)
        while let next = pending.popLast(), fetched.count < 100 {
            guard fetched[next] == nil, let data = await fetch(next) else { continue }
            let value = try parse(data, source: next)
            fetched[next] = value
            pending += externalDocuments(in: value, base: next).filter { fetched[$0] == nil }
        }
        let documents = SpecDocuments(rootURI: uri, root: root, resolver: .none, preloaded: fetched)
        var model = try build(documents, source: source, strict: strict, applied: applied)
        model.originalDocument = original
        return model
    }

    private static func build(_ documents: SpecDocuments, source: String, strict: Bool, applied: [Overlay.Applied]) throws(SpecError)
        -> APIModel
    {
        var builder = APIModelBuilder(documents: documents, source: source)
        var model = try builder.build()
        model.overlaysApplied = applied
        for a in applied where a.matches == 0 {
            model.warnings.append(
                LintWarning(severity: .warning, pointer: "", message: "overlay \(a.overlay): target \(a.target) matches nothing"))
        }
        if strict, let first = model.warnings.first(where: { $0.severity == .error }) {
            throw SpecError(
                kind: first.isBrokenReference ? .brokenReference : .invalid, location: "\(source)\(first.pointer)", message: first.message)
        }
        return model
    }

    /// The absolute URIs (without fragment) of the other documents `value`'s `$ref`s name.
    static func externalDocuments(in value: JSONValue, base: String) -> [String] {
        var out: Set<String> = []
        func walk(_ v: JSONValue) {
            switch v {
            case .object(let o):
                if let ref = o["$ref"]?.stringValue, !ref.hasPrefix("#") {
                    out.insert(URIReference(ref).resolved(against: URIReference(base)).withoutFragment.description)
                }
                for m in o { walk(m.value) }
            case .array(let a): a.forEach(walk)
            default: break
            }
        }
        walk(value)
        out.remove(base)
        return out.sorted()
    }

    /// JSON when the text starts with `{`, YAML otherwise.
    static func parse(_ bytes: [UInt8], source: String) throws(SpecError) -> JSONValue {
        let first = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        // A file, a master's answer or a fetched URL: nothing (or only whitespace) is no spec at all.
        guard let first else { throw SpecError(kind: .notASpec, location: "\(source):1:1", message: "the file is empty") }
        if first == UInt8(ascii: "{") {
            do {
                return try JSONValue(parsing: bytes)
            } catch {
                throw SpecError(kind: .syntax, location: "\(source):\(error.line):\(error.column)", message: error.message)
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw SpecError(kind: .syntax, location: source, message: "not UTF-8 text")
        }
        do {
            return try YAMLConversion.value(from: text)
        } catch {
            // YAMLConversion gives `:line:column` when it knows the place.
            throw SpecError(kind: .syntax, location: source + error.location, message: error.message)
        }
    }
}

/// Which overlays a spec is loaded with: the user's (`--overlay`, in order) after the built-in Determined one,
/// which applies only to the Determined master's spec and can be switched off (`--no-builtin-overlay`).
public struct SpecOverlays: Sendable {
    public var overlays: [Overlay]
    public var builtIn: Bool

    public init(_ overlays: [Overlay] = [], builtIn: Bool = true) {
        self.overlays = overlays
        self.builtIn = builtIn
    }

    /// The document with the overlays applied, and what each action did.
    func apply(to root: JSONValue) -> (JSONValue, [Overlay.Applied]) {
        var doc = root
        var applied: [Overlay.Applied] = []
        var all = overlays
        if builtIn, DeterminedOverlay.appliesTo(root), let o = DeterminedOverlay.overlay { all.insert(o, at: 0) }
        for overlay in all {
            let (next, done) = overlay.apply(to: doc)
            doc = next
            applied += done
        }
        return (doc, applied)
    }
}

/// Where the documents a spec refers to come from: files beside it, or nowhere (a remote spec's documents are
/// fetched before the build and handed to it parsed).
public struct SpecResolver: Sendable {
    /// The bytes of the document at an absolute URI, or nil.
    public var read: @Sendable (String) -> [UInt8]?

    public init(read: @escaping @Sendable (String) -> [UInt8]?) { self.read = read }

    /// `file://` URIs from the file system; nothing else.
    public static let files = SpecResolver { uri in
        guard uri.hasPrefix("file://") else { return nil }
        let path = String(uri.dropFirst("file://".count)).removingPercentEncoding ?? String(uri.dropFirst(7))
        return try? InputFile.read(path, what: "referenced").get()
    }

    /// No other documents: a single-document spec.
    public static let none = SpecResolver { _ in nil }
}
