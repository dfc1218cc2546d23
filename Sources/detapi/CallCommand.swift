import ArgumentParser
import Foundation
import HTTP
import JSON

/// `detapi call`: one request, answered with a pretty-printed body; the "try it out" for scripts.
struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Send one request and pretty-print the response.",
        discussion: """
            A PATH is joined to --master (or $DET_MASTER); a full http(s) URL is used as it is. The token from --token (or $DET_TOKEN) is sent as 'Authorization: Bearer'. JSON bodies are pretty-printed on stdout, anything else is written as raw bytes. Exits 0 for any HTTP answer (with --fail: 1 for 400 and above), 2 for bad input, 3 when the server cannot be reached.

            Examples:
              detapi call GET /api/v1/master --master http://127.0.0.1:8080
              detapi call POST /api/v1/auth/login \\
                  -d '{"username":"determined","password":""}'
              detapi call GET '/api/v1/experiments?limit=1' -v --curl
            """
    )

    @Argument(help: ArgumentHelp("HTTP method (GET, POST, PUT, PATCH, DELETE, HEAD, …).", valueName: "method"))
    var method: String

    @Argument(help: ArgumentHelp("A full URL, or a path joined to --master.", valueName: "url-or-path"))
    var target: String

    @Option(name: .customShort("H"), help: ArgumentHelp("Add a request header 'Name: value' (repeatable).", valueName: "header"))
    var header: [String] = []

    @Option(
        name: [.customShort("d"), .customLong("data")],
        help: ArgumentHelp("Request body; @file reads a file, @- reads stdin.", valueName: "body"))
    var data: String?

    @Flag(name: .shortAndLong, help: "Show the status line, response headers and timings on stderr.")
    var verbose = false

    @Flag(name: .long, help: "Print the equivalent curl command (secrets hidden) on stderr.")
    var curl = false

    @Flag(name: .long, help: "Write the body exactly as received, without pretty-printing.")
    var raw = false

    @Flag(name: [.customShort("f"), .long], help: "Exit 1 when the status is 400 or more (the body is still written).")
    var fail = false

    @OptionGroup(title: "Connection options") var connection: ConnectionOptions

    func validate() throws {
        guard method.allSatisfy({ $0.isLetter }) else {
            throw ValidationError("'\(method)' is not an HTTP method; try GET, POST, PUT, PATCH, DELETE or HEAD.")
        }
        for h in header where !h.contains(":") {
            throw ValidationError("header '\(h)' must look like 'Name: value'.")
        }
    }

    func run() async throws {
        var request = HTTPRequest(method: HTTPMethod(rawValue: method), url: try connection.url(for: target))
        var redactor = Redactor()
        for h in header {
            let colon = h.firstIndex(of: ":")!
            let name = h[..<colon].trimmingCharacters(in: .whitespaces)
            let value = h[h.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            request.headers.add(name, value)
        }
        if let token = connection.resolvedToken, !request.headers.contains("Authorization") {
            request.headers.add("Authorization", "Bearer \(token)")
            redactor.register(token)
        }
        if let data {
            let body = try readBody(data)
            request.body = body
            if !request.headers.contains("Content-Type") {
                let isJSON = (try? JSONDocument(parsing: body)) != nil
                request.headers.add("Content-Type", isJSON ? "application/json" : "application/octet-stream")
            }
        }
        let options = connection.clientOptions
        if curl { Console.err(CurlCommand(redactor: redactor).render(request, options: options)) }

        let client = HTTPClient(options: options)
        let response: HTTPResponse
        do {
            response = try await client.send(request)
        } catch {
            if error.kind == .invalidURL { throw CommandFailure(.usage, redactor.redact(error.description)) }
            throw CommandFailure(.transport, redactor.redact(error.description))
        }
        if let token = response.headers["Set-Cookie"].flatMap(Self.cookieValue) { redactor.register(token) }
        if verbose { printVerbose(request, response, redactor) }
        writeBody(response)
        if fail && response.status >= 400 {
            Console.err("detapi: HTTP \(response.status) from \(request.method) \(redactor.redact(request.url))")
            throw ExitCode(DetapiExit.checkFailed.rawValue)
        }
    }

    private func readBody(_ argument: String) throws -> [UInt8] {
        guard argument.hasPrefix("@") else { return Array(argument.utf8) }
        let path = String(argument.dropFirst())
        if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure.usage("-d @\(path): cannot read that file.")
        }
        return Array(data)
    }

    private func writeBody(_ response: HTTPResponse) {
        guard !response.body.isEmpty else { return }
        if !raw, let document = try? JSONDocument(parsing: response.body) {
            var text = JSONWriter(style: .pretty).bytes(document.value(at: document.root))
            text.append(0x0A)
            Console.outBytes(text)
        } else {
            Console.outBytes(response.body)
        }
    }

    private func printVerbose(_ request: HTTPRequest, _ response: HTTPResponse, _ redactor: Redactor) {
        Console.err("> \(request.method) \(redactor.redact(request.url))")
        for field in request.headers {
            Console.err("> \(field.name): \(redactor.headerValue(name: field.name, value: field.value))")
        }
        Console.err("< \(response.httpVersion) \(response.status) \(response.reason)".trimmingCharacters(in: .whitespaces))
        for field in response.headers {
            Console.err("< \(field.name): \(redactor.headerValue(name: field.name, value: field.value))")
        }
        let t = response.timings
        func ms(_ s: Double) -> String { String(format: "%.1f ms", s * 1000) }
        Console.err(
            "* timings: dns \(ms(t.dns)) · connect \(ms(t.connect)) · tls \(ms(t.tls)) · first byte \(ms(t.firstByte)) · total \(ms(t.total)) · \(response.body.count) bytes"
        )
    }

    private static func cookieValue(_ header: String) -> String? {
        guard let eq = header.firstIndex(of: "=") else { return nil }
        let rest = header[header.index(after: eq)...]
        let value = rest.prefix { $0 != ";" }
        return value.isEmpty ? nil : String(value)
    }
}
