import Foundation

/// Renders a request as a `curl` command line a person can paste into a shell to repeat it.
///
/// Values are single-quoted for POSIX shells. Secrets are never printed: a bearer token becomes
/// `"Authorization: Bearer $DET_TOKEN"` (so the line still works where that variable is set), other
/// sensitive headers and registered secret values become `***`.
/// ```
/// curl -X POST 'http://127.0.0.1:8080/api/v1/auth/login' -H 'Content-Type: application/json' --data-binary '{"username":"determined","password":"***"}'
/// ```
public struct CurlCommand: Sendable {
    public var redactor: Redactor
    /// Bodies longer than this are replaced by `--data-binary @body.bin` and a note.
    public var maxInlineBody = 64 * 1024

    public init(redactor: Redactor = Redactor()) { self.redactor = redactor }

    public func render(_ request: HTTPRequest, options: HTTPClientOptions = .init()) -> String {
        var words = ["curl"]
        let method = request.method.rawValue
        if method == "HEAD" {
            words.append("--head")
        } else if method != "GET" && !(method == "POST" && request.body != nil) {
            words += ["-X", method]
        }
        words.append(CurlCommand.quote(redactor.redact(request.url)))
        for field in request.headers {
            if field.name.caseInsensitiveEquals("Authorization"), field.value.hasPrefix("Bearer ") {
                words += ["-H", "\"Authorization: Bearer $DET_TOKEN\""]
                continue
            }
            let value = redactor.headerValue(name: field.name, value: field.value)
            words += ["-H", CurlCommand.quote(value.isEmpty ? "\(field.name);" : "\(field.name): \(value)")]
        }
        if let body = request.body {
            if body.count > maxInlineBody || String(validating: body, as: UTF8.self) == nil {
                words += ["--data-binary", "@body.bin"]
            } else {
                words += ["--data-binary", CurlCommand.quote(redactedBody(body))]
            }
        } else if method == "POST" {
            words += ["--data-binary", "''"]
        }
        if options.acceptCompressed { words.append("--compressed") }
        if options.followRedirects { words += ["-L", "--max-redirs", String(options.maxRedirects)] }
        if options.insecure { words.append("--insecure") }
        if let ca = options.caFile { words += ["--cacert", CurlCommand.quote(ca)] }
        if let cert = options.clientCertificate { words += ["--cert", CurlCommand.quote(cert)] }
        if let key = options.clientKey { words += ["--key", CurlCommand.quote(key)] }
        if let proxy = options.proxy { words += ["--proxy", CurlCommand.quote(redactor.redact(proxy))] }
        return words.joined(separator: " ")
    }

    /// A body as it may be shown: registered secrets masked, and the string values of secret-named JSON fields.
    public func redactedBody(_ body: [UInt8]) -> String {
        redactor.redact(SecretFieldMasker.mask(String(decoding: body, as: UTF8.self)))
    }

    /// POSIX single-quoting: `it's` → `'it'\''s'`.
    public static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Masks the string values of JSON members whose names mark secrets, without reformatting the text.
enum SecretFieldMasker {
    static func mask(_ text: String) -> String {
        guard text.contains("\"") else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        var lastKey: String? = nil
        while i < bytes.count {
            let b = bytes[i]
            guard b == 0x22 else {
                out.append(b)
                if b != 0x20 && b != 0x3A && b != 0x0A && b != 0x09 && b != 0x0D { lastKey = nil }
                i += 1
                continue
            }
            // A string literal from i to its closing quote.
            var j = i + 1
            while j < bytes.count && bytes[j] != 0x22 { j += bytes[j] == 0x5C ? 2 : 1 }
            let end = min(j, bytes.count - 1)
            let content = String(decoding: bytes[(i + 1)..<max(i + 1, end)], as: UTF8.self)
            var k = end + 1
            while k < bytes.count && (bytes[k] == 0x20 || bytes[k] == 0x09) { k += 1 }
            let isKey = k < bytes.count && bytes[k] == 0x3A
            if !isKey, let key = lastKey, Redactor.isSecretName(key), !content.isEmpty {
                out.append(contentsOf: Array("\"\(Redactor.mask)\"".utf8))
            } else {
                out.append(contentsOf: bytes[i...end])
            }
            lastKey = isKey ? content : nil
            i = end + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
