import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback HTTP server that answers each request exactly as its script says, byte for byte, including
/// what no well-behaved server does: cut a body short, reset the connection, drip bytes, send 10,000 headers.
///
/// Each connection gets its own thread; the request head (and a body, by Content-Length) is read, then the
/// script's `Answer` for the request's path is played. `requests` records the paths in arrival order with the
/// time they came, so a test can check how a client retried.
final class HostileServer: @unchecked Sendable {
    /// What to do with one request.
    enum Answer {
        /// Write these bytes, then close.
        case bytes([UInt8])
        /// Write these bytes, then reset the connection (RST, not FIN).
        case reset([UInt8])
        /// Write `head`, then one byte of `filler` every `interval` until the client goes away.
        case drip(head: [UInt8], interval: Duration)
    }

    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var arrivals: [(path: String, at: ContinuousClock.Instant)] = []
    private let script: @Sendable (_ path: String, _ count: Int) -> Answer

    /// Listens on 127.0.0.1 at a port the OS picks; `script` gets the path and how many times it was asked.
    init(script: @escaping @Sendable (_ path: String, _ count: Int) -> Answer) throws {
        self.script = script
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The paths asked for so far, with when.
    var requests: [(path: String, at: ContinuousClock.Instant)] { lock.withLock { arrivals } }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            Thread.detachNewThread { [self] in serve(client) }
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        while let path = readRequest(fd) {
            let count = lock.withLock {
                arrivals.append((path, .now))
                return arrivals.filter { $0.path == path }.count
            }
            switch script(path, count) {
            case .bytes(let bytes):
                write(fd, bytes)
                return
            case .reset(let bytes):
                write(fd, bytes)
                var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                return
            case .drip(let head, let interval):
                guard write(fd, head) else { return }
                while write(fd, [UInt8(ascii: " ")]) {
                    Thread.sleep(forTimeInterval: Double(interval.components.attoseconds) / 1e18 + Double(interval.components.seconds))
                }
                return
            }
        }
    }

    /// Reads one request head and its Content-Length body; returns the path, or nil when the client closed.
    private func readRequest(_ fd: Int32) -> String? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            if let range = data.firstRange(of: end) {
                let head = String(decoding: data[..<range.lowerBound], as: UTF8.self)
                let lines = head.components(separatedBy: "\r\n")
                let length =
                    lines.dropFirst().first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                var body = data.count - range.upperBound
                while body < length {
                    let n = recv(fd, &buffer, buffer.count, 0)
                    if n <= 0 { return nil }
                    body += n
                }
                let target = lines.first?.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
                return String(target.split(separator: "?", maxSplits: 1).first ?? "")
            }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { return nil }
            data += buffer[..<n]
        }
    }

    @discardableResult
    private func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    /// An HTTP/1.1 answer with a Content-Length (unless `length` is false) and `Connection: close`.
    static func answer(
        _ status: Int, _ body: [UInt8], contentType: String? = "application/json", headers: [String] = [], length: Bool = true
    ) -> [UInt8] {
        var head = ["HTTP/1.1 \(status) \(status == 200 ? "OK" : "Status")"]
        if let contentType { head.append("Content-Type: \(contentType)") }
        if length { head.append("Content-Length: \(body.count)") }
        head += headers + ["Connection: close"]
        return Array((head.joined(separator: "\r\n") + "\r\n\r\n").utf8) + body
    }
}
