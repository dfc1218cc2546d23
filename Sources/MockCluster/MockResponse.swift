import JSON

/// What a handler answers: status, JSON body bytes, and extra headers; rendered with the gateway's headers.
struct MockResponse: Sendable {
    enum Kind: Sendable, Equatable {
        /// A gateway success: `application/json`, `Grpc-Metadata-Content-Type`, no trailing newline.
        case gateway
        /// A gateway error: `application/json`, trailing newline, no Grpc-Metadata headers.
        case gatewayError
        /// An echo route (`/info`): `application/json; charset=UTF-8`, trailing newline.
        case echo
        /// An echo route that serves a file or text (`text/csv`, `application/zip`): this content type, as is.
        case file(contentType: String)
    }

    var status: Int
    var body: [UInt8]
    var kind: Kind
    var headers: [(String, String)] = []
    /// A streamed body (TrialLogs): chunks written as they come, instead of `body`.
    var stream: AsyncStream<[UInt8]>?

    static func ok(_ value: JSONValue, headers: [(String, String)] = []) -> MockResponse {
        MockResponse(status: 200, body: JSONWriter().bytes(value), kind: .gateway, headers: headers)
    }

    static func error(_ error: GatewayError) -> MockResponse {
        MockResponse(status: error.code.httpStatus, body: error.body, kind: .gatewayError)
    }

    static let empty = MockResponse.ok(.object(JSONObject()))
}
