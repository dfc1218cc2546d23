/// detapi's exit codes, decided in one place for every command (the executable only passes them on).
///
/// 0 everything conformed and every status was the one expected · 1 a check failed · 2 usage, spec, scenario
/// or overlay error (nothing was sent, or the run cannot be trusted) · 3 the server could not be reached ·
/// 130/143 `run`/`conform` stopped by SIGINT/SIGTERM.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    case ok = 0
    case checkFailed = 1
    case usage = 2
    case unreachable = 3
    case interrupted = 130
    case terminated = 143

    public var code: Int32 { rawValue }

    /// A run or a sweep: a signal decides first, then an unreachable server, then any failed check.
    public static func run(_ results: [ScenarioResult], signal: String? = nil) -> ExitStatus {
        switch signal {
        case "SIGINT"?: return .interrupted
        case "SIGTERM"?: return .terminated
        default: break
        }
        switch RunVerdict(results) {
        case .passed: return .ok
        case .checkFailed: return .checkFailed
        case .unreachable: return .unreachable
        }
    }

    /// A sweep: as a run, and below `--min-coverage` it fails (1) even when every answer conformed.
    public static func conform(_ results: [ScenarioResult], signal: String? = nil, coverageMet: Bool) -> ExitStatus {
        let status = run(results, signal: signal)
        return status == .ok && !coverageMet ? .checkFailed : status
    }

    /// `detapi call`: 0 only for a 2xx answer that conforms (or any answer with `--no-validate`, unless `--fail`
    /// and 400 or more); a request the spec refuses (nothing sent) is 2; no answer is 3.
    public static func call(_ result: StepResult, validated: Bool, failOnHTTPError: Bool) -> ExitStatus {
        if case .error(let failure) = result.outcome { return failure.kind.isTransport ? .unreachable : .usage }
        if result.failures.contains(where: { $0.kind == .request }) { return .usage }
        if validated && result.outcome == .failed { return .checkFailed }
        if failOnHTTPError, let status = result.status, status >= 400 { return .checkFailed }
        return .ok
    }

    /// `report merge`: a failed scenario, or a set of shards with one missing or given twice (unless allowed).
    public static func merge(_ results: [ScenarioResult], shardsRefused: Bool) -> ExitStatus {
        if shardsRefused { return .checkFailed }
        return results.contains(where: \.failed) ? .checkFailed : .ok
    }
}
