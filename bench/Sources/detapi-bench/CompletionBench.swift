import Explorer
import Foundation
import OpenAPI

/// Times explore's Tab completion in process over a spec's operations (the issue's figure: under 5 ms).
enum CompletionBench {
    static func run(spec: String, seconds: Double) throws {
        let model = try SpecLoader.load(path: spec)
        let lines = ["try GetExp", "try ", "show get", "try GetExperiments ord", "try GetExperiments orderBy=", "ops Exp", "t"]
        for line in lines {
            var count = 0
            let result = Measure.throughput(bytes: 1_000_000, seconds: seconds / Double(lines.count)) {
                count = ExplorerCompletion.complete(line, model: model, variables: ["id", "token"]).candidates.count
            }
            // throughput of "1 MB" per run is runs per second; print milliseconds per completion.
            print(
                "complete \"\(line)\" over \(model.operations.count) operations: \(count) candidates, median \(String(format: "%.3f", 1000 / result.median)) ms, best \(String(format: "%.3f", 1000 / result.best)) ms (\(result.runs) runs)"
            )
        }
    }
}
