import Foundation
import HTTP
import JSON
import Testing

typealias ClientRequest = HTTP.HTTPRequest

@Suite("HTTPClient against a live server")
struct HTTPClientTests {
    private func echo(_ response: HTTP.HTTPResponse) throws -> JSONValue {
        try JSONValue(parsing: response.body)
    }

    @Test("every method reaches the server with its body")
    func methods() async throws {
        try await TestServer.with { port in
            let client = HTTPClient()
            for method in ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] {
                let body: [UInt8]? = method == "GET" ? nil : Array("payload-\(method)".utf8)
                let response = try await client.send(
                    ClientRequest(method: HTTPMethod(rawValue: method), url: "http://127.0.0.1:\(port)/echo", body: body))
                #expect(response.status == 200)
                let seen = try echo(response)
                #expect(seen["method"]?.stringValue == method)
                #expect(seen["body"]?.stringValue == (body.map { String(decoding: $0, as: UTF8.self) } ?? ""))
            }
            let head = try await client.send(ClientRequest(method: .head, url: "http://127.0.0.1:\(port)/echo"))
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
        }
    }

    @Test("repeated request and response headers keep every value")
    func repeatedHeaders() async throws {
        try await TestServer.with { port in
            let client = HTTPClient()
            var headers = HTTPHeaders()
            headers.add("X-Foo", "a")
            headers.add("X-Foo", "b")
            headers.add("X-Empty", "")
            let response = try await client.send(ClientRequest(url: "http://127.0.0.1:\(port)/echo", headers: headers))
            let seen = try echo(response)
            #expect(seen["headers"]?["x-foo"] == ["a", "b"])
            #expect(seen["headers"]?["x-empty"] == [""])
            let multi = try await client.send(ClientRequest(url: "http://127.0.0.1:\(port)/multi"))
            #expect(multi.headers.values(for: "x-multi") == ["one", "two"])
            #expect(multi.headers["X-MULTI"] == "one")
        }
    }

    @Test("a 5 MB binary body goes and comes back byte for byte")
    func binaryBody() async throws {
        try await TestServer.with { port in
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            let payload = [UInt8](unsafeUninitializedCapacity: 5 << 20) { buffer, count in
                for i in 0..<buffer.count {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    buffer[i] = UInt8(truncatingIfNeeded: state >> 56)
                }
                count = buffer.count
            }
            let response = try await HTTPClient().send(
                ClientRequest(method: .post, url: "http://127.0.0.1:\(port)/raw", body: payload))
            #expect(response.status == 200)
            #expect(response.body.count == payload.count)
            #expect(response.body == payload)
        }
    }

    @Test("gzip bodies are decoded; compressed answers are asked for")
    func gzip() async throws {
        try await TestServer.with { port in
            let client = HTTPClient()
            let response = try await client.send(ClientRequest(url: "http://127.0.0.1:\(port)/gzip"))
            #expect(response.headers["Content-Encoding"] == "gzip")
            #expect(response.bodyText == TestServer.gzippedJSONText)
            let seen = try echo(try await client.send(ClientRequest(url: "http://127.0.0.1:\(port)/echo")))
            #expect(seen["headers"]?["accept-encoding"]?[0]?.stringValue?.contains("gzip") == true)
        }
    }

    @Test("redirects are reported by default and followed when asked")
    func redirects() async throws {
        try await TestServer.with { port in
            let plain = try await HTTPClient().send(ClientRequest(url: "http://127.0.0.1:\(port)/redirect"))
            #expect(plain.status == 302)
            #expect(plain.headers["Location"] == "/echo")
            var options = HTTPClientOptions()
            options.followRedirects = true
            options.maxRedirects = 3
            let following = HTTPClient(options: options)
            let followed = try await following.send(ClientRequest(url: "http://127.0.0.1:\(port)/redirect"))
            #expect(followed.status == 200)
            #expect(followed.redirects == 1)
            #expect(followed.effectiveURL.hasSuffix("/echo"))
            await #expect(throws: HTTPClientError.self) {
                _ = try await following.send(ClientRequest(url: "http://127.0.0.1:\(port)/loop"))
            }
        }
    }

    @Test("a slow handler hits the total timeout")
    func timeout() async throws {
        try await TestServer.with { port in
            var options = HTTPClientOptions()
            options.timeout = 0.3
            do {
                _ = try await HTTPClient(options: options).send(ClientRequest(url: "http://127.0.0.1:\(port)/slow"))
                Issue.record("expected a timeout")
            } catch let error as HTTPClientError {
                #expect(error.kind == .timeout)
                #expect(error.url.hasSuffix("/slow"))
            }
        }
    }

    @Test("a refused connection is a typed error naming the URL")
    func refused() async throws {
        let port = try closedPort()
        do {
            _ = try await HTTPClient().send(ClientRequest(url: "http://127.0.0.1:\(port)/x"))
            Issue.record("expected connection refused")
        } catch {
            #expect(error.kind == .connectionRefused)
            #expect(error.description.contains("127.0.0.1:\(port)/x"))
            #expect(!error.curlMessage.isEmpty)
        }
    }

    @Test("an unresolvable host and a bad URL are told apart")
    func badTargets() async throws {
        let client = HTTPClient()
        do {
            // A label longer than DNS allows (63 bytes): the resolver rejects it before any query leaves the machine.
            _ = try await client.send(ClientRequest(url: "http://\(String(repeating: "a", count: 70)).test/"))
            Issue.record("expected a DNS failure")
        } catch {
            #expect(error.kind == .couldNotResolveHost)
        }
        do {
            _ = try await client.send(ClientRequest(url: "ftp://127.0.0.1/"))
            Issue.record("expected an invalid URL")
        } catch {
            #expect(error.kind == .invalidURL)
        }
    }

    @Test("100 concurrent requests all get their own answer over few reused connections")
    func concurrency() async throws {
        try await TestServer.with { port in
            var options = HTTPClientOptions()
            options.maxConcurrent = 8
            let client = HTTPClient(options: options)
            let requests = (0..<100).map { i in
                ClientRequest(method: .post, url: "http://127.0.0.1:\(port)/echo?i=\(i)", body: Array("request-\(i)".utf8))
            }
            let results = await client.send(all: requests)
            var connections = 0
            for (i, result) in results.enumerated() {
                let response = try result.get()
                let seen = try JSONValue(parsing: response.body)
                #expect(seen["body"]?.stringValue == "request-\(i)")
                #expect(seen["uri"]?.stringValue == "/echo?i=\(i)")
                connections += response.newConnections
            }
            #expect(connections >= 1)
            #expect(connections <= 8, "100 requests with 8 in flight should open at most 8 connections, opened \(connections)")
            let again = try await client.send(ClientRequest(url: "http://127.0.0.1:\(port)/echo"))
            #expect(again.newConnections == 0, "a later request reuses a pooled connection")
        }
    }

    @Test("bodies over the size limit fail clearly")
    func bodyLimit() async throws {
        try await TestServer.with { port in
            var options = HTTPClientOptions()
            options.maxBodySize = 1000
            let client = HTTPClient(options: options)
            let small = try await client.send(ClientRequest(url: "http://127.0.0.1:\(port)/bytes?n=1000"))
            #expect(small.body.count == 1000)
            do {
                _ = try await client.send(ClientRequest(url: "http://127.0.0.1:\(port)/bytes?n=5000"))
                Issue.record("expected bodyTooLarge")
            } catch let error as HTTPClientError {
                #expect(error.kind == .bodyTooLarge(limit: 1000))
                #expect(error.description.contains("1000 bytes"))
            }
        }
    }

    @Test("cancelling the task ends a transfer promptly")
    func cancellation() async throws {
        try await TestServer.with { port in
            let client = HTTPClient()
            let task = Task { try await client.send(ClientRequest(url: "http://127.0.0.1:\(port)/slow")) }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            let result = await task.result
            // The handler answers "late" after 3 s; a cancelled transfer must not wait for it.
            do {
                let response = try result.get()
                Issue.record("expected a cancellation, got \(response.status) \(response.bodyText)")
            } catch let error as HTTPClientError {
                #expect(error.kind == .cancelled)
            }
        }
    }

    @Test("timings are filled in and ordered")
    func timings() async throws {
        try await TestServer.with { port in
            let response = try await HTTPClient().send(ClientRequest(url: "http://127.0.0.1:\(port)/x.json"))
            let t = response.timings
            #expect(t.total > 0)
            #expect(t.connect <= t.firstByte)
            #expect(t.firstByte <= t.total)
            #expect(response.httpVersion == "HTTP/1.1")
            #expect(response.mediaType == "application/json")
        }
    }

    /// A port nobody listens on: bind, read the port, close.
    private func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
