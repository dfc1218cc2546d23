import Foundation
import JSON
import OpenAPI
import Synchronization

/// Answers one request as a Determined master would: echo routes, then the gateway (route → path
/// parameters → query → body → authentication → handler), then spec-driven answers for unmodeled operations.
final class MockGateway: Sendable {
    let store: ClusterStore
    let model: APIModel
    let sampler: SchemaSampler
    let faults: FaultInjector
    let configuration: MockConfiguration
    private let driftCounter = Atomic<Int>(0)
    private let sampledOnce = Mutex<Set<String>>([])
    /// The spec file as a master serves it (the spec as read, before overlays), and when it "changed".
    let specFile: [UInt8]
    let specModified: Date
    private enum RenderedPage: Sendable {
        case notYet
        case done([UInt8]?)
    }
    private let renderedPage = Mutex<RenderedPage>(.notYet)

    /// The REST API page, rendered on first use.
    private func docsPage() -> [UInt8]? {
        if case .done(let page) = renderedPage.withLock({ $0 }) { return page }
        let page = configuration.docsPage?(model)
        renderedPage.withLock { $0 = .done(page) }
        return page
    }

    init(store: ClusterStore, model: APIModel, configuration: MockConfiguration) {
        self.store = store
        self.model = model
        self.sampler = SchemaSampler(schemas: model.schemas)
        self.faults = FaultInjector(
            latency: configuration.latency, failRate: configuration.failRate, drift: configuration.drift, seed: configuration.seed)
        self.configuration = configuration
        self.specFile = JSONWriter(style: .pretty(indent: 2)).bytes(model.originalDocument ?? model.document) + [0x0A]
        // Whole seconds, as HTTP dates carry them.
        self.specModified = Date(timeIntervalSince1970: configuration.clock.now().timeIntervalSince1970.rounded(.down))
    }

    func handle(_ request: MockRequest) async -> MockResponse {
        let isInfo = request.path == "/info"
        if !isInfo || configuration.faultInfo {
            await faults.delay()
            if let failure = faults.failure(method: request.method, path: request.path, query: request.query) { return failure }
        }
        if let inject = configuration.injectUnavailable, inject(request.method, request.path) { return FaultInjector.unavailable() }
        var response: MockResponse
        do {
            response = try await dispatch(request)
        } catch {
            response = .error(error)
        }
        if configuration.drift, response.status == 200, response.kind == .gateway, !request.path.hasSuffix("/login"),
            let value = try? JSONValue(parsing: response.body)
        {
            let n = driftCounter.add(1, ordering: .relaxed).newValue
            response.body = JSONWriter().bytes(FaultInjector.drift(value, counter: n))
        }
        // Which answers are modelled and which are samples of the spec's schema (the mock's own header).
        if !response.headers.contains(where: { $0.0 == Self.sampledHeader }) { response.headers.append((Self.sampledHeader, "modelled")) }
        if request.pretty, response.kind == .gateway, let value = try? JSONValue(parsing: response.body) {
            response.body = JSONWriter(style: .pretty(indent: 4)).bytes(value)
        }
        return response
    }

    private func dispatch(_ request: MockRequest) async throws(GatewayError) -> MockResponse {
        if let served = servedFile(request) { return served }
        if request.path == "/info" {
            guard request.method == "GET" else {
                return MockResponse(status: 405, body: Array("{\"message\":\"Method Not Allowed\"}\n".utf8), kind: .echo)
            }
            var body = JSONWriter().bytes(await store.infoJSON(version: configuration.version))
            body.append(0x0A)
            return MockResponse(status: 200, body: body, kind: .echo)
        }
        if request.path == "/health", request.method == "GET" {
            // The echo route's HealthCheck: the database and the one resource manager are up.
            let body = #"{"database":"up","resource_managers":[{"cluster_name":"default","status":"up"}],"status":"up"}"#
            return MockResponse(status: 200, body: Array((body + "\n").utf8), kind: .echo)
        }
        guard request.path.hasPrefix("/api/v1/") else {
            if let op = model.operation(method: request.method, path: request.path) {
                // A sample of the spec's answer, like any operation the mock does not model.
                var response = try await echoRoute(op, request)
                response.headers.append((Self.sampledHeader, "sampled"))
                return response
            }
            let body = "{\"message\":\"api not found: \(request.method) \(request.path)\"}\n"
            return MockResponse(status: 404, body: Array(body.utf8), kind: .echo)
        }
        let segments = request.path.dropFirst("/api/v1/".count).split(separator: "/", omittingEmptySubsequences: false)
        if let last = segments.last, last.contains(":") { throw .notImplemented }
        guard let (route, variables) = Self.routes.match(method: request.method, segments) else {
            return try await generic(request)
        }
        // The spec's operation for this path, looked up once: a path the spec routes to another operation than the
        // table's (`/users/setting` is not GetUser's `{userId}`) is that one's, and a GET's other fields are parsed by it.
        let specOperation = variables.isEmpty && request.method != "GET" ? nil : model.operation(method: request.method, path: request.path)
        if !variables.isEmpty, let op = specOperation, op.id != route.operationID {
            return try await generic(request)
        }
        // The query is parsed once, for the handler and for the spec's check of the fields it does not read.
        let query = request.method == "GET" || route.reads.contains(.query) ? try QueryParameters(request.query) : nil
        let response = try await call(route, variables: variables, request, query: query)
        // Fields the handler does not read are still parsed by the gateway: a bad one is a 400 all the same.
        if request.method == "GET", let op = specOperation, let query {
            try SpecParameterCheck.check(op, query: query)
        }
        return response
    }

    /// The header that says whether an answer is modelled or a sample.
    static let sampledHeader = "X-Detapi-Mock"

    /// An unmodeled operation of the loaded spec: security enforced, then a deterministic valid sample, marked
    /// `X-Detapi-Mock: sampled`; the first answer of each such operation is logged unless the mock is quiet.
    func generic(_ request: MockRequest) async throws(GatewayError) -> MockResponse {
        guard let op = model.operation(method: request.method, path: request.path) else { throw .notImplemented }
        // Its errors (a bad parameter, no login, an object the mock does not have) say so too.
        var response: MockResponse
        do {
            response = try await sample(op, request)
        } catch {
            response = .error(error)
        }
        response.headers.append((Self.sampledHeader, "sampled"))
        if !configuration.quiet, sampledOnce.withLock({ $0.insert(op.id).inserted }) {
            FileHandle.standardError.write(
                Data("mock: \(op.id) is not modelled; answering a sample of its schema (X-Detapi-Mock: sampled)\n".utf8))
        }
        return response
    }

    private func sample(_ op: OpenAPI.Operation, _ request: MockRequest) async throws(GatewayError) -> MockResponse {
        // The gateway decodes the body into the request message first, whether or not the route is modelled here.
        if let schema = op.requestBody?.schema {
            let message = model.resolvingLocalReference(schema)
            if message["type"]?.stringValue == "object" || message["properties"] != nil { _ = try decodedBody(op, request) }
        }
        try SpecParameterCheck.check(op, path: request.path)
        try SpecParameterCheck.check(op, query: try QueryParameters(request.query))
        if op.requiresAuthentication(global: model.globalSecurity) {
            _ = try await store.authenticate(authorization: request.authorization, cookie: request.cookieToken)
        }
        // An object the path names that the mock keeps and does not have is the gateway's 404, not a sample.
        let objects = await pathObjects(op, path: request.path)
        for case .missing(let error) in objects.map(\.known) { throw error }
        guard let node = op.response(for: 200)?.schemaNode else { return .empty }
        var hash: UInt64 = 1469598103934665603
        for b in op.id.utf8 { hash = (hash ^ UInt64(b)) &* 1099511628211 }
        // A server stream (`{result, error}`): a few result lines, as grpc-gateway writes them.
        if let schema = op.response(for: 200)?.schema, Set(schema["properties"]?.objectValue?.keys ?? []) == ["result", "error"],
            let resultNode = model.schemas.child(of: node, property: "result")
        {
            var body: [UInt8] = []
            for n in 0..<3 {
                body += JSONWriter().bytes(["result": sampler.sample(resultNode, seed: hash &+ configuration.seed &+ UInt64(n))]) + [0x0A]
            }
            return MockResponse(status: 200, body: body, kind: .gateway)
        }
        let sample = sampler.sample(node, seed: hash &+ configuration.seed)
        return .ok(GenericAnswer.shape(sample, objects: objects, query: try QueryParameters(request.query)))
    }

    /// The path's values by parameter, typed as the spec declares them, with the object each names.
    private func pathObjects(_ op: OpenAPI.Operation, path: String) async -> [GenericAnswer.PathObject] {
        let template = op.path.split(separator: "/", omittingEmptySubsequences: false)
        let actual = path.split(separator: "/", omittingEmptySubsequences: false)
        guard template.count == actual.count else { return [] }
        var objects: [GenericAnswer.PathObject] = []
        for i in template.indices where template[i].hasPrefix("{") && template[i].hasSuffix("}") {
            let name = String(template[i].dropFirst().dropLast())
            let text = actual[i].removingPercentEncoding ?? String(actual[i])
            let parameter = op.parameters.first { $0.location == .path && $0.name == name }
            let value: JSONValue =
                parameter?.type == "integer" ? (GoInt.parse(text).map { .number(JSONNumber($0)) } ?? .string(text)) : .string(text)
            let kind = ClusterStore.objectKind(parameter: name, previousSegment: i > 0 ? String(template[i - 1]) : "")
            let lowered = name.lowercased()
            let field = lowered.hasSuffix("uuid") ? "uuid" : lowered.hasSuffix("name") ? (kind == "user" ? "username" : "name") : "id"
            var known = KnownObject.untracked
            if let kind { known = await store.lookup(kind: kind, text) }
            objects.append(GenericAnswer.PathObject(parameter: name, value: value, owner: kind, field: field, known: known))
        }
        return objects
    }

    /// The master's own files (reference §16): its spec at `/api/v1/api.swagger.json` and
    /// `/docs/rest-api/api.swagger.json`, and the REST API page at `/docs/rest-api/` with its verdict service;
    /// no authentication.
    private func servedFile(_ request: MockRequest) -> MockResponse? {
        let get = request.method == "GET" || request.method == "HEAD"
        switch request.path {
        case "/api/v1/api.swagger.json" where request.method == "GET", "/docs/rest-api/api.swagger.json" where get:
            let modified = Timestamp.httpDate(specModified)
            if let since = request.ifModifiedSince.flatMap(Timestamp.parseHTTPDate), since >= specModified {
                return MockResponse(
                    status: 304, body: [], kind: .file(contentType: "application/json"), headers: [("Last-Modified", modified)])
            }
            return MockResponse(
                status: 200, body: specFile, kind: .file(contentType: "application/json"),
                headers: [("Last-Modified", modified), ("Accept-Ranges", "bytes")])
        case "/docs/rest-api/verdict" where request.method == "POST":
            guard let check = configuration.docsVerdict else {
                return MockResponse(status: 404, body: Array("{\"message\":\"Not Found\"}\n".utf8), kind: .echo)
            }
            let (status, body) = check(model, request.body)
            return MockResponse(status: status, body: body, kind: .file(contentType: "application/json"))
        case "/docs/rest-api" where get:
            return MockResponse(
                status: 301, body: [], kind: .file(contentType: "text/html; charset=utf-8"), headers: [("Location", "/docs/rest-api/")])
        case "/docs/rest-api/" where get, "/docs/rest-api/index.html" where get:
            guard let page = docsPage() else {
                return MockResponse(status: 404, body: Array("{\"message\":\"Not Found\"}\n".utf8), kind: .echo)
            }
            return MockResponse(status: 200, body: page, kind: .file(contentType: "text/html; charset=utf-8"))
        default:
            return nil
        }
    }

    /// TrialLogs as grpc-gateway streams it (reference §18.5): one `{"result": …}` line per log line, flushed.
    ///
    /// `follow=true` keeps the stream open until the trial is terminal or the client goes away. An error before
    /// the first line gets its HTTP status with the stream-error body; a test's `streamErrorAfter` ends the
    /// stream with an unterminated `{"error": …}` object after that many lines.
    func logStream(trialID: Int, _ query: QueryParameters) async throws(GatewayError) -> MockResponse {
        let follow = try query.goBool("follow") ?? false
        let lines: [JSONValue]
        let running: Bool
        do {
            (lines, running) = try await store.trialLogs(id: trialID, query)
        } catch {
            let body = Self.streamError(code: error.code, message: error.message)
            return MockResponse(status: error.code.httpStatus, body: body, kind: .file(contentType: "application/json"))
        }
        let store = self.store
        let failAfter = configuration.streamErrorAfter
        let stream = AsyncStream<[UInt8]> { continuation in
            let producer = Task {
                for (n, line) in lines.enumerated() {
                    if let failAfter, n == failAfter {
                        continuation.yield(Self.streamError(code: .unknown, message: "log stream interrupted"))
                        continuation.finish()
                        return
                    }
                    continuation.yield(JSONWriter().bytes(["result": line]) + [0x0A])
                }
                if follow && running {
                    while !Task.isCancelled, await store.trialRunning(trialID) {
                        try? await Task.sleep(for: .milliseconds(100))
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in producer.cancel() }
        }
        var response = MockResponse(status: 200, body: [], kind: .gateway)
        response.stream = stream
        return response
    }

    /// `{"error":{"grpcCode":N,"httpCode":H,"message":…,"httpStatus":…,"details":[]}}`, no trailing newline.
    static func streamError(code: GatewayError.Code, message: String) -> [UInt8] {
        let status = code.httpStatus
        let text = HTTPStatusText.of(status)
        return JSONWriter().bytes(
            MockJSON.object([
                (
                    "error",
                    MockJSON.object([
                        ("grpcCode", MockJSON.int(code.rawValue)), ("httpCode", MockJSON.int(status)), ("message", .string(message)),
                        ("httpStatus", .string(text)), ("details", .array([])),
                    ])
                )
            ]))
    }

    /// An echo route the spec documents (`/health`, `/resources/allocation/…`, file downloads): a sample of its
    /// 200 answer in its first documented media type; errors in echo's `{"message": …}` shape (reference §20 row 11).
    private func echoRoute(_ op: OpenAPI.Operation, _ request: MockRequest) async throws(GatewayError) -> MockResponse {
        func echoError(_ status: Int, _ message: String) -> MockResponse {
            MockResponse(status: status, body: JSONWriter().bytes(["message": .string(message)]) + [0x0A], kind: .echo)
        }
        do {
            try SpecParameterCheck.check(op, path: request.path)
            try SpecParameterCheck.check(op, query: try QueryParameters(request.query))
        } catch {
            return echoError(400, error.message)
        }
        if op.requiresAuthentication(global: model.globalSecurity) {
            do {
                _ = try await store.authenticate(authorization: request.authorization, cookie: request.cookieToken)
            } catch {
                return echoError(401, "Unauthorized")
            }
        }
        guard let documented = op.response(for: 200), let node = documented.schemaNode else {
            return MockResponse(status: 200, body: [], kind: .file(contentType: "text/plain; charset=utf-8"))
        }
        let value = sampler.sample(node, seed: configuration.seed)
        let media = documented.mediaTypes.first ?? "application/json"
        if media.contains("json") {
            return MockResponse(status: 200, body: JSONWriter().bytes(value) + [0x0A], kind: .echo)
        }
        let text = value.stringValue ?? JSONWriter().string(value)
        return MockResponse(status: 200, body: Array(text.utf8), kind: .file(contentType: media))
    }

    // MARK: bodies, decoded as golang/protobuf jsonpb does (unknown fields ignored, empty body allowed)

    /// The body as the gateway decodes it into the request message, before any handler runs: a JSON object whose
    /// every field has the type `op`'s body schema gives it (modelled and sampled operations alike).
    func decodedBody(_ op: OpenAPI.Operation?, _ request: MockRequest) throws(GatewayError) -> JSONValue {
        let body = try Self.jsonBody(request.body)
        if let op { try SpecParameterCheck.check(op, body: body, model: model) }
        return body
    }

    static func jsonBody(_ bytes: [UInt8]) throws(GatewayError) -> JSONValue {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .object(JSONObject()) }
        do {
            let value = try JSONValue(parsing: bytes)
            guard case .object = value else {
                throw GatewayError(
                    .invalidArgument, "json: cannot unmarshal \(value.typeName) into Go value of type map[string]json.RawMessage")
            }
            return value
        } catch let error as GatewayError {
            throw error
        } catch let error as JSONParseError {
            switch error.kind {
            case .unexpectedEnd, .unterminatedString: throw GatewayError(.invalidArgument, "unexpected EOF")
            case .unexpectedCharacter(let c, _):
                throw GatewayError(.invalidArgument, "invalid character '\(String(UnicodeScalar(c)))' looking for beginning of value")
            default: throw GatewayError(.invalidArgument, "invalid character in JSON body: \(error.message)")
            }
        } catch {
            throw GatewayError(.invalidArgument, "\(error)")
        }
    }

    static func string(_ body: JSONValue, _ key: String) throws(GatewayError) -> String {
        guard let v = body[key], !v.isNull else { return "" }
        guard let s = v.stringValue else {
            throw GatewayError(.invalidArgument, "json: cannot unmarshal \(v.typeName) into Go value of type string")
        }
        return s
    }

    /// An int32 field given as a number or a string, as jsonpb takes it; 0 when absent.
    static func int(_ body: JSONValue, _ keys: String...) throws(GatewayError) -> Int {
        for key in keys {
            guard let v = body[key], !v.isNull else { continue }
            guard let n = v.intValue ?? v.stringValue.flatMap({ Int($0) }), n >= Int(Int32.min), n <= Int(Int32.max) else {
                throw GatewayError(.invalidArgument, "json: cannot unmarshal \(v.typeName) into Go value of type int32")
            }
            return n
        }
        return 0
    }

    /// A repeated int32 field (`experimentIds`), each given as a number or a string; empty when absent.
    static func ints(_ body: JSONValue, _ keys: String...) throws(GatewayError) -> [Int] {
        var out: [Int] = []
        for v in keys.lazy.compactMap({ body[$0]?.arrayValue }).first ?? [] {
            guard let n = v.intValue ?? v.stringValue.flatMap({ Int($0) }) else {
                throw GatewayError(.invalidArgument, "json: cannot unmarshal \(v.typeName) into Go value of type int32")
            }
            out.append(n)
        }
        return out
    }

    static func bool(_ body: JSONValue, _ keys: String...) throws(GatewayError) -> Bool {
        for key in keys {
            guard let v = body[key], !v.isNull else { continue }
            guard let b = v.boolValue else {
                throw GatewayError(.invalidArgument, "json: cannot unmarshal \(v.typeName) into Go value of type bool")
            }
            return b
        }
        return false
    }
}

extension QueryParameters {
    static let empty: QueryParameters = try! QueryParameters("")
}
