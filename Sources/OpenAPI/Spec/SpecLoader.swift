import Foundation
import HTTP
import JSON

/// Loads an OpenAPI spec (Swagger 2.0, OpenAPI 3.0 or 3.1; JSON or YAML; from a file or an http(s) URL)
/// into an `APIModel` with every schema compiled.
public enum SpecLoader {
    /// Loads a spec file.
    ///
    /// With `strict`, any lint error (a broken `$ref`, duplicate operationIds, …) throws.
    public static func load(path: String, strict: Bool = false) throws(SpecError) -> APIModel {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw SpecError(kind: .unreadable, location: path, message: exists ? "cannot read this file" : "no such file")
        }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.absoluteString
        return try load(bytes: Array(data), source: path, uri: absolute, strict: strict)
    }

    /// Loads a spec over http(s).
    public static func load(url: String, client: HTTPClient, strict: Bool = false) async throws(SpecError) -> APIModel {
        let response: HTTPResponse
        do {
            response = try await client.send(HTTPRequest(url: url, headers: ["Accept": "application/json, application/yaml"]))
        } catch {
            throw SpecError(kind: .unreadable, location: url, message: error.description)
        }
        guard response.status == 200 else {
            throw SpecError(kind: .unreadable, location: url, message: "HTTP \(response.status) while fetching the spec")
        }
        return try load(bytes: response.body, source: url, uri: url, strict: strict)
    }

    /// Loads a spec from bytes; `source` names it in messages, `uri` is the base for relative `$ref`s.
    public static func load(bytes: [UInt8], source: String, uri: String? = nil, strict: Bool = false) throws(SpecError) -> APIModel {
        let root = try parse(bytes, source: source)
        var builder = APIModelBuilder(documents: SpecDocuments(rootURI: uri ?? "file:///spec", root: root), source: source)
        let model = try builder.build()
        if strict, let first = model.warnings.first(where: { $0.severity == .error }) {
            let kind: SpecError.Kind = first.message.contains("$ref") ? .brokenReference : .invalid
            throw SpecError(kind: kind, location: "\(source)\(first.pointer)", message: first.message)
        }
        return model
    }

    /// JSON when the text starts with `{`, YAML otherwise.
    static func parse(_ bytes: [UInt8], source: String) throws(SpecError) -> JSONValue {
        let first = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
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
