import Foundation
import OpenAPI

/// How a mock cluster is started: where, with which data, and which faults to inject.
public struct MockConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 lets the system choose a free port (what tests and `--mock` use).
    public var port = 8080
    public var seed: UInt64 = 1
    public var experiments = 50
    /// Operations the mock answers generically (from SchemaSampler) besides the modeled ones; nil: detapi's own spec.
    public var spec: APIModel?
    /// Password of both built-in users; nil or "" leaves them password-less, as a fresh cluster is.
    public var password: String?
    public var tokenLifetime: TimeInterval = 7 * 86_400
    /// Persist state here (JSON, written atomically) and load it on start.
    public var stateFile: String?
    /// Added delay per request, in seconds (a range picks uniformly).
    public var latency: ClosedRange<Double>?
    /// Share of requests (0…1) answered with 503 + Retry-After or 500 instead.
    public var failRate: Double = 0
    /// Break successful bodies against the schema (a wrong type, a missing required field, an unknown enum).
    public var drift = false
    /// Fault /info too (off: /info always answers, so a client can find the master).
    public var faultInfo = false
    /// Seconds a STOPPING_* or DELETING state lasts before it resolves.
    public var transitionDelay: TimeInterval = 1
    /// One log line per request on stderr unless quiet.
    public var quiet = false
    public var version = "0.38.1"
    /// Test-only: modeled routes (by operationId, any case: "getusers") that answer without credentials, so a
    /// test can prove `detapi conform`'s ignored_auth check catches an operation that ignores its security.
    public var unauthenticatedRoutes: Set<String> = []
    /// Test-only: requests (method, path) for which this returns true are answered 503 with `Retry-After: 1`
    /// instead, unprocessed, as `--fail-rate` does at random: a test picks exactly which ones.
    public var injectUnavailable: (@Sendable (_ method: String, _ path: String) -> Bool)?
    /// The time tokens expire and transitions resolve by: the system's, or a test's `ManualClock`.
    public var clock: MockClock = .system
    /// Test-only: TrialLogs streams end with an unterminated `{"error": …}` object after this many lines, as a
    /// master's stream does when it breaks after the first results.
    public var streamErrorAfter: Int?
    /// Test-only broken behaviours, so a test can prove conform's chain checks catch them.
    public var breakage: Set<MockBreakage> = []
    /// Renders the HTML page served at `/docs/rest-api/` (detapi's API reference, from the executable), once,
    /// on the first request for it; nil answers 404 there, as a master built without its web UI does.
    public var docsPage: (@Sendable (APIModel) -> [UInt8]?)?
    /// Checks an answer the page's "Try it out" received (posted to `/docs/rest-api/verdict`) and answers the
    /// verdict as `(status, JSON body)`; nil answers 404 there, and the page says the answer was not validated.
    public var docsVerdict: (@Sendable (APIModel, [UInt8]) -> (status: Int, body: [UInt8]))?

    public init() {}

    /// The mock `--mock` starts inside another command: a free port, no request log, answering from `spec`.
    public static func embedded(spec: APIModel) -> MockConfiguration {
        var c = MockConfiguration()
        c.port = 0
        c.quiet = true
        c.spec = spec
        return c
    }
}

/// A deliberately wrong behaviour a test turns on (`MockConfiguration.breakage`).
public enum MockBreakage: String, Sendable, Hashable {
    /// DeleteWorkspace answers as usual but keeps the workspace readable (caught by `use_after_free`).
    case keepsDeletedWorkspaces
    /// GetWorkspaces leaves out workspaces created after the seed (caught by `ensure_resource_availability`).
    case hidesNewWorkspaces
}
