import Foundation

/// Repeats a closure for about `seconds` and reports the best and median throughput.
enum Measure {
    struct Result {
        let best: Double
        let median: Double
        let runs: Int
    }

    /// Runs `body` repeatedly (at least 3 times) and returns MB/s figures for `bytes` processed per run.
    static func throughput(bytes: Int, seconds: Double, _ body: () -> Void) -> Result {
        body()  // warm-up
        var times: [Double] = []
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(seconds)
        while times.count < 3 || clock.now < deadline {
            let start = clock.now
            body()
            let d = clock.now - start
            times.append(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        }
        times.sort()
        let mb = Double(bytes) / 1_000_000
        return Result(best: mb / times[0], median: mb / times[times.count / 2], runs: times.count)
    }

    static func format(_ v: Double) -> String { String(format: "%.1f", v) }
}
