import Foundation
import HTTP
import JSON
import OpenAPI

/// What a step sends as its body: JSON (written compactly, `Content-Type: application/json`) or bytes as given.
public enum RequestPayload: Sendable, Hashable {
    case json(JSONValue)
    case bytes([UInt8])
}

/// Turns an operation (or a `METHOD /path`) plus parameter values into the `HTTPRequest` to send; the one
/// place URLs, headers and bodies are built, for `run`, `call`, `--dry-run` (and later `explore` and
/// `conform`).
///
/// Path and query values are percent-escaped (RFC 3986 unreserved characters stay), arrays follow the
/// parameter's `collectionFormat` (`multi` repeats the name; `csv`, `ssv`, `tsv`, `pipes` join), and the
/// bearer token is added unless the step sets its own `Authorization`.
public struct RequestBuilder: Sendable {
    public let master: String
    /// The spec's base path (`/base`, OpenAPI 3's server path) that operation paths are under; "" when the master
    /// already ends with it (`--master http://host/base` is not doubled) or the spec has none.
    public let basePath: String

    public init(master: String, basePath: String = "") {
        var m = master
        while m.hasSuffix("/") { m.removeLast() }
        let full = m.contains("://") ? m : "http://" + m
        self.master = full
        let masterPath = Self.split(full).path
        self.basePath = basePath.isEmpty || masterPath.hasSuffix(basePath) ? "" : basePath
    }

    /// A URL's origin (`scheme://host:port`, lowercased) and the path after it ("" for none), query and fragment cut.
    public static func split(_ url: String) -> (origin: String, path: String) {
        guard let scheme = url.range(of: "://") else { return (url.lowercased(), "") }
        let rest = url[scheme.upperBound...]
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let tail = rest[end...]
        let path = tail.hasPrefix("/") ? tail.prefix { $0 != "?" && $0 != "#" } : ""
        return ((url[..<scheme.upperBound] + rest[..<end]).lowercased(), String(path))
    }

    /// RFC 3986 unreserved characters stay; everything else in a path segment or query part is escaped.
    static func escape(_ s: String) -> String {
        let utf8 = s.utf8
        if utf8.allSatisfy(isUnreserved) { return s }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count * 3)
        for b in utf8 {
            if isUnreserved(b) {
                out.append(b)
            } else {
                out += [0x25, hex[Int(b >> 4)], hex[Int(b & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let hex = Array("0123456789ABCDEF".utf8)

    /// A-Z a-z 0-9 - . _ ~
    private static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E || b == 0x5F
            || b == 0x7E
    }

    /// Escapes `s` but leaves `{{template}}` spans as written, so the `--dry-run` plan shows them.
    static func escapeKeepingTemplates(_ s: String) -> String {
        var out = ""
        var rest = Substring(s)
        while let start = rest.range(of: "{{"), let end = rest[start.upperBound...].range(of: "}}") {
            out += escape(String(rest[..<start.lowerBound])) + rest[start.lowerBound..<end.upperBound]
            rest = rest[end.upperBound...]
        }
        return out + escape(String(rest))
    }

    /// The path and query as sent (`/api/v1/experiments/7?archived=true&limit=1`).
    ///
    /// With `keepTemplates`, `{{name}}` in values is left readable instead of escaped.
    public func target(
        pathTemplate: String, operation: OpenAPI.Operation?, path: [(String, JSONValue)], query: [(String, JSONValue)],
        keepTemplates: Bool = false
    ) -> String {
        func esc(_ s: String) -> String { keepTemplates ? RequestBuilder.escapeKeepingTemplates(s) : RequestBuilder.escape(s) }
        // A raw path already under the base path keeps it once.
        let base = basePath.isEmpty || pathTemplate == basePath || pathTemplate.hasPrefix(basePath + "/") ? "" : basePath
        var p = base + Self.fill(pathTemplate) { name in path.last { $0.0 == name }.map { esc(Variables.text($0.1)) } }
        var parts: [String] = []
        for (name, value) in query {
            let format = operation?.parameters.first { $0.name == name && $0.location == .query }?.collectionFormat ?? "multi"
            if case .array(let items) = value {
                if format == "multi" {
                    parts += items.map { "\(esc(name))=\(esc(Variables.text($0)))" }
                } else {
                    let sep = ["ssv": " ", "tsv": "\t", "pipes": "|"][format] ?? ","
                    parts.append("\(esc(name))=\(esc(items.map(Variables.text).joined(separator: sep)))")
                }
            } else {
                parts.append("\(esc(name))=\(esc(Variables.text(value)))")
            }
        }
        if !parts.isEmpty { p += (p.contains(Character("?")) ? "&" : "?") + parts.joined(separator: "&") }
        return p
    }

    /// `template` with each `{name}` replaced by `value(name)`; a name without a value stays as written.
    static func fill(_ template: String, _ value: (String) -> String?) -> String {
        guard template.utf8.contains(0x7B) else { return template }
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            out += value(name) ?? String(rest[open...close])
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    public func build(
        method: String, pathTemplate: String, operation: OpenAPI.Operation?, path: [(String, JSONValue)], query: [(String, JSONValue)],
        headers: [(String, JSONValue)], body: RequestPayload?, token: String?, timeout: Double? = nil, contentType: String? = nil
    ) -> HTTPRequest {
        build(
            method: method, pathTemplate: pathTemplate, operation: operation, path: path, query: query, headers: headers, body: body,
            credential: token.map { RequestCredential(header: "Authorization", value: "Bearer \($0)") }, timeout: timeout,
            contentType: contentType)
    }

    /// The request, with `credential` placed where its security scheme says (unless the step sets it itself).
    public func build(
        method: String, pathTemplate: String, operation: OpenAPI.Operation?, path: [(String, JSONValue)], query: [(String, JSONValue)],
        headers: [(String, JSONValue)], body: RequestPayload?, credential: RequestCredential?, timeout: Double? = nil,
        contentType: String? = nil
    ) -> HTTPRequest {
        var query = query
        if case .query(let name)? = credential?.place, !query.contains(where: { $0.0 == name }) {
            query.append((name, .string(credential!.value)))
        }
        let url = master + target(pathTemplate: pathTemplate, operation: operation, path: path, query: query)
        var h = HTTPHeaders()
        for (name, value) in headers { h.add(name, Variables.text(value)) }
        switch credential?.place {
        case .header(let name)? where !h.contains(name): h.add(name, credential!.value)
        case .cookie(let name)?:
            let pair = "\(name)=\(credential!.value)"
            if let existing = h["Cookie"] {
                if !existing.contains(name + "=") { h.set("Cookie", existing + "; " + pair) }
            } else {
                h.add("Cookie", pair)
            }
        default: break
        }
        var bytes: [UInt8]?
        if let contentType, body != nil, !h.contains("Content-Type") { h.add("Content-Type", contentType) }
        switch body {
        case .json(let value)?:
            bytes = JSONWriter().bytes(value)
            if !h.contains("Content-Type") { h.add("Content-Type", "application/json") }
        case .bytes(let raw)?:
            bytes = raw
            if !h.contains("Content-Type") { h.add("Content-Type", "application/octet-stream") }
        case nil: break
        }
        return HTTPRequest(method: HTTPMethod(rawValue: method), url: url, headers: h, body: bytes, timeout: timeout)
    }
}
