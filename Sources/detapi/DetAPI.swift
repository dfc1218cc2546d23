import ArgumentParser

/// The root command: lists the front doors and says how exit codes work.
struct DetAPI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detapi",
        abstract: "Explore and contract-test the REST API of a Determined cluster, or any OpenAPI-described API.",
        discussion: """
            Start here:
              detapi run --mock
                  the built-in scenarios against the embedded mock cluster
              detapi call GET /api/v1/master --master http://127.0.0.1:8080
                  one request, pretty-printed (-v: headers and timings; --curl: a repro)
              detapi spec ops --tag Experiments
                  what the API offers

            Environment:
              DET_MASTER   default for --master (the cluster's base URL)
              DET_TOKEN    default for --token (sent as Authorization: Bearer)
              DET_USER, DET_PASS
                           the login 'detapi run' uses when a scenario needs one
              DETAPI_SPEC  default for --spec
              NO_COLOR     disables colour

            Exit codes (every command):
              0  everything conformed and every status was the one expected (for 'call': a 2xx
                 answer that conforms; with --no-validate, any answer)
              1  a check failed (for 'call': a status other than 2xx, or an answer that breaks the spec;
                 for 'report merge': also a shard missing or given twice; for 'conform': also below
                 --min-coverage)
              2  usage, spec, scenario or overlay error (a value or body the spec refuses included);
                 nothing was sent, or the run cannot be trusted
              3  the server could not be reached (refused, DNS, TLS, timeout)
              130, 143  'run' or 'conform' stopped by Ctrl-C (SIGINT) or a cancelled CI job
                 (SIGTERM): finally ran, the reports say interrupted; a second signal quits at once
            """,
        version: DetapiVersion.full,
        subcommands: [
            RunCommand.self, ConformCommand.self, CallCommand.self, ExploreCommand.self, SpecCommand.self, ValidateCommand.self,
            MockCommand.self, DocsCommand.self,
            ReportCommand.self,
        ]
    )
}
