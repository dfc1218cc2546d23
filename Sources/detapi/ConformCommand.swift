import ArgumentParser
import Foundation
import HTTP
import Harness
import MockCluster
import OpenAPI
import Reports

/// `detapi conform`: sweep every safe operation of the spec and check every answer against it.
struct ConformCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conform",
        abstract: "Send every GET/HEAD operation of the spec once and check each answer against it.",
        discussion: """
            Changes nothing: only GET and HEAD operations are sent. Path parameters come from earlier answers (an experimentId from the experiments list), else from the spec's example, default or enum, else a sample (--seed). Every answer gets not_a_server_error, status_code_conformance, content_type_conformance and response_schema_conformance; an operation with security is sent again without credentials and must get 401 (ignored_auth). Reports: a testsuite per tag, a testcase per operation.

            Examples:
              detapi conform --mock
              detapi conform --master https://staging:8080 --spec ../shared/specs/determined-0.38.1.swagger.json
              detapi conform --mock --tag Experiments --report junit --out build/conform
            """
    )

    @Flag(help: "Start the embedded mock cluster for this sweep.") var mock = false
    @Option(help: ArgumentHelp("Only operations with this tag (repeatable).", valueName: "tag")) var tag: [String] = []
    @Option(help: ArgumentHelp("Only this operation (repeatable).", valueName: "operation")) var op: [String] = []
    @Option(name: .customLong("exclude-op"), help: ArgumentHelp("Leave this operation out (repeatable).", valueName: "operation"))
    var excludeOp: [String] = []
    @Flag(name: .customLong("include-deprecated"), help: "Also sweep deprecated operations.") var includeDeprecated = false
    @Option(help: ArgumentHelp("Seed of the sampled parameter values.", valueName: "n")) var seed: UInt64 = 1
    @Option(help: ArgumentHelp("null in optional fields: optional or strict.", valueName: "policy"))
    var nulls: NullPolicy = .optional
    @OptionGroup var reportOptions: ReportOptions
    @OptionGroup var specOptions: SpecOptions
    @OptionGroup(title: "Connection options") var connection: ConnectionOptions

    func run() async throws {
        let model = try await specOptions.load(strict: false)
        let sweep = Sweep(
            model: model, selection: .init(tags: tag, operations: op, excluded: excludeOp, includeDeprecated: includeDeprecated), seed: seed
        )
        guard !sweep.operations.isEmpty else { throw CommandFailure.usage("no GET or HEAD operation matches --tag/--op/--exclude-op.") }
        try reportOptions.prepare()
        let target = try await Target.resolve(mock: mock, connection: connection, model: model)
        let master = target.master
        var options = target.runnerOptions(connection: connection, nulls: nulls)
        options.keepPassingExchanges = reportOptions.keepsExchanges
        let runner = Runner(model: model, client: HTTPClient(options: connection.clientOptions), options: options)
        Console.err("detapi conform: \(sweep.operations.count) GET/HEAD operations of \(model.source) against \(master)")
        let started = ContinuousClock.now
        let results = await sweep.run(with: runner)
        await target.stop()
        for r in results { Console.out(ConsoleReport.scenario(r, color: Console.stdoutColor)) }
        Console.out(ConformReport.coverage(results, swept: sweep.operations.count, total: model.operations.count))
        Console.out(ConsoleReport.summary(results, seconds: started.duration(to: .now).seconds))
        try reportOptions.write(
            RunRecord(results: results, master: master, spec: model.source, overlays: model.overlaysApplied.map(\.text)))
        throw ExitCode(DetapiExit.of(results).rawValue)
    }
}
