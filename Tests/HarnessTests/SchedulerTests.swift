import Harness
import Testing

@Suite("Scheduler: jobs, exclusive scenarios, ordered output, fail-fast")
struct SchedulerTests {
    @Test("up to `jobs` run at once; results are emitted in queue order however they finish")
    func ordered() {
        var s = Scheduler(exclusive: [false, false, false, false], jobs: 2, failFast: false)
        #expect(s.begin() == [.start(0), .start(1)])
        #expect(s.finished(1, ran: true, failed: false) == [.start(2)], "1 waits for 0 before it is shown")
        #expect(s.finished(0, ran: true, failed: false) == [.emit(0), .emit(1), .start(3)])
        #expect(s.finished(3, ran: true, failed: false) == [])
        #expect(!s.isDone)
        #expect(s.finished(2, ran: true, failed: false) == [.emit(2), .emit(3)])
        #expect(s.isDone)
    }

    @Test("a writes/serial scenario waits for the others to finish and runs alone")
    func exclusive() {
        var s = Scheduler(exclusive: [false, true, false], jobs: 4, failFast: false)
        #expect(s.begin() == [.start(0)], "the exclusive one does not start beside a running one")
        #expect(s.finished(0, ran: true, failed: false) == [.emit(0), .start(1)])
        #expect(s.finished(1, ran: true, failed: false) == [.emit(1), .start(2)], "nothing starts beside it")
        #expect(s.finished(2, ran: true, failed: false) == [.emit(2)])
        #expect(Scheduler.isExclusive(["writes"]) && Scheduler.isExclusive(["serial", "x"]) && !Scheduler.isExclusive(["reads"]))
    }

    @Test("fail-fast: after a failure nothing new starts, what is in flight still finishes and is shown")
    func failFast() {
        var s = Scheduler(exclusive: [false, false, false, false], jobs: 2, failFast: true)
        _ = s.begin()
        #expect(s.finished(0, ran: true, failed: true) == [.emit(0)])
        #expect(s.finished(1, ran: true, failed: false) == [.emit(1)])
        #expect(s.isDone)
    }

    @Test("an interruption: a scenario that did not run is not shown, and nothing more starts")
    func interrupted() {
        var s = Scheduler(exclusive: [false, false, false], jobs: 2, failFast: false)
        _ = s.begin()
        #expect(s.finished(0, ran: false, failed: false) == [])
        #expect(s.finished(1, ran: true, failed: false) == [.emit(1)])
        #expect(s.isDone)
        var stopped = Scheduler(exclusive: [false, false], jobs: 1, failFast: false)
        _ = stopped.begin()
        stopped.stop()
        #expect(stopped.finished(0, ran: true, failed: false) == [.emit(0)])
        #expect(stopped.isDone)
    }
}
