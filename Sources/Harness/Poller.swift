import HTTP
import JSON

/// When a polling step (`retry`) sends again, waits, or stops: a state machine over the answers, with no clock
/// of its own (the runner passes `now`) and no I/O.
///
/// After each answer: `fail_if` holding stops at once; `until` holding, the deadline passing or an interrupt
/// stops; else it waits (the growing interval, or the server's `Retry-After` on 429/503 when longer), never past
/// the deadline: one last attempt happens at it.
public struct Poller: Sendable {
    /// What to do after an answer.
    public enum Action: Sendable, Equatable {
        /// Send again now.
        case send
        /// Wait this long, then send again.
        case wait(Duration)
        /// No more requests.
        case stop(Stop)
    }

    /// Why polling stopped.
    public enum Stop: Sendable, Equatable {
        /// No `retry`, or `until` holds.
        case done
        /// `fail_if` holds.
        case failIf
        /// The deadline passed with `until` still false.
        case deadline
        /// The run was interrupted with `until` still false.
        case interrupted
    }

    public let retry: Retry?
    public let deadline: ContinuousClock.Instant
    /// Answers seen so far.
    public private(set) var attempts = 0

    public init(retry: Retry?, start: ContinuousClock.Instant) {
        self.retry = retry
        self.deadline = start + .seconds(retry?.timeout ?? 0)
    }

    /// The action after an answer; `json` is read only when a condition needs it.
    public mutating func next(
        json: () -> JSONValue, status: Int, headers: HTTPHeaders, now: ContinuousClock.Instant, interrupted: Bool
    ) -> Action {
        attempts += 1
        guard let retry else { return .stop(.done) }
        let value = json()
        if let failIf = retry.failIf, Checks.assert(failIf, value) == nil { return .stop(.failIf) }
        if Checks.assert(retry.until, value) == nil { return .stop(.done) }
        if interrupted { return .stop(.interrupted) }
        if now >= deadline { return .stop(.deadline) }
        var wait = retry.wait(after: attempts)
        if status == 429 || status == 503, let after = headers["Retry-After"].flatMap(Double.init), after.isFinite, after >= 0 {
            wait = max(wait, min(after, retry.timeout))
        }
        let left = now.duration(to: deadline)
        let d = min(Duration.seconds(wait), max(.zero, left))
        return d <= .zero ? .send : .wait(d)
    }
}
