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
    @Option(help: ArgumentHelp("null in optional fields: optional or strict.", valueName: "policy"))
    var nulls: NullPolicy = .optional
    @OptionGroup var reportOptions: ReportOptions
    @Option(help: ArgumentHelp("Only scenarios with this tag (repeatable).", valueName: "tag"))
    var tag: [String] = []
    @Option(help: ArgumentHelp("Only scenarios whose name contains this text.", valueName: "text"))
    var grep: String?
    @Flag(name: .shortAndLong, help: "Print only failing scenarios and the summary (the reports still hold everything).")
    var quiet = false
    @Flag(name: .customLong("fail-fast"), help: "Stop after the first failing scenario (finally steps still run).")
    var failFast = false
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
        for v in vars where !v.contains("=") { throw ValidationError("--var '\(v)' must look like name=value.") }
        guard `repeat` >= 1 && `repeat` <= 100_000 else { throw ValidationError("--repeat must be 1…100000.") }
        guard jobs >= 1 && jobs <= 256 else { throw ValidationError("--jobs must be 1…256.") }
    }

    func run() async throws {
        let model = try await specOptions.load(strict: true)
        let selected = try loadScenarios().filter { s in
            (tag.isEmpty || !Set(tag).isDisjoint(with: s.tags)) && (grep.map { s.name.lowercased().contains($0.lowercased()) } ?? true)
        }
        guard !selected.isEmpty else { throw CommandFailure.usage("no scenario matches --tag/--grep.") }
        // A shard can be empty (more shards than scenarios): it still writes its (empty) reports, so a merge
        // step finds every shard's file.
        let scenarios = shard.map { shard in selected.enumerated().filter { shard.holds(position: $0.offset) }.map(\.element) } ?? selected
        let checker = ScenarioChecker(model: model)
        for s in scenarios {
            do {
                try checker.check(s, predefined: ["token"])
            } catch {
                throw CommandFailure.usage(error.description)
            }
        }
        if dryRun {
            Console.out(Plan.render(scenarios, model: model))
            return
        }
        try reportOptions.prepare()
        if scenarios.isEmpty, let shard {
            Console.err("detapi run: shard \(shard) holds none of the \(selected.count) scenarios; nothing to run")
            try reportOptions.write(
                RunRecord(results: [], master: connection.resolvedMaster ?? "", spec: model.source, shard: shard.description))
            return
        }
        var mockServer: MockServer?
        var master = connection.resolvedMaster
        if mock {
            var c = MockConfiguration()
            c.port = 0
            c.quiet = true
            c.spec = model
            mockServer = try await MockServer.start(c)
            master = mockServer!.baseURL
        }
        guard let master else {
            throw CommandFailure.usage("no master: pass --master URL, set DET_MASTER, or use --mock for the embedded mock cluster.")
        }
        let env = ProcessInfo.processInfo.environment
        var options = Runner.Options(
            master: master, token: connection.resolvedToken, user: env["DET_USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "determined",
            password: env["DET_PASS"] ?? "")
        options.nulls = nulls
        options.keepPassingExchanges = reportOptions.keepsExchanges
        options.interrupted = Interrupt.install()
        for v in vars {
            let parts = v.split(separator: "=", maxSplits: 1)
            options.overrides[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        let runner = Runner(model: model, client: HTTPClient(options: connection.clientOptions), options: options)
        Console.err(
            "detapi run: \(scenarios.count) scenario\(scenarios.count == 1 ? "" : "s")\(`repeat` > 1 ? " × \(`repeat`) runs" : "")\(shard.map { " (shard \($0) of \(selected.count))" } ?? "") against \(master)\(mock ? " (embedded mock)" : "")"
        )
        let runStarted = ContinuousClock.now
        let queue = Array(Array(repeating: scenarios, count: `repeat`).joined())
        var results: [ScenarioResult] = []
        let github = ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true"
        let interrupted = options.interrupted
        let fail = failFast
        var progress = ProgressLine(total: queue.count)
        var stepsDone = 0
        var scenariosFailed = 0
        // Up to `jobs` scenarios in flight; one tagged `writes` or `serial` runs alone (it changes or depends on
        // shared state). Results are printed in scenario order as they become available.
        func exclusive(_ s: Scenario) -> Bool { s.tags.contains("writes") || s.tags.contains("serial") }
        await withTaskGroup(of: (Int, ScenarioResult?).self) { group in
            var next = 0
            var stop = false
            var inFlight = 0
            var exclusiveRunning = false
            var pending: [Int: ScenarioResult?] = [:]
            func fill() {
                while next < queue.count, !stop, inFlight < jobs, !exclusiveRunning {
                    let scenario = queue[next]
                    if exclusive(scenario) {
                        guard inFlight == 0 else { return }
                        exclusiveRunning = true
                    }
                    let index = next
                    next += 1
                    inFlight += 1
                    group.addTask { interrupted() ? (index, nil) : (index, await runner.run(scenario)) }
                }
            }
            fill()
            var printed = 0
            while let (index, result) = await group.next() {
                inFlight -= 1
                if exclusive(queue[index]) { exclusiveRunning = false }
                if result == nil { stop = true }
                pending[index] = .some(result)
                while let entry = pending.removeValue(forKey: printed) {
                    printed += 1
                    guard let ready = entry else { continue }
                    results.append(ready)
                    stepsDone += ready.steps.count
                    if ready.failed { scenariosFailed += 1 }
                    if !quiet || ready.failed {
                        progress.clear()
                        Console.out(ConsoleReport.scenario(ready, color: Console.stdoutColor))
                    }
                    if github { Console.out(ConsoleReport.githubAnnotations(ready)) }
                    if fail && ready.failed { stop = true }
                }
                progress.update(done: results.count, steps: stepsDone, failed: scenariosFailed)
                fill()
            }
        }
        progress.clear()
        await mockServer?.stop()
        Console.out(ConsoleReport.summary(results, seconds: runStarted.duration(to: .now).seconds))
        try reportOptions.write(RunRecord(results: results, master: master, spec: model.source, shard: shard?.description))
        if results.contains(where: \.transportError) { throw ExitCode(DetapiExit.transport.rawValue) }
        if results.contains(where: \.failed) { throw ExitCode(DetapiExit.checkFailed.rawValue) }
    }

    private func loadScenarios() throws -> [Scenario] {
        var sources: [(file: String, text: String)] = []
        if paths.isEmpty {
            sources = EmbeddedScenarios.all
        } else {
            for path in paths {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                    throw CommandFailure.usage("\(path): no such file or folder.")
                }
                let files =
                    isDirectory.boolValue
                    ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter {
                        $0.hasSuffix(".yaml") || $0.hasSuffix(".yml")
                    }.sorted()
                        .map { path + "/" + $0 } : [path]
                for f in files {
                    guard let data = FileManager.default.contents(atPath: f), let text = String(data: data, encoding: .utf8) else {
                        throw CommandFailure.usage("\(f): cannot read this file as UTF-8 text.")
                    }
                    sources.append((f, text))
                }
            }
        }
        var scenarios: [Scenario] = []
        for source in sources {
            do {
                scenarios.append(
                    try ScenarioParser.parse(source.text, file: source.file) { path in
                        FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) }
                            ?? EmbeddedScenarios.all.first { $0.file == path }?.text
                    })
            } catch {
                throw CommandFailure.usage(error.description)
            }
        }
        return scenarios
    }
}
