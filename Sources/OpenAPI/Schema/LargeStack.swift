import Foundation
import Synchronization

/// Runs deeply recursive work on a thread of its own with a stack big enough for the deepest input detapi
/// accepts (JSON nested 512 levels), and waits for it.
///
/// Swift's concurrency threads, and debug builds' large frames, leave too little stack for that; most
/// documents are shallow and never come here.
enum LargeStack {
    /// Nesting up to this is walked on the caller's thread.
    static let threshold = 64
    static let stackSize = 256 << 20

    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) -> T {
        let result = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let value = work()
            result.withLock { $0 = value }
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
        return result.withLock { $0! }
    }
}
