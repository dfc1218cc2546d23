import Foundation

/// `conform --rate-limit N/s`: at most N requests per second (or per minute, `N/m`) across all workers, so a
/// sweep of a shared staging cluster stays polite.
public actor RateLimit {
    public let interval: Duration
    private var next: ContinuousClock.Instant?

    public init(perSecond: Double) {
        interval = .nanoseconds(Int64(1_000_000_000 / perSecond))
    }

    /// Parses `10/s`, `600/m` or `10`; nil with no error for an absent option.
    public static func parse(_ text: String) -> Result<RateLimit, HarnessError> {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        let unit = parts.count == 2 ? parts[1].lowercased() : "s"
        guard let count = parts.first.flatMap(Double.init), count.isFinite, count > 0, count <= 100_000,
            let seconds: Double = ["s": 1, "sec": 1, "m": 60, "min": 60][unit]
        else {
            return .failure(HarnessError(message: "--rate-limit: '\(text)' is not a rate; write 10/s or 600/m (at most 100000/s)"))
        }
        return .success(RateLimit(perSecond: count / seconds))
    }

    /// Waits for the next free slot.
    public func acquire() async {
        let now = ContinuousClock.now
        let slot = max(now, next ?? now)
        next = slot + interval
        if slot > now { try? await Task.sleep(until: slot, clock: .continuous) }
    }
}
