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
                Scenarios keep the order of the files given, then their order inside each file. Exits 1 when a merged scenario failed or when the files do not hold every shard of the split exactly once (a crashed shard must not give a green gate; the reports name the missing shards, and --allow-partial merges anyway and marks them partial), so the merge job can be the one CI gate; 2 when a file is missing or is not a detapi JSON report (the message names the file and the JSON pointer of the bad field).

                Example (a 3-job matrix, each job writing reports-$i/):
                  detapi run --mock --shard $i/3 --out reports-$i
                  detapi report merge reports-*/report.json --out reports
                """
        )

        @Argument(help: ArgumentHelp("report.json files written by 'detapi run'.", valueName: "report.json"))
        var files: [String]
        @Flag(
            name: .customLong("allow-partial"),
            help: "Merge a set that lacks a shard (or holds one twice) without failing; the reports say partial.")
        var allowPartial = false
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
            var merged = RunRecord.merged(records)
            merged.partial = RunRecord.shardGap(records)
            merged.partial?.allowed = allowPartial
            let shards = records.compactMap(\.shard)
            Console.err(
                "detapi report merge: \(Plural.count(merged.results.count, "scenario")) from \(Plural.count(files.count, "report"))"
                    + (shards.isEmpty ? "" : " (shards \(shards.joined(separator: ", ")))"))
            if let gap = merged.partial { Console.err("detapi: " + gap.text) }
            if let coverage = merged.conform { Console.out(ConformReport.coverage(coverage, results: merged.results)) }
            Console.out(ConsoleReport.summary(merged.results))
            try reportOptions.write(merged)
            throw ExitCode(ExitStatus.merge(merged.results, shardsRefused: merged.partial.map { !$0.allowed } ?? false).code)
        }
    }
}
