import ArgumentParser
import Harness
import OpenAPI
import Reports

/// `detapi spec …`: read a spec without a server.
struct SpecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spec",
        abstract: "Read an OpenAPI spec: summary, operations, one operation in detail, lint.",
        subcommands: [SpecInfoCommand.self, SpecOpsCommand.self, SpecShowCommand.self, SpecLintCommand.self]
    )
}

/// `detapi spec info`.
struct SpecInfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Print the spec's title, version, dialect and counts.")

    @OptionGroup var specOptions: SpecOptions
    @OptionGroup var masterOption: SpecMasterOption

    func run() async throws {
        Console.out(SpecReport.info(try await specOptions.load(strict: false, master: masterOption.resolved)))
    }
}

/// `detapi spec ops`.
struct SpecOpsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ops", abstract: "List operations grouped by tag.")

    @OptionGroup var specOptions: SpecOptions
    @OptionGroup var masterOption: SpecMasterOption

    @Option(name: .long, help: ArgumentHelp("Only operations with this tag (any case).", valueName: "tag"))
    var tag: String?

    @Option(name: .long, help: ArgumentHelp("Only operations whose id, path or summary contains this text (any case).", valueName: "text"))
    var grep: String?

    func run() async throws {
        let model = try await specOptions.load(strict: false, master: masterOption.resolved)
        do {
            Console.out(try SpecReport.ops(model, tag: tag, grep: grep))
        } catch {
            throw CommandFailure.usage(error.description)
        }
    }
}

/// `detapi spec show`.
struct SpecShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Describe one operation: parameters, request body, responses, security.")

    @OptionGroup var specOptions: SpecOptions
    @OptionGroup var masterOption: SpecMasterOption

    @Argument(help: ArgumentHelp("operationId (any case), or 'METHOD /path'.", valueName: "operation"))
    var operation: String

    func run() async throws {
        let model = try await specOptions.load(strict: false, master: masterOption.resolved)
        do {
            Console.out(SpecReport.show(try OperationLookup.find(operation, in: model), in: model))
        } catch {
            throw CommandFailure.usage(error.description)
        }
    }
}

/// `detapi spec lint`.
struct SpecLintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint", abstract: "List spec problems with their JSON pointers; exit 1 when there are errors.")

    @OptionGroup var specOptions: SpecOptions
    @OptionGroup var masterOption: SpecMasterOption

    func run() async throws {
        let model = try await specOptions.load(strict: false, master: masterOption.resolved)
        Console.out(SpecReport.lint(model))
        if model.warnings.contains(where: { $0.severity == .error }) { throw ExitCode(DetapiExit.checkFailed.rawValue) }
    }
}
