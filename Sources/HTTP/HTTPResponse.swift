/// What came back over the wire for one request, with curl's timings.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// The protocol version, such as "HTTP/1.1" or "HTTP/2".
    public var httpVersion: String
    /// The reason phrase of the status line, when the server sent one.
    public var reason: String
    public var headers: HTTPHeaders
    /// The body after content decoding (gzip/deflate are undone).
    public var body: [UInt8]
    /// The URL of the last hop (differs from the request's after followed redirects).
    public var effectiveURL: String
    public var timings: HTTPTimings
    /// How many new connections this transfer opened; 0 means it reused one.
    public var newConnections: Int
    /// How many redirects were followed.
    public var redirects: Int

    public init(
        status: Int, httpVersion: String = "HTTP/1.1", reason: String = "", headers: HTTPHeaders = [:],
        body: [UInt8] = [], effectiveURL: String = "", timings: HTTPTimings = .init(), newConnections: Int = 0,
        redirects: Int = 0
    ) {
        self.status = status
        self.httpVersion = httpVersion
        self.reason = reason
        self.headers = headers
        self.body = body
        self.effectiveURL = effectiveURL
        self.timings = timings
        self.newConnections = newConnections
        self.redirects = redirects
    }

    /// The body as UTF-8 text (invalid bytes replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The media type of `Content-Type` without parameters, lowercased ("application/json").
    public var mediaType: String? {
        headers["Content-Type"].map {
            String($0.split(separator: ";", maxSplits: 1).first ?? "").trimmingSpaces().lowercased()
        }
    }
}

/// Seconds from the start of the transfer to each phase's end, as curl measures them (cumulative).
public struct HTTPTimings: Sendable, Hashable {
    public var dns: Double = 0
    public var connect: Double = 0
    /// TLS handshake done (0 for plain http).
    public var tls: Double = 0
    /// First response byte.
    public var firstByte: Double = 0
    public var total: Double = 0

    public init(dns: Double = 0, connect: Double = 0, tls: Double = 0, firstByte: Double = 0, total: Double = 0) {
        self.dns = dns
        self.connect = connect
        self.tls = tls
        self.firstByte = firstByte
        self.total = total
    }
}

extension String {
    func trimmingSpaces() -> String {
        // Header lines are ASCII: trim spaces, tabs, CR and LF on the bytes.
        let u = utf8
        func blank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
        guard let first = u.firstIndex(where: { !blank($0) }) else { return "" }
        let last = u.lastIndex(where: { !blank($0) })!
        if first == u.startIndex && last == u.index(before: u.endIndex) { return self }
        return String(self[first...last])
    }
}
