import ArgumentParser
import Foundation
import HTTP
import Harness
import JSON
import OpenAPI
import Reports
import Synchronization

/// `detapi call`: one request by operationId or `METHOD path`, checked against the spec; the "try it out"
/// for scripts.
struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Send one request, print the response, and check it against the spec.",
        discussion: """
            Name an operation and give its parameters as name=value (typed by the spec; repeat a name for an array), or give a method and a path or URL. Either way the request is checked against the spec before it is sent (parameter types, the body against the request schema) and the answer checked as in 'detapi run': the body goes to stdout (JSON pretty-printed), the verdict to stderr. The token from --token (or $DET_TOKEN) is sent as 'Authorization: Bearer'; without one, an operation that needs a token logs in first as $DET_USER/$DET_PASS (determined with a blank password by default), as 'run' does.

            Exits 0 when the answer is a 2xx that conforms to the spec, 1 when the status is not a 2xx or the answer breaks the spec (with --no-validate: 0 for any answer, or 1 with --fail for HTTP 400 and above), 2 for bad input such as a body that is not JSON or breaks the request schema (nothing sent), 3 when the server cannot be reached.

            Examples:
              detapi call GetExperiments archived=true limit=1
              detapi call GetExperiment experimentId=7 -v
              detapi call Login -d '{"username":"determined","password":""}'
              detapi call GET /api/v1/master --master http://127.0.0.1:8080
              detapi call GET '/api/v1/experiments?limit=1' --curl
            """
    )

    @Argument(
        help: ArgumentHelp(
            "OPERATION [name=value ...], or METHOD URL-or-path.", valueName: "operation-or-method"))
    var words: [String] = []

    @Option(
        name: [.customShort("d"), .customLong("data")],
        help: ArgumentHelp("Request body; @file reads a file, @- reads stdin.", valueName: "body"))
    var data: String?

    @Flag(name: .customLong("raw-body"), help: "Send the -d body as the bytes given, without checking it is JSON.")
    var rawBody = false

    @Option(name: .customLong("content-type"), help: ArgumentHelp("The Content-Type of a --raw-body body.", valueName: "type"))
    var contentType: String?

    @Flag(name: .shortAndLong, help: "Show the status line, headers (secrets hidden) and timings on stderr.")
    var verbose = false

    @Flag(name: .long, help: "Print the equivalent curl command (secrets hidden) on stderr.")
    var curl = false

    @Flag(name: .long, help: "Write the body exactly as received, without pretty-printing.")
    var raw = false

    @Flag(name: [.customShort("f"), .long], help: "Exit 1 when the status is 400 or more (the body is still written).")
    var fail = false

    @Flag(name: .customLong("no-validate"), help: "Do not check the answer against the spec.")
    var noValidate = false

    @Option(
        help: ArgumentHelp(
            "null in optional fields: optional or strict [default: optional for the Determined API, strict for any other].",
            valueName: "policy"))
    var nulls: NullPolicy?

    @OptionGroup var specOptions: SpecOptions
    @OptionGroup(title: "Connection options") var connection: ConnectionOptions

    func validate() throws {
        guard !words.isEmpty else { throw ValidationError("name an operation (GetMaster) or a method and a path (GET /api/v1/master).") }
    }

    func run() async throws {
        let model = try await specOptions.load(
            strict: false, master: connection.resolvedMaster, clientOptions: connection.clientOptions,
            connection: connection)
        var line: CallLine
        do {
            line = try CallLine(words: words, model: model, master: connection.resolvedMaster)
        } catch {
            throw CommandFailure.usage(error.description)
        }
        guard let master = line.master else {
            throw CommandFailure.usage("no master: pass --master URL or set DET_MASTER (or give a full http(s) URL).")
        }
        if let data {
            do {
                let op = try ScenarioChecker(model: model).operation(for: line.step)
                try CallLine.setBody(try readBody(data), on: &line.step, operation: op, raw: rawBody, contentType: contentType)
            } catch let error as HarnessError {
                throw CommandFailure.usage("-d: \(error.message)")
            }
        }
        if connection.resolvedToken != nil && line.step.operation == nil { line.step.auth = .bearer }
        if let note = SecurityNote.line(model: model, token: connection.resolvedToken) { Console.err(note) }
        var options = connection.runnerOptions(master: master)
        // Without a token, an operation that needs one logs in first (DET_USER/DET_PASS), as run and explore do.
        options.autoLogin = connection.resolvedToken == nil
        options.validate = !noValidate
        line.step.requestCheck = !noValidate
        // call judges the status itself: without --no-validate a non-2xx fails; with it, only --fail does.
        line.step.expect.anyStatus = noValidate
        options.nulls = nulls ?? .default(for: model)
        // A server stream (TrialLogs) is printed as its lines arrive; `follow=true` runs until it ends or --timeout.
        let streamed = Mutex(false)
        if !raw {
            options.onStreamChunk = { chunk in
                streamed.withLock { $0 = true }
                Console.outBytes(chunk)
            }
        }
        let runner = Runner(model: model, client: HTTPClient(options: connection.clientOptions), options: options)
        var vars = Variables()
        if let token = connection.resolvedToken { vars.set("token", .string(token), secret: true) }
        let exchange = await runner.exchange(line.step, vars: &vars)
        if curl && !exchange.result.curl.isEmpty { Console.err(exchange.result.curl) }
        if verbose { Console.errText(CallReport.verbose(exchange)) }
        if let response = exchange.response, !streamed.withLock({ $0 }) {
            Console.outBytes(CallReport.body(response, document: exchange.document, raw: raw))
        }
        // A stream that never ends (`follow=true`) ends at --timeout: what arrived was printed, and that is the answer.
        if exchange.transportError == .timeout, streamed.withLock({ $0 }) {
            Console.err("detapi: the stream was cut at --timeout (\(connection.timeoutSeconds()) s) after what is shown above")
            return
        }
        Console.errText(CallReport.verdict(exchange, validated: !noValidate))
        if fail, let status = exchange.result.status, status >= 400 {
            Console.err("detapi: HTTP \(status) from \(exchange.result.method) \(exchange.result.url)")
        }
        let status = ExitStatus.call(exchange.result, validated: !noValidate, failOnHTTPError: fail)
        if status != .ok { throw ExitCode(status.code) }
    }

    private func readBody(_ argument: String) throws -> [UInt8] {
        guard argument.hasPrefix("@") else { return Array(argument.utf8) }
        let path = String(argument.dropFirst())
        if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        switch InputFile.read(path, what: "body") {
        case .success(let data): return data
        case .failure(let failure): throw CommandFailure.usage("-d @\(failure)")
        }
    }
}
