import Foundation
import JSON

/// Hides secrets in anything detapi writes: header values, registered secret values, secret-named JSON fields.
///
/// The one redaction path for the whole tool: the console, reports, curl repros, the `--dry-run` plan and
/// error messages all pass through a `Redactor`, so a token captured in one step never appears in another
/// step's output either.
///
/// A JSON field or variable is secret by the **last word of its name**, the name split at camelCase, `_`,
/// `-`, `.` and spaces (`SecretNames`): `password`, `accessToken`, `refresh_token`, `api_key`,
/// `clientSecret`, `Authorization` and `Cookie` are secret; `tokenizer`, `tokenCount`, `secretName` and
/// `passwordPolicy` are not.
public struct Redactor: Sendable, Hashable {
    /// What replaces a hidden value.
    public static let mask = "***"

    /// Header names whose values are always hidden (compared case-insensitively).
    public var sensitiveHeaders: [String] = [
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Auth-Token", "Grpc-Metadata-x-user-token",
        "Grpc-Metadata-x-allocation-token",
    ]
    /// Exact values to hide wherever they appear (tokens, passwords).
    ///
    /// Empty values are ignored. A value shorter than `wholeValueLength` is hidden only where it is a whole value
    /// (a JSON string, a query value, a header or cookie), never as a piece of other text: a cookie `0` must not
    /// turn `status 302` into `status 3***2`.
    public private(set) var secretValues: [String] = []
    /// Registered values too short to hide inside other text (see `secretValues`).
    public private(set) var shortSecretValues: [String] = []

    /// Secrets at least this long are hidden wherever they occur; shorter ones only as whole values.
    public static let wholeValueLength = 8

    public init(secretValues: [String] = []) {
        for value in secretValues { register(value) }
    }

    /// Adds a value that must never be shown.
    public mutating func register(_ secret: String) {
        guard !secret.isEmpty, !secretValues.contains(secret), !shortSecretValues.contains(secret) else { return }
        guard secret.count >= Self.wholeValueLength else {
            shortSecretValues.append(secret)
            return
        }
        secretValues.append(secret)
        // Longest first, so a secret containing another is hidden whole.
        secretValues.sort { $0.count > $1.count }
    }

    public func isSensitiveHeader(_ name: String) -> Bool {
        sensitiveHeaders.contains { $0.caseInsensitiveEquals(name) }
    }

    /// Whether a JSON field or variable name marks a secret; see `SecretNames`.
    public static func isSecretName(_ name: String) -> Bool { SecretNames.isSecret(name) }

    /// `text` with every registered secret value replaced by the mask; a short one only where it stands as a
    /// whole value: a word of its own (`the password is pw1`) or a query value (`?flag=0&…`), never inside a
    /// number, a path segment or another word.
    public func redact(_ text: String) -> String {
        var out = text
        for secret in secretValues where Self.occurs(secret, in: out) {
            out = out.replacingOccurrences(of: secret, with: Redactor.mask)
        }
        for secret in shortSecretValues where Self.occurs(secret, in: out) {
            out = Self.maskWholeValues(secret, in: out)
        }
        return out
    }

    /// `text` with `secret` masked where it is bounded as a whole value (see `redact`).
    static func maskWholeValues(_ secret: String, in text: String) -> String {
        let opens: Set<Character> = [" ", "\t", "\n", "\"", "'", "`", "=", "(", "[", "{", ":"]
        let closes: Set<Character> = [" ", "\t", "\n", "\"", "'", "`", "&", "#", ",", ";", ")", "]", "}", "."]
        var out = ""
        var rest = Substring(text)
        while let range = rest.range(of: secret) {
            let before = range.lowerBound == rest.startIndex ? (out.last ?? " ") : rest[rest.index(before: range.lowerBound)]
            let whole =
                opens.contains(before) && (range.upperBound == rest.endIndex || closes.contains(rest[range.upperBound]))
            out += rest[..<range.lowerBound]
            out += whole ? Redactor.mask : String(rest[range])
            rest = rest[range.upperBound...]
        }
        return out + rest
    }

    /// Query parameter names whose values are secrets even when nothing registered them (`?token=…` in a spec URL).
    public static let secretQueryNames: Set<String> = [
        "token", "access_token", "id_token", "key", "api_key", "apikey", "secret", "client_secret", "password", "passwd", "pwd",
        "sig", "signature", "auth", "authorization", "session", "code", "x-amz-signature", "x-amz-credential", "x-goog-signature",
    ]

    /// `url` with the values of secret-looking query parameters masked (`?token=***`), for showing a URL the user
    /// typed (a spec's) in the console and reports.
    public static func withoutQuerySecrets(_ url: String) -> String {
        guard let q = url.firstIndex(of: "?") else { return url }
        let end = url[q...].firstIndex(of: "#") ?? url.endIndex
        let pairs = url[url.index(after: q)..<end].split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let eq = pair.firstIndex(of: "=") else { return String(pair) }
            let name = pair[..<eq].lowercased()
            let secret = secretQueryNames.contains(name) || SecretNames.isSecret(String(pair[..<eq]))
            return secret && pair.index(after: eq) < pair.endIndex ? String(pair[...eq]) + mask : String(pair)
        }
        return String(url[...q]) + pairs.joined(separator: "&") + url[end...]
    }

    /// Whether `needle` occurs in `haystack`, on UTF-8 bytes (the common case, no secret in the text, stays cheap).
    static func occurs(_ needle: String, in haystack: String) -> Bool {
        let n = Array(needle.utf8)
        guard let first = n.first else { return false }
        var h = haystack
        return h.withUTF8 { bytes in
            guard bytes.count >= n.count else { return false }
            var i = 0
            let last = bytes.count - n.count
            while i <= last {
                if bytes[i] == first {
                    var j = 1
                    while j < n.count && bytes[i + j] == n[j] { j += 1 }
                    if j == n.count { return true }
                }
                i += 1
            }
            return false
        }
    }

    /// A header value as it may be shown: masked for sensitive headers (keeping the `Bearer` scheme word).
    public func headerValue(name: String, value: String) -> String {
        guard isSensitiveHeader(name) else { return redact(value) }
        if let space = value.firstIndex(of: " "),
            name.caseInsensitiveEquals("Authorization")
                || name.caseInsensitiveEquals("Proxy-Authorization")
        {
            return String(value[..<space]) + " " + Redactor.mask
        }
        return Redactor.mask
    }

    public func headers(_ headers: HTTPHeaders) -> HTTPHeaders {
        HTTPHeaders(headers.map { HTTPHeaders.Field(name: $0.name, value: headerValue(name: $0.name, value: $0.value)) })
    }

    // MARK: JSON bodies: the one masker

    /// `value` with the scalar values of secret-named fields replaced by the mask, and registered secret values
    /// hidden in every string.
    public func masked(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let o):
            var out = JSONObject()
            for m in o {
                if Redactor.isSecretName(m.key), m.value.isScalar, !m.value.isNull, m.value.stringValue != "" {
                    out[m.key] = .string(Redactor.mask)
                } else {
                    out[m.key] = masked(m.value)
                }
            }
            return .object(out)
        case .array(let a): return .array(a.map(masked))
        case .string(let s):
            if shortSecretValues.contains(s) { return .string(Redactor.mask) }
            return secretValues.isEmpty ? value : .string(redact(s))
        default: return value
        }
    }

    /// A JSON value as it may be shown, written compactly.
    public func text(_ value: JSONValue) -> String { JSONWriter().string(masked(value)) }

    /// A body as it may be shown.
    ///
    /// JSON keeps its own formatting unless a secret-named field had to be masked (then it is written
    /// compactly); other UTF-8 text has registered secrets hidden; binary bytes are described, not shown.
    /// `parsed` is the body's JSON when the caller has parsed it already (nil: parsed here if it is JSON).
    public func body(_ bytes: [UInt8], parsed: JSONValue? = nil) -> String {
        guard !bytes.isEmpty else { return "" }
        guard let text = String(validating: bytes, as: UTF8.self) else { return "<\(bytes.count) bytes of binary data>" }
        if let value = parsed ?? (try? JSONValue(parsing: bytes)) {
            let hidden = masked(value)
            if hidden != value { return JSONWriter().string(hidden) }
        }
        return redact(text)
    }

    /// Registers the string values of secret-named fields anywhere in `value` (a login body's password, a
    /// token in an answer), so they are hidden wherever they appear later, also outside JSON.
    public mutating func registerSecretFields(in value: JSONValue) {
        switch value {
        case .object(let o):
            for m in o {
                if Redactor.isSecretName(m.key), let s = m.value.stringValue { register(s) }
                registerSecretFields(in: m.value)
            }
        case .array(let a): for v in a { registerSecretFields(in: v) }
        default: break
        }
    }

    /// The same as `registerSecretFields(in:)` for a parsed document, read from its index (no tree is built).
    public mutating func registerSecretFields(in document: JSONDocument, at index: Int? = nil) {
        let node = index ?? document.root
        switch document.kind(node) {
        case .object:
            for (key, value) in document.members(node) {
                if document.kind(value) == .string, Redactor.isSecretName(document.string(key)) { register(document.string(value)) }
                if document.kind(value).isContainer { registerSecretFields(in: document, at: value) }
            }
        case .array:
            for element in document.elements(node) where document.kind(element).isContainer {
                registerSecretFields(in: document, at: element)
            }
        default: break
        }
    }

    /// Registers the value of every cookie a response sets (`Set-Cookie: auth=v2.…; Path=/`).
    public mutating func registerCookies(from headers: HTTPHeaders) {
        for field in headers where field.name.caseInsensitiveEquals("Set-Cookie") {
            if let value = Redactor.cookieValue(setCookie: field.value) { register(value) }
        }
    }

    /// The value of a `Set-Cookie` header (`name=value; attributes`), or nil when it has none.
    public static func cookieValue(setCookie header: String) -> String? {
        guard let eq = header.firstIndex(of: "=") else { return nil }
        let value = header[header.index(after: eq)...].prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
    }
}

extension JSONValue {
    fileprivate var isScalar: Bool {
        switch self {
        case .object, .array: return false
        default: return true
        }
    }
}
