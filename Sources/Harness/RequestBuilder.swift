import Foundation
import HTTP
import JSON
import OpenAPI

/// Turns an operation plus expanded parameter values into the `HTTPRequest` to send; the one place URLs
/// and bodies are built, for `run`, and later `call` by operation, `explore` and `conform`.
public struct RequestBuilder: Sendable {
    public let master: String

    public init(master: String) {
        var m = master
        while m.hasSuffix("/") { m.removeLast() }
        self.master = m.contains("://") ? m : "http://" + m
    }

    /// RFC 3986 unreserved characters stay; everything else in a path segment or query part is escaped.
    static func escape(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    public func build(
        method: String, pathTemplate: String, operation: OpenAPI.Operation?, path: [(String, JSONValue)], query: [(String, JSONValue)],
        headers: [(String, JSONValue)], body: JSONValue?, token: String?
    ) -> HTTPRequest {
        var p = pathTemplate
        for (name, value) in path { p = p.replacingOccurrences(of: "{\(name)}", with: RequestBuilder.escape(Variables.text(value))) }
        var parts: [String] = []
        for (name, value) in query {
            let format = operation?.parameters.first { $0.name == name && $0.location == .query }?.collectionFormat ?? "multi"
            if case .array(let items) = value {
                if format == "multi" {
                    parts += items.map { "\(RequestBuilder.escape(name))=\(RequestBuilder.escape(Variables.text($0)))" }
                } else {
                    let sep = ["ssv": " ", "tsv": "\t", "pipes": "|"][format] ?? ","
                    parts.append(
                        "\(RequestBuilder.escape(name))=\(RequestBuilder.escape(items.map(Variables.text).joined(separator: sep)))")
                }
            } else {
                parts.append("\(RequestBuilder.escape(name))=\(RequestBuilder.escape(Variables.text(value)))")
            }
        }
        var url = master + p
        if !parts.isEmpty { url += (url.contains("?") ? "&" : "?") + parts.joined(separator: "&") }
        var h = HTTPHeaders()
        for (name, value) in headers { h.add(name, Variables.text(value)) }
        if let token, !h.contains("Authorization") { h.add("Authorization", "Bearer \(token)") }
        var bytes: [UInt8]?
        if let body {
            bytes = JSONWriter().bytes(body)
            if !h.contains("Content-Type") { h.add("Content-Type", "application/json") }
        }
        return HTTPRequest(method: HTTPMethod(rawValue: method), url: url, headers: h, body: bytes)
    }
}
