import HTTP
import JSON
import OpenAPI

/// A step's request made concrete: templates expanded, values checked against the spec, the `HTTPRequest` built
/// (through `RequestBuilder`, the one place requests are made), and what reports may show of it, redacted.
///
/// When an expanded value cannot be its parameter's type, format or enum, or the body breaks the request schema,
/// `problems` says so and the runner sends nothing (unless the step says `request_check: off`).
struct StepRequest {
    var request: HTTPRequest
    /// The body as reports show it, secrets masked; nil without a body.
    var shownBody: String?
    /// What is wrong with the request by the spec; when non-empty, nothing is sent.
    var problems: [CheckFailure]

    init(
        _ step: Step, operation op: OpenAPI.Operation?, model: APIModel, master: String, credential: RequestCredential?,
        serverVariables: [String: String] = [:], vars: inout Variables
    ) throws(HarnessError) {
        var path: [(String, JSONValue)] = []
        for (k, v) in step.path { path.append((k, try vars.expand(v))) }
        var query: [(String, JSONValue)] = []
        for (k, v) in step.query { query.append((k, try vars.expand(v))) }
        var headers: [(String, JSONValue)] = []
        for (k, v) in step.headers {
            let value = try vars.expand(v)
            headers.append((k, value))
            // A secret-named header's value (X-API-Key, Authorization: token …) is hidden wherever it appears later.
            if Redactor.isSecretName(k) || vars.redactor.isSensitiveHeader(k) { vars.registerCredential(Variables.text(value)) }
        }
        var body: RequestPayload?
        var parsedBody: JSONValue?
        if let json = step.body {
            let expanded = try vars.expand(json)
            vars.registerSecrets(in: expanded)
            body = .json(expanded)
            parsedBody = expanded
        } else if let bytes = step.bodyBytes {
            body = .bytes(bytes)
        }
        problems = []
        if let op, step.requestCheck, step.operation != nil {
            problems = Self.problems(op, model: model, path: path, query: query, headers: headers, body: parsedBody)
        }
        let method = step.request?.method ?? op?.method ?? "GET"
        let pathTemplate = step.request?.path ?? op?.path ?? "/"
        request = RequestBuilder(master: master, basePath: model.basePath(variables: serverVariables)).build(
            method: method, pathTemplate: pathTemplate, operation: op, path: path, query: query, headers: headers, body: body,
            credential: credential, contentType: step.contentType)
        shownBody = request.body.map { vars.redactor.body($0, parsed: parsedBody) }
    }

    /// What the spec says is wrong with these values: each parameter's type, format and enum, and the body
    /// against the request schema.
    static func problems(
        _ op: OpenAPI.Operation, model: APIModel, path: [(String, JSONValue)], query: [(String, JSONValue)],
        headers: [(String, JSONValue)], body: JSONValue?
    ) -> [CheckFailure] {
        var out = ParameterCheck.problems(op, path: path, query: query, headers: headers).map { failure($0.problem) }
        if let body, let node = op.requestBody?.schemaNode {
            out += bodyProblems(gatewayBody(body, path: path), node: node, op: op, model: model)
        }
        return out
    }

    /// The body as the server reads it: grpc-gateway fills a field of the body message from a dotted path
    /// parameter (`PATCH /experiments/{experiment.id}` sets the body's `id`), so such a field counts as given.
    static func gatewayBody(_ body: JSONValue, path: [(String, JSONValue)]) -> JSONValue {
        guard case .object(var object) = body else { return body }
        for (name, value) in path where name.contains(Character(".")) {
            guard let field = name.split(separator: ".").last.map(String.init), object[field] == nil else { continue }
            object[field] = value
        }
        return .object(object)
    }

    static func failure(_ problem: ParameterProblem) -> CheckFailure {
        CheckFailure(
            .request, at: .request(in: problem.location, name: problem.name), expected: problem.wantedText, actual: problem.value,
            reason: .parameterValue(problem))
    }

    /// The body's violations of the operation's request schema.
    static func bodyProblems(_ body: JSONValue, node: Int, op: OpenAPI.Operation, model: APIModel) -> [CheckFailure] {
        guard let document = try? JSONDocument(parsing: JSONWriter().bytes(body)) else { return [] }
        let result = model.validator(direction: .request).validate(document, against: node)
        return result.violations.map { v in
            CheckFailure(
                .request, at: .request(in: "body", name: v.instancePointer.description), expected: v.keyword,
                reason: .requestBody(operation: op.id, pointer: v.instancePointer.description, message: v.message),
                schemaLocation: v.schemaLocation)
        }
    }
}
