import JSON
import OpenAPI

/// Checks a scenario against the spec before anything is sent: operations exist (with the nearest valid id),
/// parameters are known and required ones given, variables are defined before use, literal bodies match the
/// request schema.
public struct ScenarioChecker: Sendable {
    public let model: APIModel

    public init(model: APIModel) { self.model = model }

    /// The operation a step means, or an error at the step's position.
    public func operation(for step: Step) throws(HarnessError) -> OpenAPI.Operation? {
        let l = step.location
        if let id = step.operation {
            guard let op = model.operation(id: id) else {
                let near = model.suggestions(for: id, limit: 1).first ?? ""
                throw HarnessError(
                    file: l.file, line: l.line, column: l.column,
                    message: "step '\(step.name)': no operation '\(id)' in \(model.source); did you mean '\(near)'?")
            }
            return op
        }
        if let (method, path) = step.request {
            let plain = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
            // A raw path may be written with the spec's base path (`/base/get`) or without it (`/get`).
            let base = model.basePath()
            if !base.isEmpty, plain.hasPrefix(base + "/"),
                let op = model.operation(method: method, path: String(plain.dropFirst(base.count)))
            {
                return op
            }
            return model.operation(method: method, path: plain)
        }
        return nil
    }

    public func check(_ scenario: Scenario, predefined: Set<String>) throws(HarnessError) {
        var defined = predefined.union(scenario.vars.map(\.name))
        for step in scenario.steps + scenario.finally {
            let l = step.location
            func fail(_ message: String) -> HarnessError {
                HarnessError(file: l.file, line: l.line, column: l.column, message: "step '\(step.name)': \(message)")
            }
            let op = try operation(for: step)
            // A for_each's list is read before its variable exists; the variable is defined for the step itself.
            if let each = step.forEach {
                for name in Variables.references(in: each.values) where !defined.contains(name) {
                    throw fail("undefined variable '\(name)' in for_each (define it under vars, or capture it in an earlier step)")
                }
                defined.insert(each.variable)
            }
            var values: [JSONValue] = step.path.map(\.1) + step.query.map(\.1) + step.headers.map(\.1)
            if let body = step.body { values.append(body) }
            if let when = step.when { values.append(when) }
            for a in step.expect.json {
                switch a.check {
                case .equals(let v), .notEquals(let v), .contains(let v): values.append(v)
                case .oneOf(let vs): values += vs
                case .numberTemplate(_, let template): values.append(.string(template))
                default: break
                }
            }
            for name in values.flatMap(Variables.references(in:)) where !defined.contains(name) {
                throw fail("undefined variable '\(name)' (define it under vars, or capture it in an earlier step)")
            }
            // A raw `request:` names a concrete path; only operation steps fill parameters by name.
            if let op, step.operation != nil {
                for p in op.parameters where p.location == .path && !step.path.contains(where: { $0.0 == p.name }) {
                    throw fail("\(op.id) needs the path parameter '\(p.name)'")
                }
                for (name, _) in step.path where !op.parameters.contains(where: { $0.name == name && $0.location == .path }) {
                    throw fail(
                        "\(op.id) has no path parameter '\(name)' (it has: \(op.parameters.filter { $0.location == .path }.map(\.name).joined(separator: ", ")))"
                    )
                }
                for (name, _) in step.query where !op.parameters.contains(where: { $0.name == name && $0.location == .query }) {
                    let near = op.parameters.filter { $0.location == .query }.map(\.name).min {
                        EditDistance.between($0, name) < EditDistance.between($1, name)
                    }
                    throw fail("\(op.id) has no query parameter '\(name)'\(near.map { "; did you mean '\($0)'?" } ?? "")")
                }
                for p in op.parameters where p.location == .query && p.required && !step.query.contains(where: { $0.0 == p.name }) {
                    throw fail("\(op.id) needs the query parameter '\(p.name)'")
                }
                if step.requestCheck {
                    if let (problem, value) = ParameterCheck.problems(op, path: step.path, query: step.query, headers: step.headers).first {
                        let at = step.valueLocations["\(problem.location).\(problem.name)"] ?? l
                        throw HarnessError(
                            file: at.file, line: at.line, column: at.column,
                            message:
                                "step '\(step.name)': \(problem) (\(value.typeName) \(JSONWriter().string(value))); write request_check: off to send it anyway"
                        )
                    }
                }
                if step.requestCheck, let body = step.body, Variables.references(in: body).isEmpty, let node = op.requestBody?.schemaNode {
                    let result = model.validator(direction: .request).validate(
                        try! JSONDocument(parsing: JSONWriter().bytes(StepRequest.gatewayBody(body, path: step.path))), against: node)
                    if let first = result.violations.first { throw fail("the body does not match \(op.id)'s request schema: \(first)") }
                }
            } else if op == nil && step.request == nil {
                throw fail("no operation")
            }
            for c in step.captures { defined.insert(c.name) }
        }
    }
}
