import ArgumentParser

/// The root command: lists the front doors and says how exit codes work.
struct DetAPI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detapi",
        abstract: "Explore and contract-test the REST API of a Determined cluster, or any OpenAPI-described API.",
        discussion: """
            Start here:
              detapi call GET /api/v1/master --master http://127.0.0.1:8080
                  send one request, pretty-print the answer (-v for headers and timings, --curl for a repro)

            Environment:
              DET_MASTER   default for --master (the cluster's base URL)
              DET_TOKEN    default for --token (sent as Authorization: Bearer)
              NO_COLOR     disables colour

            Exit codes (every command):
              0  all checks passed (for `call`: any HTTP answer)
              1  a check failed
              2  usage, spec or input error; nothing was sent, or the run cannot be trusted
              3  the server could not be reached (refused, DNS, TLS, timeout)
            """,
        version: DetapiVersion.full,
        subcommands: [RunCommand.self, CallCommand.self, SpecCommand.self, ValidateCommand.self, MockCommand.self, ReportCommand.self]
    )
}
