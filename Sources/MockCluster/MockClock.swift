import Foundation
import Synchronization

/// The mock's sense of time, injected so tests advance it instead of sleeping: token expiry and the end of
/// STOPPING_* and DELETING states are decided by it.
public struct MockClock: Sendable {
    public var now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) { self.now = now }

    /// The system clock.
    public static let system = MockClock { Date() }

    /// A clock that moves only when `manual` is advanced.
    public static func manual(_ manual: ManualClock) -> MockClock { MockClock { manual.now } }
}

/// A clock a test moves by hand.
public final class ManualClock: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_767_225_600)) { current = Mutex(start) }

    public var now: Date { current.withLock { $0 } }

    /// Moves time forward.
    public func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}
