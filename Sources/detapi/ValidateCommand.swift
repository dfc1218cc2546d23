import ArgumentParser
import Foundation
import Harness
import JSON
import OpenAPI
import Reports

/// `detapi validate`: check a saved response body against an operation's response schema.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate a saved response body against an operation's response schema.",
        discussion: """
            Prints each violation as 'pointer: message'. Exits 0 when valid, 1 when not, 2 for unreadable input.

            Example:
              detapi validate --spec api.json --op GetExperiments body.json
            """
    )

    @OptionGroup var specOptions: SpecOptions

    @Option(name: .long, help: ArgumentHelp("The operation (operationId, any case).", valueName: "operation"))
    var op: String

    @Option(name: .long, help: ArgumentHelp("Which documented response to check against.", valueName: "status"))
    var status: Int = 200

    @Option(
        name: .long,
        help: ArgumentHelp(
            "null in optional fields: optional (accept, count a note) or strict [default: optional for the Determined API, strict for any other].",
            valueName: "policy"))
    var nulls: NullPolicy?

    @Argument(help: ArgumentHelp("The body to check; - reads stdin.", valueName: "file"))
    var file: String

    func run() async throws {
        let model = try await specOptions.load(strict: true)
        let operation: OpenAPI.Operation
        let documented: (response: OpenAPI.Response, node: Int)
        do {
            operation = try OperationLookup.find(op, in: model)
            documented = try OperationLookup.schema(of: operation, status: status)
        } catch {
            throw CommandFailure.usage(error.description)
        }
        let bytes: [UInt8]
        if file == "-" {
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        } else {
            switch InputFile.read(file, what: "body") {
            case .success(let data): bytes = data
            case .failure(let failure): throw CommandFailure.usage(failure.description)
            }
        }
        let document: JSONDocument
        do {
            document = try JSONDocument(parsing: bytes)
        } catch {
            throw CommandFailure.usage("\(file == "-" ? "<stdin>" : file):\(error.line):\(error.column): \(error.message)")
        }
        let verdict = Checks(model: model, nulls: nulls ?? .default(for: model)).schema(
            document, node: documented.node, response: documented.response)
        Console.out(ValidateReport.render(verdict, operation: operation.id, status: documented.response.status.description))
        if !verdict.isValid { throw ExitCode(DetapiExit.checkFailed.rawValue) }
    }
}

extension NullPolicy: ExpressibleByArgument {}
