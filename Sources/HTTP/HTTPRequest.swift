/// An HTTP method; a struct so that any token (PROPFIND, REPORT) can be sent, with the common ones named.
public struct HTTPMethod: RawRepresentable, Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue.uppercased() }
    public init(stringLiteral value: String) { self.init(rawValue: value) }

    public static let get = HTTPMethod(rawValue: "GET")
    public static let post = HTTPMethod(rawValue: "POST")
    public static let put = HTTPMethod(rawValue: "PUT")
    public static let patch = HTTPMethod(rawValue: "PATCH")
    public static let delete = HTTPMethod(rawValue: "DELETE")
    public static let head = HTTPMethod(rawValue: "HEAD")
    public static let options = HTTPMethod(rawValue: "OPTIONS")

    public var description: String { rawValue }
}

/// A request as planned: what the client is asked to send (the observed exchange is `HTTPResponse`).
public struct HTTPRequest: Sendable, Hashable {
    public var method: HTTPMethod
    /// Absolute http(s) URL, query included.
    public var url: String
    public var headers: HTTPHeaders
    /// Body bytes; nil sends none.
    public var body: [UInt8]?
    /// Overrides the client's total timeout for this request, in seconds.
    public var timeout: Double?

    public init(
        method: HTTPMethod = .get, url: String, headers: HTTPHeaders = [:], body: [UInt8]? = nil,
        timeout: Double? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}
