import Synchronization

/// The time a run reads and waits on: the system's, or a manual one that tests move forward.
///
/// Polling (`retry`), `finally` resends and step timings all read this one clock, so a test of a 10-second poll
/// waits for nothing and still sees 10 seconds pass.
public struct RunClock: Sendable {
    public var now: @Sendable () -> ContinuousClock.Instant
    public var sleep: @Sendable (Duration) async -> Void

    public init(now: @escaping @Sendable () -> ContinuousClock.Instant, sleep: @escaping @Sendable (Duration) async -> Void) {
        self.now = now
        self.sleep = sleep
    }

    /// The wall clock.
    public static let system = RunClock(now: { .now }, sleep: { try? await Task.sleep(for: $0) })

    /// A clock that stands still until slept on.
    ///
    /// Each sleep moves it forward by the duration asked and returns at once. `waits` records every sleep, for tests.
    public static func manual() -> (clock: RunClock, waits: ManualWaits) {
        let waits = ManualWaits()
        return (RunClock(now: { waits.now }, sleep: { waits.record($0) }), waits)
    }
}

/// The sleeps a manual `RunClock` was asked for, and where it stands.
public final class ManualWaits: Sendable {
    private let state = Mutex<(start: ContinuousClock.Instant, elapsed: Duration, waits: [Duration])>((.now, .zero, []))

    public init() {}

    public var now: ContinuousClock.Instant { state.withLock { $0.start + $0.elapsed } }
    public var waits: [Duration] { state.withLock { $0.waits } }

    public func record(_ d: Duration) {
        state.withLock {
            $0.waits.append(d)
            $0.elapsed += d
        }
    }

    /// Moves the clock without a sleep (time a request took).
    public func advance(_ d: Duration) { state.withLock { $0.elapsed += d } }
}
