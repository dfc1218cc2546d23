import ArgumentParser
import Foundation
import HTTP
import Harness
import JSON
import MockCluster
import OpenAPI
import Reports

/// `detapi conform`: sweep every safe operation of the spec and check every answer against it.
struct ConformCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conform",
        abstract: "Sweep every GET/HEAD operation of the spec and check each answer against it.",
        discussion: """
            Changes nothing unless --allow-writes: only GET and HEAD operations are sent, plus a GET to each path that documents none (unsupported_method). Each operation is sent with its required parameters (path values from earlier answers: an experimentId from the experiments list), then one parameter at a time with the spec's documented values, boundary values, and values the schema forbids (--seed makes samples repeatable).

            Checks (Schemathesis's names): \(ConformCheck.allCases.map(\.rawValue).joined(separator: ", ")). --allow-writes adds the writes detapi can undo (archive/unarchive, pause/activate pairs), each put back at once, also after Ctrl-C; on a terminal it asks first. Findings on the Determined master's known bug list are reported apart and do not fail the run unless --strict; findings in --baseline are reported apart too. Exit codes: 0 all checks passed, 1 a check failed, 2 usage, spec, overlay or baseline error, 3 the master could not be reached.

            Examples:
              detapi conform --mock
              detapi conform --master https://staging:8080 --spec ../shared/specs/determined-0.38.1.swagger.json
              detapi conform --mock --tag Experiments --report junit --out build/conform
              detapi conform --mock --update-baseline --baseline conform-baseline.json
            """
    )

    @Flag(help: "Start the embedded mock cluster for this sweep.") var mock = false
    @Option(help: ArgumentHelp("Only operations with this tag (repeatable).", valueName: "tag")) var tag: [String] = []
    @Option(help: ArgumentHelp("Only this operation (repeatable).", valueName: "operation")) var op: [String] = []
    @Option(name: .customLong("exclude-op"), help: ArgumentHelp("Leave this operation out (repeatable).", valueName: "operation"))
    var excludeOp: [String] = []
    @Flag(name: .customLong("include-deprecated"), help: "Also sweep deprecated operations.") var includeDeprecated = false
    @Option(
        name: .customLong("safe-op"),
        help: ArgumentHelp(
            "A POST operation that only reads, swept like a GET with generated bodies (repeatable; globs such as 'Range*').",
            valueName: "operation"))
    var safeOp: [String] = []
    @Option(help: ArgumentHelp("Checks to run, separated by commas, or all.", valueName: "list"))
    var checks = ConformCheck.defaults.sorted().map(\.rawValue).joined(separator: ",")
    @Option(
        name: .customLong("max-response-time"),
        help: ArgumentHelp("Fail answers slower than this (adds max_response_time), e.g. 500ms.", valueName: "duration"))
    var maxResponseTime: String?
    @Option(help: ArgumentHelp("Operations sent at once (1 to 64).", valueName: "n")) var workers = 4
    @Option(help: ArgumentHelp("Seeded combinations of optional parameters per operation (0 to 1000).", valueName: "n"))
    var combinations = 100
    @Option(name: .customLong("rate-limit"), help: ArgumentHelp("At most this many requests, e.g. 20/s or 600/m.", valueName: "rate"))
    var rateLimit: String?
    @Option(name: .customLong("max-failures"), help: ArgumentHelp("Stop after this many failing operations.", valueName: "n"))
    var maxFailures: Int?
    @Flag(
        name: .customLong("allow-writes"),
        help:
            "Also send writes: create → read → update → delete chains on objects this run creates (in a scratch workspace where the API has one, each create in <out>/conform-ledger.json first), and archive/pause pairs on objects it cannot create, each put back at once."
    )
    var allowWrites = false
    @Flag(help: "Print the chains --allow-writes would run and every write it would not send, with why; send nothing.")
    var plan = false
    @Option(
        help: ArgumentHelp(
            "Sweep only shard i of n (1-based), for a CI matrix: operations that feed each other's path values stay together, the writes (chains, pairs) run in shard 1; join the shards' report.json files with 'detapi report merge'.",
            valueName: "i/n"),
        transform: { text in
            guard let shard = Shard(argument: text) else { throw ValidationError("write i/n with 1 ≤ i ≤ n, e.g. --shard 2/4") }
            return shard
        })
    var shard: Shard? = nil
    @Option(
        help: ArgumentHelp(
            "Delete what a killed run left: every object of this ledger not yet deleted, newest first; then exit.", valueName: "ledger"))
    var cleanup: String?
    @Flag(name: .customLong("yes"), help: "With --allow-writes on a terminal: do not ask for confirmation.") var yes = false
    @Flag(help: "Known master bugs fail the run too.") var strict = false
    @Option(help: ArgumentHelp("Accepted findings: only findings not in this file fail the run.", valueName: "file"))
    var baseline: String?
    @Flag(name: .customLong("update-baseline"), help: "Write this run's findings into the --baseline file (replacing it).")
    var updateBaseline = false
    @Option(
        name: .customLong("save-failures"),
        help: ArgumentHelp("Write each failing request as a scenario file that detapi run replays.", valueName: "dir"))
    var saveFailures: String?
    @Option(help: ArgumentHelp("Seed of the sampled parameter values.", valueName: "n")) var seed: UInt64 = 1
    @Option(
        name: .customLong("min-coverage"),
        help: ArgumentHelp(
            "Fail (exit 1) when fewer of the selected operations were reached with a documented 2xx, e.g. 90%.", valueName: "share"))
    var minCoverage: String?
    @Option(
        help: ArgumentHelp(
            "null in optional fields: optional or strict [default: optional for the Determined API, strict for any other].",
            valueName: "policy"))
    var nulls: NullPolicy?
    @OptionGroup var reportOptions: ReportOptions
    @OptionGroup var specOptions: SpecOptions
    @OptionGroup(title: "Connection options") var connection: ConnectionOptions

    func validate() throws {
        if let minCoverage, minimumShare == nil || (minimumShare ?? 0) > 1 {
            throw ValidationError("--min-coverage '\(minCoverage)': write a share such as 90% (0% to 100%).")
        }
        guard (1...64).contains(workers) else { throw ValidationError("--workers \(workers): write a number from 1 to 64.") }
        guard (0...1000).contains(combinations) else {
            throw ValidationError("--combinations \(combinations): write a number from 0 to 1000.")
        }
        if let maxFailures, maxFailures < 1 { throw ValidationError("--max-failures \(maxFailures): write a number of at least 1.") }
        if updateBaseline && baseline == nil { throw ValidationError("--update-baseline needs --baseline FILE to write.") }
    }

    func run() async throws {
        let model = try await specOptions.load(
            strict: false, master: mock || plan ? nil : connection.resolvedMaster, clientOptions: connection.clientOptions,
            connection: connection)
        let settings = try self.settings(model)
        let sweep = Sweep(
            model: model,
            selection: .init(
                tags: tag, operations: op, excluded: excludeOp, includeDeprecated: includeDeprecated,
                safeOperations: safeOp + KnownReads.list(for: model)),
            settings: settings)
        if plan {
            // Nothing is sent: no master is asked, no mock started.
            let chains = sweep.chainPlan()
            Console.out(
                ConformReport.plan(chains, pairs: sweep.inversePairs(outside: chains), rewrites: sweep.rewrites(), runID: settings.runID))
            return
        }
        if let cleanup {
            try await runCleanup(cleanup, model: model)
            return
        }
        guard !sweep.operations.isEmpty else {
            if sweep.selection.isFiltered {
                throw CommandFailure.usage("no GET, HEAD or --safe-op operation matches --tag/--op/--exclude-op.")
            }
            let posts = model.operations.filter { $0.method == "POST" }.prefix(3).map(\.id)
            throw CommandFailure.usage(
                "\(model.source) has no GET or HEAD operation to sweep; name the POST operations that only read with --safe-op OP (globs such as 'Range*'\(posts.isEmpty ? "" : "; it has \(posts.joined(separator: ", "))…"), or an overlay's x-detapi-safe: true)"
            )
        }
        try reportOptions.prepare()
        let target = try await Target.resolve(mock: mock, connection: connection, model: model)
        let master = target.master
        if allowWrites {
            guard try confirmWrites(sweep, master: master) else {
                await target.stop()
                throw CommandFailure.usage("not confirmed: nothing was sent")
            }
        }
        var options = target.runnerOptions(connection: connection, nulls: nulls ?? .default(for: model))
        options.keepPassingExchanges = reportOptions.keepsExchanges
        options.interrupted = Interrupt.install()
        // A sweep's boundary values can make a server think for long: 10 s per request unless --timeout says.
        var clientOptions = connection.clientOptions
        clientOptions.timeout = connection.timeoutSeconds(default: 10)
        let runner = Runner(model: model, client: HTTPClient(options: clientOptions), options: options)
        Console.err(
            "detapi conform: \(Plural.count(sweep.operations.count, "operation")) of \(model.describedSource) against \(master)")
        let started = ContinuousClock.now
        let outcome = await sweep.run(with: runner)
        await target.stop()
        for r in outcome.results { Console.out(ConsoleReport.scenario(r, color: Console.stdoutColor)) }
        Console.out(ConformReport.coverage(outcome.coverage, results: outcome.results))
        let signal = Interrupt.received
        var record = RunRecord(
            results: outcome.results, master: master, spec: model.describedSource, shard: shard?.description,
            overlays: model.overlaysApplied.map(\.text), conform: outcome.coverage)
        // One clock: the console, report.json and the HTML report show this one measured wall time.
        record.milliseconds = started.duration(to: .now).seconds * 1000
        Console.out(
            ConsoleReport.sweepSummary(
                outcome.coverage, results: outcome.results, milliseconds: record.milliseconds ?? 0, interrupted: signal != nil))
        let coverageMet = minimumShare.map { outcome.coverage.reachedShare + 1e-9 >= $0 } ?? true
        if let minimumShare, !coverageMet {
            Console.err(
                String(
                    format: "detapi conform: %.1f%% of the selected operations were reached, below --min-coverage %.1f%%",
                    outcome.coverage.reachedShare * 100, minimumShare * 100))
        }
        if let signal {
            let swept = outcome.coverage.operations.filter { $0.requests > 0 }.count
            record.interrupted = Interruption(signal: signal.name, notStarted: 0)
            Console.err("detapi conform: \(record.interrupted?.text ?? ""); \(swept) of \(sweep.operations.count) operations were swept")
        }
        try reportOptions.write(record, title: "detapi conform")
        if let saveFailures, !outcome.failingCases.isEmpty {
            do {
                let files = try FailureScenario.write(
                    outcome.failingCases, to: saveFailures, maxResponseMilliseconds: settings.maxResponseMilliseconds)
                Console.err("wrote \(Plural.count(files.count, "failing case")) into \(saveFailures) (detapi run \(saveFailures))")
            } catch {
                throw CommandFailure.usage(error.description)
            }
        }
        if updateBaseline, let baseline {
            let entries = outcome.results.flatMap(\.steps).flatMap { s in
                s.failures.map { ConformBaseline.Entry(operation: s.operationID, failure: $0, message: FailureText.line($0)) }
            }
            do {
                try ReportWriter.write(ConformBaseline(entries: entries).text(), to: baseline)
            } catch {
                throw CommandFailure.usage("cannot write the baseline \(baseline): \(error.reason)")
            }
            Console.err("wrote \(Plural.count(Set(entries).count, "accepted finding")) into \(baseline)")
            return
        }
        let status = ExitStatus.conform(outcome.results, signal: signal?.name, coverageMet: coverageMet)
        if status != .ok { throw ExitCode(status.code) }
    }

    /// `--cleanup LEDGER`: deletes what the ledger says is still there, against `--master` or the ledger's master.
    private func runCleanup(_ path: String, model: APIModel) async throws {
        let ledger: ConformLedger
        switch ConformLedger.read(path) {
        case .success(let l): ledger = l
        case .failure(let error): throw CommandFailure.usage(error.message)
        }
        var connection = self.connection
        if connection.resolvedMaster == nil, !ledger.master.isEmpty { connection.master = ledger.master }
        let target = try await Target.resolve(mock: false, connection: connection, model: model)
        var options = target.runnerOptions(connection: connection, nulls: nulls ?? .default(for: model))
        options.interrupted = Interrupt.install()
        let runner = Runner(model: model, client: HTTPClient(options: connection.clientOptions), options: options)
        var vars = Variables()
        if let token = options.token { vars.set("token", .string(token), secret: true) }
        let outcomes = await LedgerCleanup(model: model).run(ledger, runner: runner, vars: &vars)
        await target.stop()
        for o in outcomes {
            Console.out("\(o.done ? "✓" : "✗") \(o.noun) \(o.name): \(o.note)\(o.status.map { " (\($0))" } ?? "")")
        }
        let left = outcomes.filter { !$0.done }.count
        Console.err(
            "detapi conform --cleanup: \(Plural.count(outcomes.count - left, "object")) deleted or already gone, \(left) left (ledger \(path))"
        )
        if left > 0 { throw ExitCode(1) }
    }

    /// `--min-coverage` as a share 0…1: `90%`, `90` or `0.9`.
    private var minimumShare: Double? {
        guard let text = minCoverage?.trimmingCharacters(in: .whitespaces) else { return nil }
        let number = Double(text.hasSuffix("%") ? String(text.dropLast()) : text)
        guard let number, number.isFinite, number >= 0 else { return nil }
        return text.hasSuffix("%") || number > 1 ? number / 100 : number
    }

    /// On a terminal, asks before `--allow-writes` changes anything, naming the master, the scratch workspace, the
    /// chains and the pairs; in CI (no terminal) the flag itself is the ask.
    private func confirmWrites(_ sweep: Sweep, master: String) throws -> Bool {
        let plan = sweep.chainPlan()
        let pairs = sweep.inversePairs(outside: plan)
        let names = pairs.map { "\($0.forward.id)/\($0.inverse.id)" }.joined(separator: ", ")
        let chains = plan.kinds.map(\.noun).joined(separator: " → ")
        var text = "detapi conform --allow-writes on \(master):"
        if let scratch = plan.scratch { text += " a scratch \(scratch) detapi-conform-\(sweep.settings.runID) holds what it creates;" }
        text += " chains \(chains.isEmpty ? "none" : chains), each object deleted again (ledger: \(reportOptions.out)/conform-ledger.json);"
        text += " \(Plural.count(pairs.count, "pair")) undone at once: \(names.isEmpty ? "none" : names)"
        Console.err(text)
        guard !yes, isatty(0) == 1, isatty(2) == 1 else { return true }
        FileHandle.standardError.write(Data("Change and restore resources on \(master)? [y/N] ".utf8))
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        return answer == "y" || answer == "yes"
    }

    /// The sweep's settings from the options; a bad value is a usage error naming the option.
    private func settings(_ model: APIModel) throws -> Sweep.Settings {
        var settings = Sweep.Settings()
        settings.seed = seed
        switch ConformCheck.parse(list: checks) {
        case .success(let set): settings.checks = set
        case .failure(let error): throw CommandFailure.usage(error.message)
        }
        if let maxResponseTime {
            guard let seconds = DurationText.seconds(maxResponseTime), seconds > 0 else {
                throw CommandFailure.usage("--max-response-time '\(maxResponseTime)': write a duration such as 500ms or 2s.")
            }
            settings.maxResponseMilliseconds = seconds * 1000
            settings.checks.insert(.maxResponseTime)
        }
        settings.workers = workers
        settings.combinations = combinations
        if let rateLimit {
            switch RateLimit.parse(rateLimit) {
            case .success(let limit): settings.rateLimit = limit
            case .failure(let error): throw CommandFailure.usage(error.message)
            }
        }
        settings.maxFailures = maxFailures
        settings.knownBugs = KnownMasterBug.list(for: model)
        settings.strict = strict
        settings.allowWrites = allowWrites
        settings.shard = shard
        settings.neverSend = NeverSend.list(for: model)
        settings.runID = String(UUID().uuidString.lowercased().prefix(8))
        if allowWrites, !plan {
            // The ledger is the safety net: written whatever --report says.
            do {
                try ReportWriter.prepare(folder: reportOptions.out)
            } catch {
                throw CommandFailure.usage("cannot write the ledger into \(reportOptions.out): \(error.reason)")
            }
            settings.ledgerPath = reportOptions.out + "/conform-ledger.json"
        }
        if let baseline, !updateBaseline {
            do {
                settings.baseline = try ConformBaseline.read(baseline)
            } catch {
                throw CommandFailure.usage(error.description)
            }
        }
        return settings
    }
}
