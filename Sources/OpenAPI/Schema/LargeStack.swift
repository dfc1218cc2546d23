import Foundation
import Synchronization

/// Runs deeply recursive work on a thread of its own with a stack big enough for the deepest input detapi
/// accepts (JSON nested 512 levels).
///
/// Swift's concurrency threads, and debug builds' large frames, leave too little stack for that; most
/// documents are shallow and never come here. Async callers use `run(_:) async`, which suspends instead of
/// blocking a thread of the cooperative pool; work already on such a thread runs in place.
public enum LargeStack {
    /// Nesting up to this is walked on the caller's thread.
    public static let threshold = 64
    static let stackSize = 256 << 20
    private static let marker = "detapi.largeStack"

    /// Whether the current thread is one of ours (then recursion has room already).
    static var onLargeStack: Bool { Thread.current.threadDictionary[marker] != nil }

    /// Runs `work` on a large stack and waits for it (for synchronous callers: `validate`, the CLI).
    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) -> T {
        if onLargeStack { return work() }
        let result = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        start {
            let value = work()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }

    /// Runs `work` on a large stack; the caller's task suspends until it is done, holding no thread.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        if onLargeStack { return work() }
        return await withCheckedContinuation { continuation in
            start { continuation.resume(returning: work()) }
        }
    }

    private static func start(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread {
            Thread.current.threadDictionary[marker] = true
            body()
        }
        thread.stackSize = stackSize
        thread.start()
    }
}
