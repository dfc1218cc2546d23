import Foundation

/// Hides secrets in anything detapi writes: header values, registered secret values, secret-named JSON fields.
///
/// One redaction path for the whole tool: console, reports, curl repros and errors all pass through a
/// `Redactor`, so a token captured in one step never appears in another step's output either.
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
    /// Empty values are ignored.
    public private(set) var secretValues: [String] = []

    public init(secretValues: [String] = []) {
        for value in secretValues { register(value) }
    }

    /// Adds a value that must never be shown.
    public mutating func register(_ secret: String) {
        guard !secret.isEmpty, !secretValues.contains(secret) else { return }
        secretValues.append(secret)
        // Longest first, so a secret containing another is hidden whole.
        secretValues.sort { $0.count > $1.count }
    }

    public func isSensitiveHeader(_ name: String) -> Bool {
        sensitiveHeaders.contains { $0.caseInsensitiveEquals(name) }
    }

    /// Whether a JSON field or variable name marks a secret (password, token, secret, api key …).
    public static func isSecretName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return ["password", "passwd", "token", "secret", "apikey", "api_key", "authorization", "cookie"].contains {
            lower.contains($0)
        }
    }

    /// `text` with every registered secret value replaced by the mask.
    public func redact(_ text: String) -> String {
        var out = text
        for secret in secretValues where out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: Redactor.mask)
        }
        return out
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
}
