import Foundation
import JSON

/// Benchmarks for bench/run.sh: generates inputs and times detapi's code paths against Foundation.
///
/// Usage:
///   detapi-bench gen-experiments OUT [MB]     write a deterministic GetExperiments body (default 10 MB)
///   detapi-bench json-parse FILE [SECONDS]    MB/s of JSONDocument and of JSONSerialization on FILE
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
