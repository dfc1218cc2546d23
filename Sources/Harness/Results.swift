import JSON
import OpenAPI

/// What happened to one step: the exchange (redacted), every check that failed, and the schema verdict.
public struct StepResult: Sendable {
    public enum Outcome: Sendable, Equatable {
        case passed
        case failed
        case skipped(String)
        /// The step could not be sent or answered (transport failure, undefined variable at run time).
        case error(String)
    }

    public var name: String
    public var operationID: String
    public var method: String
    public var url: String
    public var status: Int?
    public var milliseconds: Double
    public var outcome: Outcome
    public var failures: [String] = []
    public var violations: [SchemaViolation] = []
    public var lenientNulls = 0
    public var curl: String = ""
    public var responseExcerpt: String = ""
    public var isFinally = false

    public init(name: String, operationID: String, method: String, url: String, status: Int? = nil, milliseconds: Double, outcome: Outcome)
    {
        self.name = name
        self.operationID = operationID
        self.method = method
        self.url = url
        self.status = status
        self.milliseconds = milliseconds
        self.outcome = outcome
    }
}

/// One scenario's run.
public struct ScenarioResult: Sendable {
    public var name: String
    public var file: String
    public var steps: [StepResult]
    public var skippedReason: String?

    public init(name: String, file: String, steps: [StepResult], skippedReason: String? = nil) {
        self.name = name
        self.file = file
        self.steps = steps
        self.skippedReason = skippedReason
    }

    public var failed: Bool {
        steps.contains {
            if case .failed = $0.outcome { return true } else if case .error = $0.outcome { return true } else { return false }
        }
    }
    public var transportError: Bool {
        steps.contains { if case .error(let m) = $0.outcome { return m.hasPrefix("transport: ") } else { return false } }
    }
}
