import HTTP
import JSON
import OpenAPI

/// `detapi conform`'s sweep of every safe (GET/HEAD) operation of a spec.
///
/// Each is sent once with its parameters filled, on the same step path as `run` (`Runner.exchange`: RequestBuilder → HTTPClient → Checks →
/// Redactor), plus the conform checks. Results come back as one `ScenarioResult` per tag with a step per
/// operation, so every report renders them as it renders a run.
///
/// Path parameters are filled from earlier answers (links inferred by name: `experimentId` and the `id` of
/// `/api/v1/workspaces/{id}` take the first `id` of an `experiments` or `workspaces` list seen), else from the
/// spec's example, default or first enum value, else from `SchemaSampler` with `seed`.
public struct Sweep: Sendable {
    /// Which operations to sweep.
    public struct Selection: Sendable {
        public var tags: [String] = []
        public var operations: [String] = []
        public var excluded: [String] = []
        public var includeDeprecated = false

        public init(tags: [String] = [], operations: [String] = [], excluded: [String] = [], includeDeprecated: Bool = false) {
            self.tags = tags
            self.operations = operations
            self.excluded = excluded
            self.includeDeprecated = includeDeprecated
        }
    }

    public let model: APIModel
    public let seed: UInt64
    /// The operations swept, in the order they are sent: those that need no path parameter first.
    public let operations: [OpenAPI.Operation]

    public init(model: APIModel, selection: Selection, seed: UInt64 = 1) {
        self.model = model
        self.seed = seed
        let lowerTags = Set(selection.tags.map { $0.lowercased() })
        let lowerOps = Set(selection.operations.map { $0.lowercased() })
        let excluded = Set(selection.excluded.map { $0.lowercased() })
        operations = model.operations.filter { op in
            ["GET", "HEAD"].contains(op.method) && (selection.includeDeprecated || !op.deprecated)
                && (lowerTags.isEmpty || op.tags.contains { lowerTags.contains($0.lowercased()) })
                && (lowerOps.isEmpty || lowerOps.contains(op.id.lowercased())) && !excluded.contains(op.id.lowercased())
        }
    }

    /// Sends every operation and returns a result per tag, in the spec's tag order.
    public func run(with runner: Runner) async -> [ScenarioResult] {
        var vars = Variables()
        if let token = runner.options.token { vars.set("token", .string(token), secret: true) }
        var found: [String: JSONValue] = [:]
        var pending = operations
        var steps: [(OpenAPI.Operation, StepResult)] = []
        // Each pass sends what its links allow; an operation whose link never appears gets sampled values.
        while !pending.isEmpty {
            let ready = pending.filter { op in pathParameters(op).allSatisfy { link(for: $0, in: op).map { found[$0] != nil } ?? true } }
            let batch = ready.isEmpty ? pending : ready
            pending.removeAll { op in batch.contains { $0.id == op.id } }
            for op in batch {
                let step = self.step(for: op, found: found)
                let exchange = await runner.exchange(step, vars: &vars)
                var result = exchange.result
                if let status = result.status, status >= 500 {
                    result.failures.insert(
                        CheckFailure(
                            .serverError, expected: "below 500", actual: String(status), message: "status \(status): the server failed"),
                        at: 0)
                }
                // Only an answer that worked says anything about what the same request without credentials gets.
                if op.requiresAuthentication(global: model.globalSecurity), let status = result.status,
                    (200..<300).contains(status)
                {
                    var anonymous = step
                    anonymous.auth = Step.Auth.none
                    var none = Variables()
                    let check = await runner.exchange(anonymous, vars: &none)
                    if let status = check.result.status, status != 401 {
                        result.failures.append(
                            CheckFailure(
                                .ignoredAuth, expected: "401", actual: String(status),
                                message: "without credentials the answer is \(status), expected 401: the operation ignores its security"))
                    }
                }
                if !result.failures.isEmpty, result.outcome == .passed { result.outcome = .failed }
                if let document = exchange.document { Sweep.collect(document.value(at: document.root), into: &found) }
                steps.append((op, result))
            }
        }
        var byTag: [(String, [StepResult])] = []
        for group in model.operationsByTag() {
            let results = group.operations.compactMap { op in steps.first { $0.0.id == op.id }?.1 }
            if !results.isEmpty { byTag.append((group.tag, results)) }
        }
        return byTag.map { ScenarioResult(name: $0.0, file: model.source, steps: $0.1) }
    }

    func pathParameters(_ op: OpenAPI.Operation) -> [Parameter] { op.parameters.filter { $0.location == .path } }

    /// The list a path parameter's value comes from: `experimentId` → `experiments`; `{id}` after
    /// `/workspaces/` → `workspaces`.
    func link(for p: Parameter, in op: OpenAPI.Operation) -> String? {
        if p.name.hasSuffix("Id"), p.name.count > 2 { return String(p.name.dropLast(2)) + "s" }
        guard p.name == "id" else { return nil }
        let segments = op.path.split(separator: "/")
        guard let i = segments.firstIndex(of: "{id}"), i > 0 else { return nil }
        return String(segments[i - 1])
    }

    /// The step for an operation: linked path values, then example/default/enum, then a sample; required query
    /// parameters the same way.
    func step(for op: OpenAPI.Operation, found: [String: JSONValue]) -> Step {
        var step = Step(name: op.id, operation: op.id, location: SourceLocation(file: model.source, line: 0, column: 0))
        for p in op.parameters where p.location == .path || (p.location == .query && p.required) {
            let value = link(for: p, in: op).flatMap { found[$0] } ?? specValue(p)
            if p.location == .path { step.path.append((p.name, value)) } else { step.query.append((p.name, value)) }
        }
        return step
    }

    func specValue(_ p: Parameter) -> JSONValue {
        if let example = p.schema["example"] ?? p.schema["x-example"] { return example }
        if let d = p.defaultValue { return d }
        if let first = p.enumValues?.first { return first }
        if let node = p.schemaNode { return SchemaSampler(schemas: model.schemas, maxDepth: 1).sample(node, seed: seed) }
        return p.type == "integer" ? 1 : "x"
    }

    /// Remembers the first `id` of every top-level list of objects in an answer (`experiments`, `workspaces`).
    static func collect(_ value: JSONValue, into found: inout [String: JSONValue]) {
        guard let object = value.objectValue else { return }
        for m in object where found[m.key] == nil {
            if let first = m.value.arrayValue?.first, let id = first["id"], !id.isNull { found[m.key] = id }
        }
    }
}

extension CheckFailure.Kind {
    /// conform: a 5xx answer (Schemathesis's `not_a_server_error`).
    public static let serverError = CheckFailure.Kind(rawValue: "not_a_server_error")
    /// conform: an operation with security answered without credentials (Schemathesis's `ignored_auth`).
    public static let ignoredAuth = CheckFailure.Kind(rawValue: "ignored_auth")
}
