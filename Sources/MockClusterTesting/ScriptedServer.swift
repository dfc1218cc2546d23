import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A small in-process HTTP server for tests of APIs other than Determined's.
///
/// Every request goes to one closure, which answers as the API under test does (an apiKey it wants in a header, a base path, HTML error pages,
/// POST-only gateways). It listens on 127.0.0.1 at a port the OS picks and records every request.
///
/// ```swift
/// try await withScriptedServer { request in
///     request.headers["Authorization"] == "token SECRET" ? .json(200, #"{"ok":true}"#) : .text(403, "no")
/// } run: { server in … server.baseURL … server.requests … }
/// ```
public final class ScriptedServer: Sendable {
    /// One request as the server saw it.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// The query string, without the `?`.
        public var query: String
        /// Header names lowercased.
        public var headers: [String: String]
        public var body: [UInt8]

        /// The first value of a query parameter, percent-decoded.
        public func query(_ name: String) -> String? {
            for pair in query.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.first.map(String.init) == name {
                    return parts.count > 1 ? String(parts[1]).removingPercentEncoding ?? String(parts[1]) : ""
                }
            }
            return nil
        }

        public func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    /// An answer: status, headers and body.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]

        public init(_ status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        public static func json(_ status: Int, _ text: String) -> Answer {
            Answer(status, headers: [("Content-Type", "application/json")], body: Array(text.utf8))
        }

        public static func text(_ status: Int, _ text: String, type: String = "text/plain") -> Answer {
            Answer(status, headers: [("Content-Type", type)], body: Array(text.utf8))
        }
    }

    public let baseURL: String
    private let log: RequestLog
    private let task: Task<Void, any Error>
    private let services: ServiceGroup

    /// The requests received so far, in order.
    public var requests: [Request] { log.all }

    fileprivate init(baseURL: String, log: RequestLog, task: Task<Void, any Error>, services: ServiceGroup) {
        self.baseURL = baseURL
        self.log = log
        self.task = task
        self.services = services
    }

    fileprivate func stop() async {
        await services.triggerGracefulShutdown()
        _ = await task.result
    }
}

/// Runs `body` with a live `ScriptedServer` answering through `answer`, then stops it (also when `body` throws).
public func withScriptedServer<T: Sendable>(
    _ answer: @escaping @Sendable (ScriptedServer.Request) -> ScriptedServer.Answer, run body: (ScriptedServer) async throws -> T
) async throws -> T {
    let log = RequestLog()
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    var logger = Logger(label: "scripted-server")
    logger.logLevel = .critical
    let app = Application(
        responder: ScriptedResponder(answer: answer, log: log),
        configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
        onServerRunning: { channel in
            continuation.yield(channel.localAddress?.port ?? 0)
            continuation.finish()
        },
        logger: logger)
    let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
    let task = Task { try await services.run() }
    var iterator = ports.makeAsyncIterator()
    let port = await iterator.next() ?? 0
    let server = ScriptedServer(baseURL: "http://127.0.0.1:\(port)", log: log, task: task, services: services)
    do {
        let value = try await body(server)
        await server.stop()
        return value
    } catch {
        await server.stop()
        throw error
    }
}

private struct ScriptedResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let answer: @Sendable (ScriptedServer.Request) -> ScriptedServer.Answer
    let log: RequestLog

    func respond(to request: Hummingbird.Request, context: BasicRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let seen = ScriptedServer.Request(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "", headers: headers,
            body: Array(buffer: body))
        log.append(seen)
        let a = answer(seen)
        var fields = HTTPFields()
        for (name, value) in a.headers { if let n = HTTPField.Name(name) { fields.append(HTTPField(name: n, value: value)) } }
        return Response(
            status: HTTPResponse.Status(code: a.status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: a.body)))
    }
}

/// The requests a `ScriptedServer` received, shared between its responder and the test.
final class RequestLog: Sendable {
    private let entries = Mutex<[ScriptedServer.Request]>([])
    var all: [ScriptedServer.Request] { entries.withLock { $0 } }
    func append(_ r: ScriptedServer.Request) { entries.withLock { $0.append(r) } }
}
