/// Decides when each scenario of a queue starts and when its result may be shown, as a value that returns
/// actions (the task group that owns it does the work): up to `jobs` scenarios in flight; one tagged
/// `writes` or `serial` runs alone (it changes or depends on shared state); results are emitted in queue
/// order as they become available; after a failure with `failFast`, or an interruption, nothing new starts.
public struct Scheduler: Sendable {
    /// What the owner should do next.
    public enum Action: Sendable, Hashable {
        /// Start the scenario at this queue position.
        case start(Int)
        /// Show the result of the scenario at this position (they come in queue order).
        case emit(Int)
    }

    public let jobs: Int
    public let failFast: Bool
    private let exclusive: [Bool]
    private var next = 0
    private var inFlight = 0
    private var exclusiveRunning = false
    private var stopped = false
    private var emitted = 0
    /// Finished positions not yet emitted; false for one that did not run (interrupted before it started).
    private var finished: [Int: Bool] = [:]

    /// `exclusive[i]` says whether the scenario at position i must run alone.
    public init(exclusive: [Bool], jobs: Int, failFast: Bool) {
        self.exclusive = exclusive
        self.jobs = max(1, jobs)
        self.failFast = failFast
    }

    /// Whether scenarios tagged like this run alone.
    public static func isExclusive(_ tags: [String]) -> Bool { tags.contains("writes") || tags.contains("serial") }

    /// The first scenarios to start.
    public mutating func begin() -> [Action] { fill() }

    /// A scenario ended; returns the results to show now and the scenarios to start.
    ///
    /// `ran` is false when it was interrupted before it started (no result); `failed` says whether it failed.
    public mutating func finished(_ position: Int, ran: Bool, failed: Bool) -> [Action] {
        inFlight -= 1
        if exclusive[position] { exclusiveRunning = false }
        if !ran { stopped = true }
        finished[position] = ran
        var actions: [Action] = []
        while let ran = finished.removeValue(forKey: emitted) {
            if ran { actions.append(.emit(emitted)) }
            emitted += 1
        }
        if failFast && failed { stopped = true }
        return actions + fill()
    }

    /// Stops starting scenarios (Ctrl-C, SIGTERM); those in flight still finish.
    public mutating func stop() { stopped = true }

    /// Whether nothing is in flight and nothing more will start.
    public var isDone: Bool { inFlight == 0 && (stopped || next >= exclusive.count) }

    private mutating func fill() -> [Action] {
        var actions: [Action] = []
        while next < exclusive.count, !stopped, inFlight < jobs, !exclusiveRunning {
            if exclusive[next] {
                guard inFlight == 0 else { break }
                exclusiveRunning = true
            }
            actions.append(.start(next))
            next += 1
            inFlight += 1
        }
        return actions
    }
}
