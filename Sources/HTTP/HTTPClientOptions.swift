/// Connection, TLS and safety settings shared by every request a client sends.
public struct HTTPClientOptions: Sendable, Hashable {
    /// Seconds to establish a connection.
    public var connectTimeout: Double = 10
    /// Seconds for the whole transfer; 0 means no limit.
    public var timeout: Double = 60
    /// PEM bundle of CAs to trust instead of the system's.
    public var caFile: String?
    /// PEM client certificate and key for mutual TLS.
    public var clientCertificate: String?
    public var clientKey: String?
    /// Skip TLS verification (self-signed staging clusters).
    public var insecure = false
    /// Explicit proxy URL; when nil, curl honours `http_proxy`, `HTTPS_PROXY` and `NO_PROXY` itself.
    public var proxy: String?
    public var noProxy: String?
    /// Follow 3xx responses; off by default so a check sees what the server said.
    public var followRedirects = false
    public var maxRedirects = 10
    /// Send `Accept-Encoding` for every encoding libcurl decodes, and decode the answer.
    public var acceptCompressed = true
    /// Largest response body accepted, in bytes.
    public var maxBodySize = 64 * 1024 * 1024
    /// Transfers in flight at once; further requests wait in a queue.
    public var maxConcurrent = 64
    /// `User-Agent` sent unless a request sets its own.
    public var userAgent = "detapi"

    public init() {}
}
