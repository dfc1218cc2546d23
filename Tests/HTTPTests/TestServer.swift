import Foundation
import HTTPTypes
import Hummingbird
import JSON
import Logging
import NIOCore
import ServiceLifecycle

/// A real HTTP server on 127.0.0.1 with an OS-chosen port, with the handlers the client tests need.
enum TestServer {
    static let gzippedJSON = Array(Data(base64Encoded: "H4sIAAAAAAACA6tWykjNyclXslJKr8osUNJRylOyijbUMdIxjq0FAIVgmmIcAAAA")!)
    static let gzippedJSONText = #"{"hello":"gzip","n":[1,2,3]}"#

    static func router() -> Router<BasicRequestContext> {
        let router = Router()
        // Echo: describes the request as JSON (method, uri, headers, body as text and length).
        router.on("/echo", method: .get, use: echo)
        for method in [HTTPRequest.Method.post, .put, .patch, .delete, .head, .options] {
            router.on("/echo", method: method, use: echo)
        }
        // Raw: answers with exactly the request body.
        router.post("/raw") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 64 << 20)
            return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: body))
        }
        router.get("/bytes") { request, _ -> Response in
            let n = request.uri.queryParameters.get("n", as: Int.self) ?? 0
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "a"), count: n)))
        }
        router.get("/gzip") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/json", .contentEncoding: "gzip"],
                body: .init(byteBuffer: ByteBuffer(bytes: gzippedJSON)))
        }
        router.get("/multi") { _, _ -> Response in
            var headers = HTTPFields()
            headers.append(HTTPField(name: HTTPField.Name("X-Multi")!, value: "one"))
            headers.append(HTTPField(name: HTTPField.Name("X-Multi")!, value: "two"))
            return Response(status: .ok, headers: headers)
        }
        router.get("/redirect") { _, _ -> Response in
            Response(status: .found, headers: [.location: "/echo"])
        }
        router.get("/loop") { _, _ -> Response in
            Response(status: .found, headers: [.location: "/loop"])
        }
        router.get("/slow") { _, _ -> String in
            try await Task.sleep(for: .seconds(3))
            return "late"
        }
        router.get("/x.json") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"id":1,"name":"x","tags":["a","b"],"nested":{"ok":true,"n":null}}"#)))
        }
        return router
    }

    @Sendable static func echo(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 << 20)
        var headers = JSONObject()
        for field in request.headers {
            let name = field.name.canonicalName
            let existing = headers[name]?.arrayValue ?? []
            headers[name] = .array(existing + [.string(field.value)])
        }
        let description: JSONValue = .object(
            JSONObject([
                .init(key: "method", value: .string(request.method.rawValue)),
                .init(key: "uri", value: .string(request.uri.description)),
                .init(key: "headers", value: .object(headers)),
                .init(key: "body", value: .string(String(buffer: body))),
                .init(key: "length", value: .number(JSONNumber(body.readableBytes))),
            ]))
        let bytes = JSONWriter().bytes(description)
        return Response(
            status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Runs `body` with the port of a live server, then shuts the server down.
    static func with<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "test-server")
        logger.logLevel = .critical
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger
        )
        // Stopped gracefully: cancelling a Hummingbird server's task can trap in swift-nio when a connection
        // was just accepted.
        let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await services.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            let port = await iterator.next() ?? 0
            do {
                let result = try await body(port)
                await services.triggerGracefulShutdown()
                return result
            } catch {
                await services.triggerGracefulShutdown()
                throw error
            }
        }
    }
}
