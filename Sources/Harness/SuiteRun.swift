/// Runs a suite's queue with a `Scheduler`.
///
/// It starts what the scheduler says, hands each result to `emit` in queue order, and returns the results
/// that ran. The caller decides what to print; this decides nothing about output.
public enum SuiteRun {
    public static func run(
        _ queue: [Scenario], runner: Runner, jobs: Int, failFast: Bool, emit: (ScenarioResult) -> Void
    ) async -> [ScenarioResult] {
        var scheduler = Scheduler(exclusive: queue.map { Scheduler.isExclusive($0.tags) }, jobs: jobs, failFast: failFast)
        let interrupted = runner.options.interrupted
        var results: [Int: ScenarioResult] = [:]
        var shown: [ScenarioResult] = []
        await withTaskGroup(of: (Int, ScenarioResult?).self) { group in
            func perform(_ actions: [Scheduler.Action]) {
                for action in actions {
                    switch action {
                    case .start(let i):
                        let scenario = queue[i]
                        group.addTask { interrupted() ? (i, nil) : (i, await runner.run(scenario)) }
                    case .emit(let i):
                        if let r = results.removeValue(forKey: i) {
                            shown.append(r)
                            emit(r)
                        }
                    }
                }
            }
            perform(scheduler.begin())
            while let (i, result) = await group.next() {
                if let result { results[i] = result }
                if interrupted() { scheduler.stop() }
                perform(scheduler.finished(i, ran: result != nil, failed: result?.failed ?? false))
            }
        }
        return shown
    }
}
