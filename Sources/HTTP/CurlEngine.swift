import CCurl
import Foundation
import Synchronization

/// Owns one curl multi handle and the thread that drives it.
///
/// Every request of a client goes through this one multi handle, so connections, DNS answers and TLS
/// sessions are reused across requests. Callers hand over transfers from any thread; the engine thread adds
/// them to the multi handle (at most `maxConcurrent` at once, the rest wait in order), runs curl, and
/// completes each transfer when curl says it is done. Easy handles are recycled.
final class CurlEngine: @unchecked Sendable {
    private struct Shared {
        var queue: [CurlTransfer] = []
        var stopping = false
    }

    private let shared = Mutex(Shared())
    private let multi: UnsafeMutableRawPointer
    private let maxConcurrent: Int

    // Engine-thread state.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var idleHandles: [UnsafeMutableRawPointer] = []

    init(maxConcurrent: Int) {
        CurlGlobal.ensureInitialized()
        self.multi = curl_multi_init()
        self.maxConcurrent = max(1, maxConcurrent)
        _ = detapi_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, self.maxConcurrent)
        let thread = Thread { [self] in self.run() }
        thread.name = "detapi-curl"
        thread.start()
    }

    /// Queues a transfer; it starts as soon as a slot is free.
    func submit(_ transfer: CurlTransfer) {
        let accepted = shared.withLock { state -> Bool in
            guard !state.stopping else { return false }
            state.queue.append(transfer)
            return true
        }
        if accepted {
            curl_multi_wakeup(multi)
        } else {
            transfer.fail(HTTPClientError(kind: .cancelled, url: transfer.request.url, curlMessage: "client shut down"))
        }
    }

    /// Wakes the engine so it notices a cancelled transfer promptly.
    func wake() { curl_multi_wakeup(multi) }

    /// Stops the thread after failing whatever is still queued or running.
    func shutdown() {
        shared.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    private func run() {
        while true {
            let free = maxConcurrent - active.count
            let (batch, stopping) = shared.withLock { state -> ([CurlTransfer], Bool) in
                let n = min(free, state.queue.count)
                let taken = Array(state.queue.prefix(n))
                state.queue.removeFirst(n)
                return (taken, state.stopping)
            }
            if stopping {
                drain()
                return
            }
            for transfer in batch { start(transfer) }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            collectFinished()
            var ready: Int32 = 0
            curl_multi_poll(multi, nil, 0, 1000, &ready)
        }
    }

    private func start(_ transfer: CurlTransfer) {
        if transfer.cancelled.load(ordering: .relaxed) {
            transfer.fail(HTTPClientError(kind: .cancelled, url: transfer.request.url, curlMessage: "cancelled before start"))
            return
        }
        let easy = idleHandles.popLast() ?? curl_easy_init()!
        curl_easy_reset(easy)
        do {
            try transfer.configure(easy)
        } catch {
            transfer.fail(error)
            idleHandles.append(easy)
            return
        }
        active[easy] = transfer
        curl_multi_add_handle(multi, easy)
    }

    private func collectFinished() {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = detapi_msg_result(message)
            curl_multi_remove_handle(multi, easy)
            if let transfer = active.removeValue(forKey: easy) { transfer.finish(code, easy: easy) }
            idleHandles.append(easy)
        }
    }

    private func drain() {
        let queued = shared.withLock { state -> [CurlTransfer] in
            defer { state.queue.removeAll() }
            return state.queue
        }
        for transfer in queued + active.values {
            transfer.fail(HTTPClientError(kind: .cancelled, url: transfer.request.url, curlMessage: "client shut down"))
        }
        for easy in active.keys {
            curl_multi_remove_handle(multi, easy)
            curl_easy_cleanup(easy)
        }
        active.removeAll()
        for easy in idleHandles { curl_easy_cleanup(easy) }
        idleHandles.removeAll()
        curl_multi_cleanup(multi)
    }
}

/// libcurl's process-wide initialisation, done once before the first handle.
enum CurlGlobal {
    private static let initialized: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        return true
    }()

    static func ensureInitialized() { _ = initialized }

    /// The libcurl version and the libraries that matter for HTTP, e.g.
    ///
    /// "libcurl/7.88.1 OpenSSL/3.0.19 zlib/1.2.13 nghttp2/1.52.0".
    ///
    /// Read from `curl_version_info`, not `curl_version()`: the latter asks libldap for its version, which
    /// initialises SASL and loads its plugins (a few milliseconds on every start).
    static var version: String {
        guard let info = detapi_version_info() else { return "libcurl" }
        var parts = ["libcurl/" + String(cString: info.pointee.version)]
        for (prefix, text) in [
            ("", info.pointee.ssl_version), ("zlib/", info.pointee.libz_version), ("brotli/", info.pointee.brotli_version),
            ("zstd/", info.pointee.zstd_version), ("nghttp2/", info.pointee.nghttp2_version),
        ] {
            if let text { parts.append(prefix + String(cString: text)) }
        }
        return parts.joined(separator: " ")
    }
}
