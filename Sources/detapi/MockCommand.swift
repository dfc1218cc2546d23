import ArgumentParser
import Foundation
import Harness
import MockCluster
import OpenAPI
import Reports

/// `detapi mock`: the embedded mock cluster in the foreground.
struct MockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock",
        abstract: "Run the embedded mock Determined cluster.",
        discussion: """
            Answers like a Determined 0.38.1 master: login and tokens, users, experiments with their archive and lifecycle rules, workspaces, projects, the gateway's errors; any other operation of --spec gets a schema-valid sample. Users 'admin' and 'determined' have blank passwords unless --password is given.

            Examples:
              detapi mock --port 8080
              detapi mock --port 0 --seed 7 --experiments 500 --state mock-state.json
              detapi mock --latency 50ms-200ms --fail-rate 0.05
                  a flaky master
              detapi mock --drift
                  bodies that break the schema, for testing the checks
            """
    )

    @Option(help: ArgumentHelp("Address to listen on.", valueName: "host")) var host = "127.0.0.1"
    @Option(help: ArgumentHelp("Port; 0 picks a free one.", valueName: "port")) var port = 8080
    @Option(help: ArgumentHelp("Seed of the generated dataset.", valueName: "n")) var seed: UInt64 = 1
    @Option(help: ArgumentHelp("How many experiments to generate.", valueName: "n")) var experiments = 50
    @OptionGroup var specOptions: SpecOptions
    @Option(help: ArgumentHelp("Password of both built-in users [default: blank, as a fresh cluster].", valueName: "password"))
    var password: String?
    @Option(name: .customLong("token-ttl"), help: ArgumentHelp("How long a login token lasts.", valueName: "duration"))
    var tokenTTL = "7d"
    @Option(help: ArgumentHelp("Keep state in this JSON file (loaded on start, written atomically).", valueName: "file"))
    var state: String?
    @Option(help: ArgumentHelp("Delay each answer, e.g. 100ms or 50ms-200ms.", valueName: "range")) var latency: String?
    @Option(
        name: .customLong("fail-rate"), help: ArgumentHelp("Share of requests answered 503/500 instead.", valueName: "0..1"))
    var failRate = 0.0
    @Flag(help: "Break success bodies against the schema (negative control for contract checks).") var drift = false
    @Option(
        name: .customLong("transition-delay"),
        help: ArgumentHelp("How long STOPPING_* and DELETING last.", valueName: "duration"))
    var transitionDelay = "1s"
    @Flag(help: "No log line per request.") var quiet = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535.") }
        guard experiments >= 0 && experiments <= 1_000_000 else { throw ValidationError("--experiments must be 0…1000000.") }
        guard (0...1).contains(failRate) else { throw ValidationError("--fail-rate must be between 0 and 1.") }
        guard let ttl = DurationText.seconds(tokenTTL, max: 365 * 86_400), ttl > 0 else {
            throw ValidationError("--token-ttl '\(tokenTTL)': write a duration from 1s to 365d, such as 7d, 12h or 30m.")
        }
        guard DurationText.seconds(transitionDelay, max: 3_600) != nil else {
            throw ValidationError("--transition-delay '\(transitionDelay)': write a duration from 0 to 1h, such as 1s or 500ms.")
        }
        if let latency, DurationText.range(latency, max: 60) == nil {
            throw ValidationError(
                "--latency '\(latency)': write one duration or low-high with low ≤ high, each at most 60s, e.g. 100ms or 50ms-200ms.")
        }
    }

    func run() async throws {
        var c = MockConfiguration()
        c.host = host
        c.port = port
        c.seed = seed
        c.experiments = experiments
        c.spec = try await specOptions.load(strict: false)
        c.password = password
        c.tokenLifetime = DurationText.seconds(tokenTTL, max: 365 * 86_400) ?? 7 * 86_400
        c.stateFile = state
        c.latency = latency.flatMap { DurationText.range($0, max: 60) }
        c.failRate = failRate
        c.drift = drift
        c.transitionDelay = DurationText.seconds(transitionDelay, max: 3_600) ?? 1
        c.quiet = quiet
        c.docsPage = DocsCommand.page
        c.docsVerdict = APIDocsVerdict.answer
        let passwordHint = (password ?? "").isEmpty ? "a blank password" : "the password you gave"
        do {
            try await MockServer.run(c) { url in
                Console.err("detapi mock cluster listening on \(url)")
                Console.err(
                    "  log in: detapi call POST /api/v1/auth/login --master \(url) -d '{\"username\":\"determined\",\"password\":\"\"}'  (users admin and determined, \(passwordHint))"
                )
                Console.err("  or:     export DET_MASTER=\(url)")
            }
        } catch let error as MockError {
            throw CommandFailure.usage(error.description)
        } catch {
            throw CommandFailure(.transport, "mock cluster stopped: \(error)")
        }
    }
}
