/// The parts of an HTTP request the mock's routing and handlers look at, free of Hummingbird types.
struct MockRequest: Sendable {
    var method: String
    /// Percent-decoded path, one trailing slash already stripped for /api/v1 routes.
    var path: String
    var query: String
    var authorization: String?
    var cookieToken: String?
    var body: [UInt8]
    var pretty: Bool
    /// `If-Modified-Since`, for the spec file's conditional GET.
    var ifModifiedSince: String? = nil
}
