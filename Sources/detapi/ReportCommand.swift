import ArgumentParser
import Foundation
import Harness
import JSON
import Reports

/// `detapi report`: work with reports after a run; today, joining the shards of a split run.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Work with the reports of earlier runs.",
        subcommands: [Merge.self]
    )

    /// `detapi report merge`: the report.json files of `--shard` jobs in, one set of reports out.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Join the report.json files of several runs (the shards of a CI matrix) into one set of reports.",
            discussion: """
                Scenarios keep the order of the files given, then their order inside each file. Exits 1 when a merged scenario failed, so the merge job can be the one CI gate; 2 when a file is missing or is not a detapi JSON report (the message names the file and the JSON pointer of the bad field).

                Example (a 3-job matrix, each job writing reports-$i/):
                  detapi run --mock --shard $i/3 --out reports-$i
                  detapi report merge reports-*/report.json --out reports
                """
        )

        @Argument(help: ArgumentHelp("report.json files written by 'detapi run'.", valueName: "report.json"))
        var files: [String]
        @OptionGroup var reportOptions: ReportOptions

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("give the report.json files to merge.") }
        }

        func run() throws {
            var records: [RunRecord] = []
            for file in files {
                let data: [UInt8]
                switch InputFile.read(file, what: "report", limit: 512 << 20) {
                case .success(let bytes): data = bytes
                case .failure(let failure): throw CommandFailure.usage(failure.description)
                }
                do {
                    records.append(try JSONReportReader.read(data, file: file))
                } catch {
                    throw CommandFailure.usage(error.description)
                }
            }
            try reportOptions.prepare()
            let merged = RunRecord.merged(records)
            let (shards, note) = RunRecord.shardSummary(records)
            Console.err(
                "detapi report merge: \(Plural.count(merged.results.count, "scenario")) from \(Plural.count(files.count, "report"))"
                    + (shards.isEmpty ? "" : " (shards \(shards.joined(separator: ", ")))"))
            if let note { Console.err("note: " + note) }
            Console.out(ConsoleReport.summary(merged.results))
            try reportOptions.write(merged)
            if merged.results.contains(where: \.failed) { throw ExitCode(DetapiExit.checkFailed.rawValue) }
        }
    }
}
