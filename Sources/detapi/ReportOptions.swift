import ArgumentParser
import JSON
import Reports

/// `--report` and `--out`, shared by `detapi run` and `detapi report merge`, and the writing of the chosen files.
struct ReportOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Reports to write: junit, html, json, or none.", valueName: "list"))
    var report = "junit,html,json"
    @Option(help: ArgumentHelp("Folder for the reports.", valueName: "dir"))
    var out = "reports"

    func validate() throws {
        for kind in report.split(separator: ",") where !["junit", "html", "json", "none"].contains(kind) {
            throw ValidationError("--report '\(kind)': write junit, html, json or none.")
        }
    }

    /// Fails now, before anything runs, when the report folder cannot be written.
    func prepare() throws {
        guard report.split(separator: ",").contains(where: { $0 != "none" }) else { return }
        do {
            try ReportWriter.prepare(folder: out)
        } catch {
            throw CommandFailure.usage("cannot write reports into \(out): \(error.reason)")
        }
    }

    /// Whether a chosen report shows passing steps' headers and bodies (HTML and JSON do; JUnit does not).
    var keepsExchanges: Bool {
        report.split(separator: ",").contains { $0 == "html" || $0 == "json" }
    }

    /// Writes each chosen report of `run` into `out`, atomically, and names each file on stderr.
    func write(_ run: RunRecord, title: String = "detapi report") throws {
        let kinds = Set(report.split(separator: ",").map(String.init))
        do {
            if kinds.contains("junit") {
                try ReportWriter.write(JUnitReport.render(run), to: out + "/junit.xml")
                Console.err("wrote \(out)/junit.xml")
            }
            if kinds.contains("html") {
                try ReportWriter.write(try HTMLReport.render(run, title: title), to: out + "/report.html")
                Console.err("wrote \(out)/report.html")
            }
            if kinds.contains("json") {
                try ReportWriter.write(JSONWriter(style: .pretty).string(JSONReport.render(run)) + "\n", to: out + "/report.json")
                Console.err("wrote \(out)/report.json")
            }
        } catch {
            throw CommandFailure.usage("cannot write \(error)")
        }
    }
}
