import Foundation
import HTTP
import JSON
import MockCluster
import MockClusterTesting

/// A live mock on a free port plus the real libcurl client, with shorthands for the tests.
struct MockHarness: Sendable {
    let mock: MockServer
    let client = HTTPClient()

    struct Answer {
        let status: Int
        let body: JSONValue
        let response: HTTP.HTTPResponse
        var error: String? { body["error"]?["error"]?.stringValue }
    }

    func send(_ method: HTTPMethod, _ path: String, token: String? = nil, headers: HTTPHeaders = [:], body: String? = nil) async throws
        -> Answer
    {
        var h = headers
        if let token { h.add("Authorization", "Bearer \(token)") }
        let response = try await client.send(
            HTTPRequest(method: method, url: mock.baseURL + path, headers: h, body: body.map { Array($0.utf8) }))
        let value = (try? JSONValue(parsing: response.body)) ?? .null
        return Answer(status: response.status, body: value, response: response)
    }

    func get(_ path: String, token: String? = nil) async throws -> Answer { try await send(.get, path, token: token) }
    func post(_ path: String, token: String? = nil, body: String? = nil) async throws -> Answer {
        try await send(.post, path, token: token, body: body)
    }

    func login(_ user: String = "determined", password: String = "") async throws -> String {
        let answer = try await post("/api/v1/auth/login", body: #"{"username":"\#(user)","password":"\#(password)"}"#)
        guard let token = answer.body["token"]?.stringValue else { throw MockError("login failed: \(answer.status) \(answer.body)") }
        return token
    }
}

struct MockError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Runs `body` against a fresh mock (transitions lasting 0.3 s unless configured) and always stops it.
func withMock(_ configure: (inout MockConfiguration) -> Void = { _ in }, _ body: (MockHarness) async throws -> Void) async throws {
    try await withMockCluster({ c in
        c.transitionDelay = 0.3
        configure(&c)
    }) { mock in try await body(MockHarness(mock: mock)) }
}

/// A mock whose clock moves only when the test advances it, transitions lasting 2 s of it, and the admin's token.
func withManualClock(_ body: (MockHarness, ManualClock, _ adminToken: String) async throws -> Void) async throws {
    let clock = ManualClock()
    try await withMock({
        $0.transitionDelay = 2
        $0.clock = .manual(clock)
    }) { m in try await body(m, clock, try await m.login("admin")) }
}
