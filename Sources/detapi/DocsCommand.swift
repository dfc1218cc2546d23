import ArgumentParser
import Foundation
import OpenAPI
import Reports

/// `detapi docs`: write detapi's single-file API reference (with "Try it out") for a spec.
struct DocsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Write a single-file HTML API reference, with \"Try it out\", for a spec.",
        discussion: """
            The page groups operations by tag with their parameters and schemas; "Try it out" sends a request from the page to the origin that serves it (as the mock does at /docs/rest-api/), so open it from that server for the form to work. Nothing is fetched from elsewhere.

            Examples:
              detapi docs --out api.html
              detapi docs --spec ../shared/specs/determined-0.38.1.swagger.json --out determined-api.html
            """
    )

    @Option(help: ArgumentHelp("The HTML file to write (an existing file is replaced).", valueName: "file")) var out: String
    @OptionGroup var specOptions: SpecOptions
    @OptionGroup var masterOption: SpecMasterOption

    func run() async throws {
        let model = try await specOptions.load(strict: false, master: masterOption.resolved)
        let html: String
        do {
            html = try APIDocsPage.render(model)
        } catch {
            throw CommandFailure.usage("cannot render the page: \(error)")
        }
        do {
            try ReportWriter.write(html, to: out, mode: 0o644)
        } catch {
            throw CommandFailure.usage("cannot write \(out): \(error.reason)")
        }
        Console.err("wrote \(out) (\(Plural.count(model.operations.count, "operation")) of \(model.source))")
    }

    /// The page the mock serves at /docs/rest-api/.
    @Sendable static func page(_ model: APIModel) -> [UInt8]? {
        (try? APIDocsPage.render(model)).map { Array($0.utf8) }
    }
}
