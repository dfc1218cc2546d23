import HTTP
import JSON
import OpenAPI

/// The `--dry-run` plan: each scenario's requests as they would be sent.
///
/// Requests are built by `RequestBuilder`, so the plan has the same escaping and collection formats as `run`;
/// templates are left unexpanded and secret fields masked, and every request that can change the cluster is
/// marked, so a user sees, before anything is sent, exactly which endpoints a run will call. `PlanReport` (in Reports) renders it.
public struct Plan: Sendable {
    /// One scenario's planned requests.
    public struct Entry: Sendable {
        public var name: String
        public var file: String
        public var tags: [String]
        public var requests: [Request]
    }

    /// One planned request.
    public struct Request: Sendable {
        public var stepName: String
        public var isFinally: Bool
        public var method: String
        /// Path and query as sent, `{{templates}}` still in place.
        public var target: String
        /// The body with secret-named fields masked, compact JSON.
        public var body: String?
        public var when: String?
        /// Seconds a `retry` polls for at most.
        public var pollsUpTo: Double?
        /// Any method but GET, HEAD and OPTIONS may change the cluster.
        public var changesState: Bool { !["GET", "HEAD", "OPTIONS"].contains(method) }
    }

    public var entries: [Entry]

    public var requestCount: Int { entries.map(\.requests.count).reduce(0, +) }
    public var writeCount: Int { entries.map { $0.requests.filter(\.changesState).count }.reduce(0, +) }

    public init(_ scenarios: [Scenario], model: APIModel) {
        let checker = ScenarioChecker(model: model)
        let builder = RequestBuilder(master: "http://planned", basePath: model.basePath())
        let redactor = Redactor()
        entries = scenarios.map { s in
            let steps = s.steps.map { ($0, false) } + s.finally.map { ($0, true) }
            let requests = steps.map { step, isFinally in
                let op = try? checker.operation(for: step)
                let method = (step.request?.method ?? op?.method ?? "?").uppercased()
                let template = step.request?.path ?? op?.path ?? "?"
                let target = builder.target(pathTemplate: template, operation: op, path: step.path, query: step.query, keepTemplates: true)
                return Request(
                    stepName: step.name, isFinally: isFinally, method: method, target: target,
                    body: step.body.map(redactor.text), when: step.when.map(Variables.text), pollsUpTo: step.retry?.timeout)
            }
            return Entry(name: s.name, file: s.file, tags: s.tags, requests: requests)
        }
    }
}
