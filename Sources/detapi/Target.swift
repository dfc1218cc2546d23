import Foundation
import Harness
import MockCluster
import OpenAPI
import Reports

/// The master a command talks to: the embedded mock started for it (`--mock`), or `--master`/`$DET_MASTER`;
/// and the runner options every sending command starts from.
struct Target {
    let master: String
    let mock: MockServer?

    /// Starts the mock when asked; no master at all is a usage error that says how to give one.
    static func resolve(mock: Bool, connection: ConnectionOptions, model: APIModel) async throws -> Target {
        var configuration = MockConfiguration.embedded(spec: model)
        configuration.docsPage = DocsCommand.page
        configuration.docsVerdict = APIDocsVerdict.answer
        let server = mock ? try await MockServer.start(configuration) : nil
        guard let master = server?.baseURL ?? connection.resolvedMaster else {
            throw CommandFailure.usage("no master: pass --master URL, set DET_MASTER, or use --mock for the embedded mock cluster.")
        }
        return Target(master: master, mock: server)
    }

    /// Runner options for this master: the token given, the DET_USER/DET_PASS login, the null policy.
    func runnerOptions(connection: ConnectionOptions, nulls: NullPolicy) -> Runner.Options {
        var options = connection.runnerOptions(master: master)
        options.nulls = nulls
        return options
    }

    func stop() async { await mock?.stop() }
}
