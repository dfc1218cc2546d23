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

    /// `shownBody` is the body as `Redactor.body` shows it, when the caller has it already.
    public func render(_ request: HTTPRequest, options: HTTPClientOptions = .init(), shownBody: String? = nil) -> String {
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
                words += ["--data-binary", CurlCommand.quote(shownBody ?? redactor.body(body))]
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

    /// POSIX single-quoting: `it's` → `'it'\''s'`.
    public static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
