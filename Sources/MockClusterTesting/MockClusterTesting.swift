public import MockCluster

/// The one way tests start the embedded mock: on a free loopback port, and always stopped again, also when
/// the test body throws.
///
/// ```swift
/// try await withMockCluster { c in c.drift = true } run: { mock in
///     let response = try await HTTPClient().send(HTTPRequest(url: mock.baseURL + "/api/v1/master"))
/// }
/// ```
public func withMockCluster<T: Sendable>(
    _ configure: (inout MockConfiguration) -> Void = { _ in }, run body: (MockServer) async throws -> T
) async throws -> T {
    var c = MockConfiguration()
    c.port = 0
    c.quiet = true
    configure(&c)
    let mock = try await MockServer.start(c)
    do {
        let value = try await body(mock)
        await mock.stop()
        return value
    } catch {
        await mock.stop()
        throw error
    }
}
