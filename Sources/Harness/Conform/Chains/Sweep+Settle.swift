import HTTP
import JSON
import OpenAPI

extension Sweep {
    /// How long a chain waits for an object to leave a state in transition (`STATE_STOPPING_KILLED`,
    /// `STATE_DELETING`) before it judges what it sees.
    static let settleTimeout: Duration = .seconds(60)

    /// The words of a `state` or `status` value that say the object is on its way somewhere (an experiment being
    /// killed or deleted), not at rest.
    static let transitionWords = ["STOPPING", "DELETING", "TERMINATING"]

    /// Whether an object's answer shows it in transition: a `state` or `status` string, at the top or in the one
    /// member that holds the object (`{"experiment": {"state": "STATE_DELETING"}}`), naming a transition.
    static func inTransition(_ answer: JSONValue) -> Bool {
        for holder in objectHolders(answer) {
            for key in ["state", "status"] {
                guard let value = holder[key]?.stringValue?.uppercased() else { continue }
                if transitionWords.contains(where: value.contains) { return true }
            }
        }
        return false
    }

    /// Reads the object until it is no longer in transition, and returns the last read.
    ///
    /// It waits at most `settleTimeout`, on the run's clock. After a kill, an experiment that still has trials is
    /// `STOPPING_KILLED` for a while and refuses what follows until it has ended.
    @discardableResult
    func settle(
        _ kind: ResourceKind, plan: ChainPlan, objects: ChainObjects, found: [String: JSONValue], runner: Runner, vars: inout Variables
    ) async -> StepResult? {
        guard let read = kind.read else { return nil }
        let clock = runner.options.clock
        let deadline = clock.now() + Self.settleTimeout
        var wait: Duration = .milliseconds(50)
        while true {
            let exchange = await runner.exchange(chainStep(read, plan: plan, objects: objects, found: found), vars: &vars)
            guard (200..<300).contains(exchange.result.status ?? 0), let body = exchange.response?.body,
                let answer = try? JSONValue(parsing: body), Self.inTransition(answer), clock.now() < deadline,
                !runner.options.interrupted()
            else { return exchange.result }
            await clock.sleep(wait)
            wait = min(wait * 2, .seconds(1))
        }
    }
}
