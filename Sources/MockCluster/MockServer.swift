import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import JSON
import Logging
import NIOCore
import OpenAPI
import ServiceLifecycle
import Synchronization
import UnixSignals

/// The embedded mock cluster: a Hummingbird server that answers like a Determined master (reference
/// ../shared/reference/determined-master.md), started in process by `--mock` or in front by `detapi mock`.
///
/// ```swift
/// let mock = try await MockServer.start(configuration)   // port 0: a free port
/// print(mock.baseURL)                                    // http://127.0.0.1:41234
/// await mock.stop()
/// ```
public final class MockServer: Sendable {
    /// `http://host:port` once listening.
    public let baseURL: String
    public let port: Int
    private let task: Task<Void, any Error>
    private let services: ServiceGroup
    private let store: ClusterStore

    private init(baseURL: String, port: Int, task: Task<Void, any Error>, services: ServiceGroup, store: ClusterStore) {
        self.baseURL = baseURL
        self.port = port
        self.task = task
        self.services = services
        self.store = store
    }

    /// The gateway for a configuration: state loaded from `stateFile` or seeded, spec from the configuration or built in.
    static func gateway(_ configuration: MockConfiguration) throws -> MockGateway {
        let model = try configuration.spec ?? SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source)
        let hash = configuration.password.flatMap { $0.isEmpty ? nil : ClusterStore.clientHash($0) }
        var state = SeedData.state(
            seed: configuration.seed, experiments: configuration.experiments, passwordHash: hash, now: configuration.clock.now())
        if let file = configuration.stateFile, FileManager.default.fileExists(atPath: file) {
            state = try ClusterStore.load(file)
        }
        let store = ClusterStore(
            state: state, tokenLifetime: configuration.tokenLifetime, transitionDelay: configuration.transitionDelay,
            stateFile: configuration.stateFile, clock: configuration.clock, breakage: configuration.breakage)
        return MockGateway(store: store, model: model, configuration: configuration)
    }

    /// The operationIds the mock models (its route table), for docs and tests that must list them all.
    public static var modelledOperationIDs: [String] { MockGateway.routes.operationIDs }

    /// Starts listening and returns once the port is known; the server runs until `stop()`.
    public static func start(_ configuration: MockConfiguration) async throws -> MockServer {
        let gateway = try gateway(configuration)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = application(
            gateway, configuration,
            onRunning: { port in
                continuation.yield(port)
                continuation.finish()
            })
        var logger = Logger(label: "detapi-mock")
        logger.logLevel = ProcessInfo.processInfo.environment["DETAPI_MOCK_LOG"] == "trace" ? .trace : .critical
        // Run as a service so that stop() can shut down gracefully: cancelling a Hummingbird server's task
        // while a just-accepted connection is still queued trips a precondition in swift-nio.
        let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await services.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            await services.triggerGracefulShutdown()
            _ = await task.result
            if case .failure(let error) = await task.result {
                throw MockError("could not listen on \(configuration.host):\(configuration.port): \(error)")
            }
            throw MockError("could not listen on \(configuration.host):\(configuration.port)")
        }
        return MockServer(
            baseURL: "http://\(configuration.host):\(port)", port: port, task: task, services: services, store: gateway.store)
    }

    /// Runs in the foreground until SIGINT or SIGTERM; `onRunning` gets the base URL.
    public static func run(_ configuration: MockConfiguration, onRunning: @escaping @Sendable (String) -> Void) async throws {
        let gateway = try gateway(configuration)
        let app = application(gateway, configuration) { port in onRunning("http://\(configuration.host):\(port)") }
        try await app.runService(gracefulShutdownSignals: [.sigint, .sigterm])
    }

    /// Stops accepting, closes idle connections, lets requests in flight finish, and returns once stopped.
    public func stop() async {
        await store.stop()
        await services.triggerGracefulShutdown()
        _ = await task.result
    }

    private static func application(
        _ gateway: MockGateway, _ configuration: MockConfiguration, onRunning: @escaping @Sendable (Int) -> Void
    ) -> some ApplicationProtocol {
        var logger = Logger(label: "detapi-mock")
        logger.logLevel = ProcessInfo.processInfo.environment["DETAPI_MOCK_LOG"] == "trace" ? .trace : .critical
        return Application(
            responder: MockResponder(gateway: gateway, quiet: configuration.quiet),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}

/// A mock that cannot start, with the reason.
public struct MockError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Turns Hummingbird requests into `MockRequest`s and `MockResponse`s into responses with the master's headers.
struct MockResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let gateway: MockGateway
    let quiet: Bool

    static let grpcContentType = HTTPField.Name("Grpc-Metadata-Content-Type")!

    /// Whether `Accept-Encoding` offers gzip (with a q-value above 0).
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        return header.lowercased().split(separator: ",").contains { part in
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.first == "gzip" || fields.first == "*" else { return false }
            return !fields.dropFirst().contains { $0.replacingOccurrences(of: " ", with: "") == "q=0" }
        }
    }
    static let xssProtection = HTTPField.Name("X-Xss-Protection")!
    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        var path = request.uri.path.removingPercentEncoding ?? request.uri.path
        if path.hasPrefix("/api/v1/") && path.count > "/api/v1/".count && path.hasSuffix("/") { path.removeLast() }
        let query = request.uri.query ?? ""
        let body = try await request.body.collect(upTo: 16 << 20)
        var cookieToken: String?
        if let cookies = request.headers[.cookie] {
            for part in cookies.split(separator: ";") {
                let kv = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if kv.count == 2 && kv[0] == "auth" { cookieToken = String(kv[1]) }
            }
        }
        let accept = request.headers[.accept]
        let mockRequest = MockRequest(
            method: request.method.rawValue, path: path, query: query, authorization: request.headers[.authorization],
            cookieToken: cookieToken, body: Array(buffer: body),
            pretty: accept == "application/json+pretty"
                || query.split(separator: "&").contains { $0 == "pretty" || $0.hasPrefix("pretty=") },
            ifModifiedSince: request.headers[.ifModifiedSince])
        let answer = await gateway.handle(mockRequest)
        var headers = HTTPFields()
        switch answer.kind {
        case .gateway:
            headers[.contentType] = "application/json"
            headers[Self.grpcContentType] = "application/grpc"
        case .gatewayError:
            headers[.contentType] = "application/json"
        case .echo:
            headers[.contentType] = "application/json; charset=UTF-8"
        case .file(let contentType):
            headers[.contentType] = contentType
        }
        headers[Self.xssProtection] = "1; mode=block"
        headers[Self.contentTypeOptions] = "nosniff"
        headers[Self.frameOptions] = "SAMEORIGIN"
        if path.hasPrefix("/api/") { headers[.vary] = "Accept-Encoding" }
        for (name, value) in answer.headers { headers.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        if !quiet {
            let ms = (ContinuousClock.now - started).components.attoseconds / 1_000_000_000_000_000
            FileHandle.standardError.write(Data("\(request.method.rawValue) \(request.uri.path) \(answer.status) \(ms) ms\n".utf8))
        }
        let status = HTTPResponse.Status(code: answer.status)
        if request.method == .head {
            return Response(status: status, headers: headers)
        }
        if let stream = answer.stream {
            return Response(status: status, headers: headers, body: ResponseBody(asyncSequence: stream.map { ByteBuffer(bytes: $0) }))
        }
        // gzip as the master's echo middleware does it (reference §0): /api/ answers, when the client accepts gzip.
        var bytes = ByteBuffer(bytes: answer.body)
        if path.hasPrefix("/api/"), !answer.body.isEmpty, Self.acceptsGzip(request.headers[.acceptEncoding]),
            let compressed = try? bytes.compress(with: .gzip(configuration: .init(compressionLevel: .fastestCompression)))
        {
            headers[.contentEncoding] = "gzip"
            return Response(status: status, headers: headers, body: .init(byteBuffer: compressed))
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: bytes))
    }
}
