import Synchronization

/// Sends HTTP requests through libcurl: connection reuse, many requests in flight, timeouts, TLS, timings.
///
/// One client owns one curl multi handle and a thread driving it; share a client for a whole run so every
/// request reuses its connections. Safe to use from any task.
/// ```swift
/// let client = HTTPClient()
/// let response = try await client.send(HTTPRequest(url: "http://127.0.0.1:8080/api/v1/master"))
/// ```
public final class HTTPClient: Sendable {
    public let options: HTTPClientOptions
    private let engine: CurlEngine

    public init(options: HTTPClientOptions = .init()) {
        self.options = options
        self.engine = CurlEngine(maxConcurrent: options.maxConcurrent)
    }

    deinit { engine.shutdown() }

    /// Sends one request.
    ///
    /// Throws `HTTPClientError` when no HTTP answer arrives. Any status is a response.
    /// Sends a request; `onBody`, when given, also gets each chunk of a 2xx body as it arrives (`detapi call`
    /// shows a server stream line by line), while the whole body is still collected into the response.
    public func send(_ request: HTTPRequest, onBody: (@Sendable ([UInt8]) -> Void)? = nil) async throws(HTTPClientError) -> HTTPResponse {
        let box = TransferBox()
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    let transfer = CurlTransfer(request: request, options: options, continuation: continuation, onBody: onBody)
                    box.set(transfer)
                    engine.submit(transfer)
                }
            } onCancel: {
                box.cancel()
                engine.wake()
            }
        } catch let error as HTTPClientError {
            throw error
        } catch {
            throw HTTPClientError(kind: .other(curlCode: -1), url: request.url, curlMessage: "\(error)")
        }
    }

    /// Sends all requests concurrently (bounded by `maxConcurrent`); results come back in request order.
    public func send(all requests: [HTTPRequest]) async -> [Result<HTTPResponse, HTTPClientError>] {
        await withTaskGroup(of: (Int, Result<HTTPResponse, HTTPClientError>).self) { group in
            for (index, request) in requests.enumerated() {
                group.addTask {
                    do throws(HTTPClientError) {
                        return (index, .success(try await self.send(request)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var results = [Result<HTTPResponse, HTTPClientError>?](repeating: nil, count: requests.count)
            for await (index, result) in group { results[index] = result }
            return results.map { $0! }
        }
    }

    /// The libcurl version this client runs on.
    public static var curlVersion: String { CurlGlobal.version }
}

/// Lets the cancellation handler reach a transfer created inside the continuation closure.
private final class TransferBox: Sendable {
    private let state = Mutex<(transfer: CurlTransfer?, cancelled: Bool)>((nil, false))

    func set(_ transfer: CurlTransfer) {
        let cancelled = state.withLock { s -> Bool in
            s.transfer = transfer
            return s.cancelled
        }
        if cancelled { transfer.cancelled.store(true, ordering: .relaxed) }
    }

    func cancel() {
        let transfer = state.withLock { s -> CurlTransfer? in
            s.cancelled = true
            return s.transfer
        }
        transfer?.cancelled.store(true, ordering: .relaxed)
    }
}
