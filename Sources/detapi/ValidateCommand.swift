import ArgumentParser
import Foundation
import JSON
import OpenAPI

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
        help: ArgumentHelp("null in optional fields: optional (accept, count a note) or strict.", valueName: "policy"))
    var nulls: NullPolicy = .optional

    @Argument(help: ArgumentHelp("The body to check; - reads stdin.", valueName: "file"))
    var file: String

    func run() async throws {
        let model = try await specOptions.load(strict: true)
        let operation = try OperationLookup.find(op, in: model)
        guard let response = operation.response(for: status) else {
            throw CommandFailure.usage(
                "\(operation.id) documents no response for status \(status) (it has \(operation.responses.map(\.status.description).joined(separator: ", ")))."
            )
        }
        guard let schema = response.schemaNode else {
            throw CommandFailure.usage("\(operation.id) response \(response.status) has no schema to validate against.")
        }
        let bytes: [UInt8]
        if file == "-" {
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        } else {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandFailure.usage("\(file): cannot read this file.")
            }
            bytes = Array(data)
        }
        let document: JSONDocument
        do {
            document = try JSONDocument(parsing: bytes)
        } catch {
            throw CommandFailure.usage("\(file == "-" ? "<stdin>" : file):\(error.line):\(error.column): \(error.message)")
        }
        let result = model.validator(nulls: nulls).validate(document, against: schema)
        var text = ""
        for v in result.violations { text += v.description + "\n" }
        if result.truncated { text += "… more violations not shown (limit \(result.violations.count))\n" }
        let notes = result.lenientCount
        let schemaName = response.schema?["$ref"]?.stringValue.map(SchemaRenderer.refName) ?? "the response schema"
        if result.isValid {
            text +=
                "valid: \(operation.id) \(response.status) (\(schemaName))\(notes > 0 ? ", \(notes) nulls accepted in optional fields (--nulls optional)" : "")\n"
            Console.out(text)
        } else {
            text +=
                "invalid: \(result.violations.count) violation\(result.violations.count == 1 ? "" : "s") of \(schemaName)\(notes > 0 ? "; \(notes) nulls accepted in optional fields" : "")\n"
            Console.out(text)
            throw ExitCode(DetapiExit.checkFailed.rawValue)
        }
    }
}

extension NullPolicy: ExpressibleByArgument {}
