import CCurl
import Synchronization

/// One request's life inside the curl engine: configures an easy handle, collects header and body bytes
/// from curl's callbacks, and resumes the waiting task exactly once.
final class CurlTransfer: @unchecked Sendable {
    let request: HTTPRequest
    let options: HTTPClientOptions
    /// Set from any thread when the waiting task is cancelled; checked by curl's progress callback.
    let cancelled = Atomic<Bool>(false)

    // Touched only on the engine thread while the transfer runs.
    private var body: [UInt8] = []
    private var headerLines: [String] = []
    private var statusLine = ""
    private var hops = 0
    private var tooLarge = false
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private var continuation: CheckedContinuation<HTTPResponse, any Error>?
    /// Gets each chunk of a 2xx body as it arrives (a server stream shown live), besides collecting it.
    private let onBody: (@Sendable ([UInt8]) -> Void)?

    init(
        request: HTTPRequest, options: HTTPClientOptions, continuation: CheckedContinuation<HTTPResponse, any Error>,
        onBody: (@Sendable ([UInt8]) -> Void)? = nil
    ) {
        self.request = request
        self.options = options
        self.continuation = continuation
        self.onBody = onBody
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    /// Sets every option on a freshly reset easy handle.
    func configure(_ easy: UnsafeMutableRawPointer) throws(HTTPClientError) {
        let me = Unmanaged.passUnretained(self).toOpaque()
        func check(_ code: CURLcode, _ what: String) throws(HTTPClientError) {
            guard code == CURLE_OK else {
                let kind: HTTPClientError.Kind =
                    code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL ? .invalidURL : .other(curlCode: Int(code.rawValue))
                throw HTTPClientError(kind: kind, url: request.url, curlMessage: "\(what): \(String(cString: curl_easy_strerror(code)))")
            }
        }
        try check(setString(easy, CURLOPT_URL, request.url), "URL")
        _ = detapi_easy_setopt_ptr(easy, CURLOPT_PRIVATE, me)
        _ = detapi_easy_setopt_ptr(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = detapi_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = setString(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = setString(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        _ = detapi_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)

        // Method and body.
        let method = request.method.rawValue
        if method == "HEAD" {
            _ = detapi_easy_setopt_long(easy, CURLOPT_NOBODY, 1)
        } else if let bytes = request.body {
            _ = detapi_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count))
            bytes.withUnsafeBytes { raw in
                _ = detapi_easy_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, raw.baseAddress ?? UnsafeRawPointer(errorBuffer))
            }
            if method != "POST" { _ = setString(easy, CURLOPT_CUSTOMREQUEST, method) }
        } else if method == "POST" {
            _ = detapi_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, 0)
            _ = setString(easy, CURLOPT_COPYPOSTFIELDS, "")
        } else if method != "GET" {
            _ = setString(easy, CURLOPT_CUSTOMREQUEST, method)
        }

        // Headers; "Expect:" stops curl from waiting for 100-continue on large bodies.
        var list: UnsafeMutablePointer<curl_slist>? = nil
        var hasUserAgent = false
        for field in request.headers {
            if field.name.caseInsensitiveEquals("User-Agent") { hasUserAgent = true }
            let line = field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)"
            list = curl_slist_append(list, line)
        }
        if !request.headers.contains("Expect") { list = curl_slist_append(list, "Expect:") }
        headerList = list
        _ = detapi_easy_setopt_ptr(easy, CURLOPT_HTTPHEADER, list)
        if !hasUserAgent { _ = setString(easy, CURLOPT_USERAGENT, options.userAgent) }

        // Callbacks.
        _ = detapi_easy_setopt_write(easy, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            return transfer.receiveBody(data, size * count)
        }
        _ = detapi_easy_setopt_ptr(easy, CURLOPT_WRITEDATA, me)
        _ = detapi_easy_setopt_write(easy, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            return transfer.receiveHeader(data, size * count)
        }
        _ = detapi_easy_setopt_ptr(easy, CURLOPT_HEADERDATA, me)
        _ = detapi_easy_setopt_xferinfo(easy) { context, _, _, _, _ in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            return transfer.cancelled.load(ordering: .relaxed) ? 1 : 0
        }
        _ = detapi_easy_setopt_ptr(easy, CURLOPT_XFERINFODATA, me)
        _ = detapi_easy_setopt_long(easy, CURLOPT_NOPROGRESS, 0)

        // Limits and behaviour.
        _ = detapi_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000))
        let total = request.timeout ?? options.timeout
        _ = detapi_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, total > 0 ? max(1, Int(total * 1000)) : 0)
        if options.acceptCompressed { _ = setString(easy, CURLOPT_ACCEPT_ENCODING, "") }
        if options.followRedirects {
            _ = detapi_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 1)
            _ = detapi_easy_setopt_long(easy, CURLOPT_MAXREDIRS, options.maxRedirects)
        }
        _ = detapi_easy_setopt_off(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(options.maxBodySize))

        // TLS and proxy.
        if let ca = options.caFile { _ = setString(easy, CURLOPT_CAINFO, ca) }
        if let cert = options.clientCertificate { _ = setString(easy, CURLOPT_SSLCERT, cert) }
        if let key = options.clientKey { _ = setString(easy, CURLOPT_SSLKEY, key) }
        if options.insecure {
            _ = detapi_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 0)
            _ = detapi_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 0)
        }
        if let proxy = options.proxy { _ = setString(easy, CURLOPT_PROXY, proxy) }
        if let noProxy = options.noProxy { _ = setString(easy, CURLOPT_NOPROXY, noProxy) }
    }

    private func setString(_ easy: UnsafeMutableRawPointer, _ option: CURLoption, _ value: String) -> CURLcode {
        value.withCString { detapi_easy_setopt_ptr(easy, option, $0) }
    }

    private func receiveBody(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard let data, count > 0 else { return 0 }
        if body.count + count > options.maxBodySize {
            tooLarge = true
            return 0
        }
        data.withMemoryRebound(to: UInt8.self, capacity: count) { chunk in
            body.append(contentsOf: UnsafeBufferPointer(start: chunk, count: count))
            if let onBody, statusLine.split(separator: " ").dropFirst().first?.hasPrefix("2") == true {
                onBody(Array(UnsafeBufferPointer(start: chunk, count: count)))
            }
        }
        return count
    }

    private func receiveHeader(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard let data else { return 0 }
        let line = data.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }.trimmingSpaces()
        if line.hasPrefix("HTTP/") {
            // A new response block (after a redirect or a 100 Continue): start over.
            statusLine = line
            headerLines.removeAll()
            hops += 1
        } else if !line.isEmpty {
            headerLines.append(line)
        }
        return count
    }

    /// Called by the engine when curl reports the transfer done.
    func finish(_ code: CURLcode, easy: UnsafeMutableRawPointer) {
        guard code == CURLE_OK else {
            fail(error(for: code))
            return
        }
        var status = 0
        _ = detapi_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        var redirects = 0
        _ = detapi_easy_getinfo_long(easy, CURLINFO_REDIRECT_COUNT, &redirects)
        var connects = 0
        _ = detapi_easy_getinfo_long(easy, CURLINFO_NUM_CONNECTS, &connects)
        var urlPointer: UnsafeMutablePointer<CChar>? = nil
        _ = detapi_easy_getinfo_str(easy, CURLINFO_EFFECTIVE_URL, &urlPointer)
        func seconds(_ info: CURLINFO) -> Double {
            var micros: curl_off_t = 0
            _ = detapi_easy_getinfo_off(easy, info, &micros)
            return Double(micros) / 1_000_000
        }
        let timings = HTTPTimings(
            dns: seconds(CURLINFO_NAMELOOKUP_TIME_T), connect: seconds(CURLINFO_CONNECT_TIME_T),
            tls: seconds(CURLINFO_APPCONNECT_TIME_T), firstByte: seconds(CURLINFO_STARTTRANSFER_TIME_T),
            total: seconds(CURLINFO_TOTAL_TIME_T))
        var headers = HTTPHeaders()
        for line in headerLines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.add(String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingSpaces())
        }
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        let version = parts.first.map(String.init) ?? "HTTP/1.1"
        let reason = parts.count > 2 ? String(parts[2]) : ""
        let response = HTTPResponse(
            status: status, httpVersion: version, reason: reason, headers: headers, body: body,
            effectiveURL: urlPointer.map { String(cString: $0) } ?? request.url, timings: timings,
            newConnections: connects, redirects: redirects)
        continuation?.resume(returning: response)
        continuation = nil
    }

    func fail(_ error: HTTPClientError) {
        continuation?.resume(throwing: error)
        continuation = nil
    }

    private func error(for code: CURLcode) -> HTTPClientError {
        var message = String(cString: errorBuffer)
        if message.isEmpty { message = String(cString: curl_easy_strerror(code)) }
        let kind: HTTPClientError.Kind
        switch code {
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT: kind = .invalidURL
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: kind = .couldNotResolveHost
        case CURLE_COULDNT_CONNECT: kind = .connectionRefused
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ISSUER_ERROR:
            kind = .tlsFailure
        case CURLE_TOO_MANY_REDIRECTS: kind = .tooManyRedirects
        case CURLE_FILESIZE_EXCEEDED: kind = .bodyTooLarge(limit: options.maxBodySize)
        case CURLE_WRITE_ERROR where tooLarge: kind = .bodyTooLarge(limit: options.maxBodySize)
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE: kind = .connectionLost
        case CURLE_ABORTED_BY_CALLBACK: kind = .cancelled
        default: kind = .other(curlCode: Int(code.rawValue))
        }
        var error = HTTPClientError(kind: kind, url: request.url, curlMessage: message)
        error.withoutClientCertificate = request.url.lowercased().hasPrefix("https://") && options.clientCertificate == nil
        return error
    }
}
