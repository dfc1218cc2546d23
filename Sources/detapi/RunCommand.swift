import ArgumentParser
import Foundation
import HTTP
import Harness
import JSON
import MockCluster
import OpenAPI
import Reports

/// `detapi run`: scripted scenarios against a cluster or the embedded mock; every response checked against the spec.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run scenario files against a cluster, checking every response against the spec.",
        discussion: """
            With no files, runs the built-in scenarios. Each step is checked before anything is sent (operation, parameters, variables); each answer gets the automatic checks (documented status, content type, response schema) plus the step's own 'expect'. 'finally' steps always run, also after a failure or Ctrl-C.

            Examples:
              detapi run --mock
                  the built-in scenarios against the embedded mock
              detapi run specs/scenarios/unarchive.yaml \\
                  --master https://staging:8080 --cacert ca.pem
              DET_USER=admin DET_PASS=... detapi run my-checks/ --var project=3
              detapi run checks/ --shard 2/3 --out reports-2
                  one job of a 3-way CI matrix (then 'detapi report merge')
            """
    )

    @Argument(help: ArgumentHelp("Scenario files or folders of *.yaml (none: the built-in scenarios).", valueName: "path"))
    var paths: [String] = []

    @Flag(help: "Start the embedded mock cluster for this run and stop it afterwards.") var mock = false
    @Flag(name: .customLong("dry-run"), help: "Check the scenarios and print the plan; send nothing.") var dryRun = false
    @Option(name: .customLong("var"), help: ArgumentHelp("Override a scenario variable (repeatable).", valueName: "name=value"))
    var vars: [String] = []
    @Option(
        help: ArgumentHelp(
            "null in optional fields: optional or strict [default: optional for the Determined API, strict for any other].",
            valueName: "policy"))
    var nulls: NullPolicy?
    @OptionGroup var reportOptions: ReportOptions
    @Option(help: ArgumentHelp("Only scenarios with this tag (repeatable).", valueName: "tag"))
    var tag: [String] = []
    @Option(help: ArgumentHelp("Only scenarios whose name contains this text.", valueName: "text"))
    var grep: String?
    @Flag(name: .shortAndLong, help: "Print only failing scenarios and the summary (the reports still hold everything).")
    var quiet = false
    @Flag(name: .customLong("fail-fast"), help: "Stop after the first failing scenario (finally steps still run).")
    var failFast = false
    @Flag(
        name: .customLong("keep-going"),
        help: "Go on with a scenario's next step after a failed one (as if every step said on_failure: continue).")
    var keepGoing = false
    @Option(help: ArgumentHelp("Run every scenario this many times.", valueName: "n"))
    var `repeat` = 1
    @Option(help: ArgumentHelp("Scenarios run in parallel; steps stay in order.", valueName: "n"))
    var jobs = 1
    @Option(
        help: ArgumentHelp(
            "Run only shard i of n (1-based): every n-th scenario, for a CI matrix; join the shards' report.json files with 'detapi report merge'.",
            valueName: "i/n"),
        transform: { text in
            guard let shard = Shard(argument: text) else {
                throw ValidationError("write i/n with 1 ≤ i ≤ n, e.g. --shard 2/4")
            }
            return shard
        })
    var shard: Shard? = nil
    @OptionGroup var specOptions: SpecOptions
    @OptionGroup(title: "Connection options") var connection: ConnectionOptions

    func validate() throws {
        guard `repeat` >= 1 && `repeat` <= 100_000 else { throw ValidationError("--repeat must be 1…100000.") }
        guard jobs >= 1 && jobs <= 256 else { throw ValidationError("--jobs must be 1…256.") }
    }

    func run() async throws {
        let model = try await specOptions.load(
            strict: true, master: mock ? nil : connection.resolvedMaster, clientOptions: connection.clientOptions,
            connection: connection)
        let suite: Suite
        do {
            suite = try Suite(
                try Suite.load(paths: paths), selection: Suite.Selection(tags: tag, grep: grep, shard: shard, repeat: `repeat`))
            let checker = ScenarioChecker(model: model)
            for s in suite.scenarios { try checker.check(s, predefined: ["token"]) }
        } catch {
            throw CommandFailure.usage(error.description)
        }
        if dryRun {
            Console.out(PlanReport.render(Plan(suite.scenarios, model: model)))
            return
        }
        try reportOptions.prepare()
        if suite.scenarios.isEmpty, let shard {
            Console.err("detapi run: shard \(shard) holds none of the \(suite.selected.count) scenarios; nothing to run")
            try reportOptions.write(
                RunRecord(results: [], master: connection.resolvedMaster ?? "", spec: model.describedSource, shard: shard.description))
            return
        }
        let target = try await Target.resolve(mock: mock, connection: connection, model: model)
        let master = target.master
        var options = target.runnerOptions(connection: connection, nulls: nulls ?? .default(for: model))
        options.keepPassingExchanges = reportOptions.keepsExchanges
        options.interrupted = Interrupt.install()
        options.overrides = try VarOverrides.parse(vars)
        options.keepGoing = keepGoing
        let runner = Runner(model: model, client: HTTPClient(options: connection.clientOptions), options: options)
        Console.err(
            ConsoleReport.banner(
                scenarios: suite.scenarios.count, repeat: `repeat`, shard: shard?.description, of: suite.selected.count, master: master,
                mock: mock))
        let runStarted = ContinuousClock.now
        let github = ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true"
        var progress = ProgressLine(total: suite.queue.count)
        var done = (scenarios: 0, steps: 0, failed: 0)
        let results = await SuiteRun.run(suite.queue, runner: runner, jobs: jobs, failFast: failFast) { result in
            done.scenarios += 1
            done.steps += result.steps.count
            if result.failed { done.failed += 1 }
            if !quiet || result.failed {
                progress.clear()
                Console.out(ConsoleReport.scenario(result, color: Console.stdoutColor))
            }
            if github { Console.out(ConsoleReport.githubAnnotations(result)) }
            progress.update(done: done.scenarios, steps: done.steps, failed: done.failed)
        }
        progress.clear()
        await target.stop()
        var record = RunRecord(
            results: results, master: master, spec: model.describedSource, shard: shard?.description,
            overlays: model.overlaysApplied.map(\.text))
        // One clock: the console, report.json and the HTML report show this one measured wall time.
        record.milliseconds = runStarted.duration(to: .now).seconds * 1000
        let signal = Interrupt.received
        if let signal {
            let notStarted = suite.queue.dropFirst(results.count).map(\.name)
            record.interrupted = Interruption(signal: signal.name, notStarted: notStarted.count, notStartedNames: notStarted)
        }
        Console.out(ConsoleReport.summary(results, milliseconds: record.milliseconds, interrupted: record.interrupted))
        if let stop = record.interrupted { Console.err("detapi run: \(stop.text)") }
        try reportOptions.write(record)
        let status = ExitStatus.run(results, signal: signal?.name)
        if status != .ok { throw ExitCode(status.code) }
    }
}
