import Foundation
import HTTP
import JSON

/// How `finally` steps ride out a master that fails now and then: they put the cluster back, so a passing
/// moment matters more than the first answer.
///
/// A `finally` step whose answer is transient (429, 500, 502, 503, 504, or no answer at all) is sent again,
/// up to `Runner.Options.finallyAttempts` times in all, after 0.5 s, 1 s, 2 s… (at most 8 s), or after the
/// server's `Retry-After` when it is longer (at most 30 s). Ordinary steps are never resent: a 503 there is a
/// finding, not an inconvenience.
extension Runner {
    func runFinally(_ step: Step, vars: inout Variables, scenarioStarted: ContinuousClock.Instant) async -> StepResult {
        var exchange = await self.exchange(step, vars: &vars, scenarioStarted: scenarioStarted)
        var attempts = exchange.result.attempts
        var tries = 1
        while tries < options.finallyAttempts, let wait = Self.transientWait(exchange, try: tries) {
            await options.clock.sleep(wait)
            tries += 1
            exchange = await self.exchange(step, vars: &vars, scenarioStarted: scenarioStarted)
            attempts += exchange.result.attempts
        }
        // Every request sent, the resends included (a polling step counts its polls).
        var result = exchange.result
        result.attempts = attempts
        result.isFinally = true
        return result
    }

    /// The wait before resending a `finally` step after its `try`-th answer, or nil when that answer stands.
    static func transientWait(_ exchange: StepExchange, try n: Int) -> Duration? {
        let backoff = min(8, 0.5 * pow(2, Double(n - 1)))
        switch exchange.result.outcome {
        case .error(let failure) where failure.kind == .transport:
            return .milliseconds(Int(backoff * 1000))
        case .failed:
            guard let status = exchange.response?.status, [429, 500, 502, 503, 504].contains(status) else { return nil }
            let after = exchange.response?.headers["Retry-After"].flatMap(Double.init).flatMap {
                $0.isFinite && $0 >= 0 ? min($0, 30) : nil
            }
            return .milliseconds(Int(max(backoff, after ?? 0) * 1000))
        default:
            return nil
        }
    }
}
