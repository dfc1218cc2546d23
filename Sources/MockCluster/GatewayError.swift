import JSON

/// An error as a Determined master's gRPC gateway sends it: HTTP status from the gRPC code, body
/// `{"error":{"code":N,"reason":"Name","error":"message"}}` plus a newline (reference §7).
struct GatewayError: Error, Sendable {
    /// gRPC status codes the master uses, with grpc-gateway v1.16's HTTP mapping.
    enum Code: Int, Sendable {
        case canceled = 1, unknown = 2, invalidArgument = 3, notFound = 5, alreadyExists = 6, permissionDenied = 7
        case failedPrecondition = 9, unimplemented = 12, internalError = 13, unavailable = 14, unauthenticated = 16

        var reason: String {
            switch self {
            case .canceled: return "Canceled"
            case .unknown: return "Unknown"
            case .invalidArgument: return "InvalidArgument"
            case .notFound: return "NotFound"
            case .alreadyExists: return "AlreadyExists"
            case .permissionDenied: return "PermissionDenied"
            case .failedPrecondition: return "FailedPrecondition"
            case .unimplemented: return "Unimplemented"
            case .internalError: return "Internal"
            case .unavailable: return "Unavailable"
            case .unauthenticated: return "Unauthenticated"
            }
        }

        var httpStatus: Int {
            switch self {
            case .canceled: return 408
            case .unknown, .internalError: return 500
            case .invalidArgument, .failedPrecondition: return 400
            case .notFound: return 404
            case .alreadyExists: return 409
            case .permissionDenied: return 403
            case .unimplemented: return 501
            case .unavailable: return 503
            case .unauthenticated: return 401
            }
        }
    }

    let code: Code
    let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    static let notImplemented = GatewayError(.unimplemented, "Not Implemented")
    static let tokenMissing = GatewayError(.unauthenticated, "token missing")
    static let invalidCredentials = GatewayError(.unauthenticated, "invalid credentials")
    static func notFound(_ kind: String, _ id: Int) -> GatewayError { GatewayError(.notFound, "\(kind) '\(id)' not found") }

    var body: [UInt8] {
        var bytes = JSONWriter().bytes([
            "error": .object(
                JSONObject([
                    .init(key: "code", value: .number(JSONNumber(code.rawValue))),
                    .init(key: "reason", value: .string(code.reason)),
                    .init(key: "error", value: .string(message)),
                ]))
        ])
        bytes.append(0x0A)
        return bytes
    }

    /// The message as `status.Error().Error()` renders it inside bulk results.
    var rpcDescription: String { "rpc error: code = \(code.reason) desc = \(message)" }
}

/// Go's `http.StatusText` for the statuses the gateway writes.
enum HTTPStatusText {
    static func of(_ status: Int) -> String {
        [
            400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 408: "Request Timeout",
            500: "Internal Server Error",
            501: "Not Implemented", 503: "Service Unavailable",
        ][status] ?? ""
    }
}
