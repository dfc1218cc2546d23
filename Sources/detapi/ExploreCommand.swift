import ArgumentParser
import Explorer
import Foundation
import HTTP
import Harness
import MockCluster
import OpenAPI

/// `detapi explore`: the terminal "try it out": browse, describe, send, validate, curl, save as a scenario.
struct ExploreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Browse the API, send requests and check the answers, in a terminal REPL.",
        discussion: """
            At a terminal: line editing, history, Tab completion (commands, operations, name= parameters, enum values, {{variables}}); 'help' lists the commands. With stdin not a terminal, commands are read line by line (script mode): no prompt, no colour; exit 1 when an answer broke the spec, 2 at the first unknown command or bad arguments.

            Examples:
              detapi explore --mock
              detapi explore --master https://staging:8080 --user admin
              printf 'ops Experiments\\ntry GetExperiments limit=1\\nsave s.yaml\\n' | detapi explore --mock
            """
    )

    @Flag(help: "Start the embedded mock cluster for this session.") var mock = false
    @Option(
        help: ArgumentHelp(
            "null in optional fields: optional or strict [default: optional for the Determined API, strict for any other].",
            valueName: "policy"))
    var nulls: NullPolicy?
    @OptionGroup var specOptions: SpecOptions
    @OptionGroup(title: "Connection options") var connection: ConnectionOptions

    /// `--user NAME`: log in as NAME at the start (the password is asked; $DET_PASS in script mode).
    private var loginUser: String? { connection.user.flatMap { $0.contains(":") ? nil : $0 } }

    func run() async throws {
        let model = try await specOptions.load(
            strict: false, master: mock ? nil : connection.resolvedMaster, clientOptions: connection.clientOptions,
            connection: connection)
        let target = try await Target.resolve(mock: mock, connection: connection, model: model)
        let master = target.master
        var session = ExplorerSession(
            model: model, master: master, token: connection.resolvedToken, client: HTTPClient(options: connection.clientOptions),
            nulls: nulls ?? .default(for: model),
            credentials: connection.credentials)
        for (name, value) in connection.resolvedHeaders { session.setHeader(name, value) }
        let interactive = isatty(0) == 1
        let code: Int32
        if interactive {
            code = await ExplorerLoop.terminal(&session, user: loginUser)
        } else {
            Console.errText(session.banner)
            code = await ExplorerLoop.script(&session, user: loginUser)
        }
        await target.stop()
        throw ExitCode(code)
    }
}
