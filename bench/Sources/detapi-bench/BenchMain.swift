import Foundation
import JSON

/// Benchmarks for bench/run.sh: generates inputs and times detapi's code paths against Foundation.
///
/// Usage:
///   detapi-bench gen-experiments OUT [MB]     write a deterministic GetExperiments body (default 10 MB)
///   detapi-bench gen-experiments-nonull OUT [MB]   the same without null fields (for validators with no null policy)
///   detapi-bench json-parse FILE [SECONDS]    MB/s of JSONDocument and of JSONSerialization on FILE
///   detapi-bench validate SPEC BODY [SECONDS]  bytes-to-verdict MB/s against v1GetExperimentsResponse
///   detapi-bench memory SPEC BODY             peak RSS growth while validating BODY
///   detapi-bench spec-load SPEC [SECONDS]     load + index + compile time of a spec
///   detapi-bench gen-spec SPEC OUT MB         grow a Swagger 2.0 spec to about MB megabytes
///   detapi-bench complete SPEC [SECONDS]      explore's Tab completion, milliseconds per call
@main
enum BenchMain {
    static func main() throws {
        let args = CommandLine.arguments
        guard args.count >= 3 else {
            FileHandle.standardError.write(Data("usage: detapi-bench gen-experiments OUT [MB] | json-parse FILE [SECONDS]\n".utf8))
            exit(2)
        }
        switch args[1] {
        case "gen-experiments":
            let mb = args.count > 3 ? Double(args[3]) ?? 10 : 10
            var generator = ExperimentsGenerator(seed: 42)
            let bytes = generator.response(targetBytes: Int(mb * 1_000_000))
            try Data(bytes).write(to: URL(fileURLWithPath: args[2]))
            print("wrote \(bytes.count) bytes to \(args[2])")
        case "gen-experiments-nonull":
            let mb = args.count > 3 ? Double(args[3]) ?? 10 : 10
            var generator = ExperimentsGenerator(seed: 42, omitNulls: true)
            let bytes = generator.response(targetBytes: Int(mb * 1_000_000))
            try Data(bytes).write(to: URL(fileURLWithPath: args[2]))
            print("wrote \(bytes.count) bytes to \(args[2])")
        case "validate":
            try ValidateBench.validate(spec: args[2], body: args[3], seconds: args.count > 4 ? Double(args[4]) ?? 3 : 3)
        case "memory":
            try ValidateBench.memory(spec: args[2], body: args[3])
        case "spec-load":
            try ValidateBench.load(spec: args[2], seconds: args.count > 3 ? Double(args[3]) ?? 3 : 3)
        case "gen-spec":
            try SpecGenerator.grow(args[2], to: Int((Double(args[4]) ?? 4) * 1_000_000), out: args[3])
        case "complete":
            try CompletionBench.run(spec: args[2], seconds: args.count > 3 ? Double(args[3]) ?? 3 : 3)
        case "json-parse":
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: args[2])))
            let seconds = args.count > 3 ? Double(args[3]) ?? 3 : 3
            JSONParseBench.run(bytes: bytes, seconds: seconds)
        default:
            FileHandle.standardError.write(Data("unknown benchmark \(args[1])\n".utf8))
            exit(2)
        }
    }
}
