import Dispatch
import Foundation
import JSON
import OpenAPI
import Synchronization
import Testing

@Suite("LargeStack: deep validation off the cooperative pool")
struct LargeStackTests {
    @Test("16 async callers waiting on large-stack work hold no pool thread: a task that releases them still runs")
    func suspendsInsteadOfBlocking() async {
        let release = DispatchSemaphore(value: 0)
        let watchdogFired = Atomic<Bool>(false)
        // Only a safety net against a hang if this ever regresses: it releases the work after 30 s and the test fails.
        DispatchQueue.global().asyncAfter(deadline: .now() + 30) {
            watchdogFired.store(true, ordering: .relaxed)
            for _ in 0..<16 { release.signal() }
        }
        let sum = await withTaskGroup(of: Int.self) { group in
            for i in 0..<16 {
                group.addTask {
                    await LargeStack.run {
                        release.wait()
                        return i
                    }
                }
            }
            // With callers blocking their threads, the pool would be full of waiters and this would never run.
            group.addTask {
                for _ in 0..<16 { release.signal() }
                return 0
            }
            var total = 0
            for await v in group { total += v }
            return total
        }
        #expect(sum == (0..<16).reduce(0, +))
        let fired = watchdogFired.load(ordering: .relaxed)
        #expect(!fired, "the releasing task ran only after the watchdog")
    }

    @Test("8 tasks validate documents nested as deep as the parser allows at once, each on its own large stack")
    func deepInParallel() async throws {
        let (model, schema) = try DeepDocumentTests.tree()
        let document = try JSONDocument(parsing: DeepDocumentTests.chain(255, leaf: #"{"children":"oops"}"#))
        let validator = model.validator()
        let counts = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { await LargeStack.run { validator.validate(document, against: schema).violations.count } } }
            var all: [Int] = []
            for await c in group { all.append(c) }
            return all
        }
        #expect(counts == Array(repeating: 1, count: 8))
    }
}
