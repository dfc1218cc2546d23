/// A transport failure: the request got no HTTP answer.
///
/// Carries curl's own message and the URL.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, so callers can react (retry a reset, report a TLS problem, …).
    public enum Kind: Sendable, Equatable {
        case invalidURL
        case couldNotResolveHost
        case connectionRefused
        case timeout
        case tlsFailure
        case tooManyRedirects
        case bodyTooLarge(limit: Int)
        case connectionLost
        case cancelled
        case other(curlCode: Int)
    }

    public let kind: Kind
    public let url: String
    /// libcurl's message for the failure.
    public let curlMessage: String
    /// An https request sent without a client certificate: a lost connection may be the server refusing it.
    public var withoutClientCertificate = false

    public init(kind: Kind, url: String, curlMessage: String) {
        self.kind = kind
        self.url = url
        self.curlMessage = curlMessage
    }

    public var summary: String {
        switch kind {
        case .invalidURL: return "invalid URL"
        case .couldNotResolveHost: return "could not resolve host"
        case .connectionRefused: return "could not connect"
        case .timeout: return "timed out"
        case .tlsFailure: return "TLS failure"
        case .tooManyRedirects: return "too many redirects"
        case .bodyTooLarge(let limit): return "response body larger than \(limit) bytes"
        case .connectionLost: return "connection lost"
        case .cancelled: return "cancelled"
        case .other(let code): return "transfer failed (curl error \(code))"
        }
    }

    /// One line: what, where, curl's words, and what to do when the cause is a common TLS set-up problem.
    public var description: String {
        let base = curlMessage.isEmpty ? "\(summary): \(url)" : "\(summary): \(url) (\(curlMessage))"
        return hint.map { base + "; " + $0 } ?? base
    }

    /// Advice for the TLS failures people meet first against a staging cluster.
    public var hint: String? {
        let message = curlMessage.lowercased()
        if case .bodyTooLarge = kind { return "raise the limit with --max-body (for example --max-body 256M)" }
        if kind == .tooManyRedirects { return "the server redirects in a loop" }
        if message.contains("certificate required") {
            return "the server asks for a client certificate: pass --cert FILE and --key FILE"
        }
        if kind == .connectionLost, withoutClientCertificate {
            // TLS 1.3 servers refuse a missing client certificate after the handshake; the alert can be lost
            // in the close, leaving only a lost connection.
            return "the server closed the TLS connection; if it requires a client certificate, pass --cert FILE and --key FILE"
        }
        if kind == .tlsFailure,
            message.contains("self-signed") || message.contains("self signed") || message.contains("unable to get local issuer")
                || message.contains("certificate verify failed")
        {
            return "the server's certificate is not trusted: pass --cacert FILE with the cluster's CA (or -k/--insecure to skip the check)"
        }
        if kind == .tlsFailure, message.contains("no alternative certificate subject name") || message.contains("does not match") {
            return "the certificate is for another host name: use the name it was issued for in --master"
        }
        return nil
    }
}
