import Foundation
import HTTP
import JSON
import OpenAPI

/// Runs scenarios against a master: builds each request, sends it, applies the automatic checks (documented
/// status, content type, response schema) and the step's own expectations, captures values, honours
/// `skip_rest_if`, `when`, `retry`, and always runs `finally`.
public struct Runner: Sendable {
    /// Where and how to run.
    public struct Options: Sendable {
        public var master: String
        public var token: String?
        public var user: String
        public var password: String
        public var nulls: NullPolicy = .optional
        public var overrides: [String: String] = [:]
        /// Whether passing steps keep their headers and bodies (the HTML and JSON reports show them); without,
        /// a long run holds counts and failures only, and skips rendering bodies nobody will read.
        public var keepPassingExchanges = true
        /// Polled between steps: once true (Ctrl-C), the remaining steps are skipped and `finally` still runs.
        public var interrupted: @Sendable () -> Bool = { false }

        public init(master: String, token: String? = nil, user: String = "determined", password: String = "") {
            self.master = master
            self.token = token
            self.user = user
            self.password = password
        }
    }

    public let model: APIModel
    public let client: HTTPClient
    public let options: Options

    public init(model: APIModel, client: HTTPClient, options: Options) {
        self.model = model
        self.client = client
        self.options = options
    }

    public func run(_ scenario: Scenario) async -> ScenarioResult {
        var vars = Variables()
        for v in scenario.vars {
            var value = v.value
            if let text = value.stringValue { value = .string(Variables.expandEnvironment(text)) }
            if let override = options.overrides[v.name] { value = .string(override) }
            vars.set(v.name, value, secret: v.secret)
        }
        if let token = options.token { vars.set("token", .string(token), secret: true) }
        var result = ScenarioResult(name: scenario.name, file: scenario.file, steps: [])
        let started = ContinuousClock.now
        var stopped = false
        for step in scenario.steps {
            if !stopped && options.interrupted() {
                result.skippedReason = "interrupted (Ctrl-C); finally steps still run"
                stopped = true
            }
            if stopped {
                result.steps.append(skipped(step, result.skippedReason ?? "an earlier step failed"))
                continue
            }
            let (stepResult, skipReason) = await run(step, &vars, scenarioStarted: started)
            result.steps.append(stepResult)
            switch stepResult.outcome {
            case .failed, .error: stopped = true
            default: break
            }
            if let skipReason {
                result.skippedReason = skipReason
                stopped = true
            }
        }
        for step in scenario.finally {
            var (stepResult, _) = await run(step, &vars, scenarioStarted: started)
            stepResult.isFinally = true
            result.steps.append(stepResult)
        }
        return result
    }

    private func skipped(_ step: Step, _ reason: String) -> StepResult {
        var result = StepResult(
            name: step.name, operationID: step.operation ?? "", method: "", url: "", milliseconds: 0, outcome: .skipped(reason))
        result.file = step.location.file
        result.line = step.location.line
        return result
    }

    private func truthy(_ v: JSONValue) -> Bool {
        switch v {
        case .null: return false
        case .bool(let b): return b
        case .string(let s): return !s.isEmpty
        case .number(let n): return n.doubleValue != 0
        default: return true
        }
    }

    /// Sends the step (polling when it has `retry`) and checks it; returns a skip reason when `skip_rest_if` holds.
    func run(_ step: Step, _ vars: inout Variables, scenarioStarted: ContinuousClock.Instant) async -> (StepResult, String?) {
        var result = StepResult(name: step.name, operationID: step.operation ?? "", method: "", url: "", milliseconds: 0, outcome: .passed)
        result.file = step.location.file
        result.line = step.location.line
        result.startMilliseconds = Self.milliseconds(scenarioStarted.duration(to: .now))
        do {
            // `when` with a variable that was never captured (its step was skipped) counts as false.
            if let when = step.when, !((try? vars.expand(when)).map(truthy) ?? false) {
                result.outcome = .skipped("'when' is false")
                return (result, nil)
            }
            let op = try ScenarioChecker(model: model).operation(for: step)
            result.operationID = op?.id ?? (step.request.map { "\($0.method) \($0.path)" } ?? "")
            let method = op?.method ?? step.request!.method
            let pathTemplate = op?.path ?? step.request!.path
            let needsAuth = step.auth.map { $0 == .bearer } ?? (op?.requiresAuthentication(global: model.globalSecurity) ?? false)
            var token: String?
            if needsAuth {
                if vars.values["token"] == nil { try await autoLogin(&vars) }
                token = vars.values["token"].map(Variables.text)
            }
            var pathValues: [(String, JSONValue)] = []
            for (k, v) in step.path { pathValues.append((k, try vars.expand(v))) }
            var query: [(String, JSONValue)] = []
            for (k, v) in step.query { query.append((k, try vars.expand(v))) }
            var headers: [(String, JSONValue)] = []
            for (k, v) in step.headers { headers.append((k, try vars.expand(v))) }
            let body = try step.body.map { (b) throws(HarnessError) in try vars.expand(b) }
            if let body { registerSecretFields(body, &vars) }
            let request = RequestBuilder(master: options.master).build(
                method: method, pathTemplate: pathTemplate, operation: op, path: pathValues, query: query, headers: headers, body: body,
                token: token)
            result.method = method
            result.url = vars.redactor.redact(request.url)
            result.curl = CurlCommand(redactor: vars.redactor).render(request, options: client.options)
            result.requestHeaders = vars.redactor.headers(request.headers)
            if let body {
                result.requestBody = StepResult.prefix(vars.redactor.redact(Checks.redactedBody(body, "")), bytes: 8_192).text
            }

            let deadline = ContinuousClock.now + .seconds(step.retry?.timeout ?? 0)
            var response: HTTPResponse
            var json: JSONValue = .null
            // Parsed once per answer: the tree for captures and expectations, the index for the schema check.
            var document: JSONDocument?
            let firstSent = ContinuousClock.now
            while true {
                result.attempts += 1
                response = try await send(request)
                document = try? JSONDocument(parsing: response.body)
                json = document.map { $0.value(at: $0.root) } ?? .null
                guard let retry = step.retry else { break }
                if let failIf = retry.failIf, Checks.assert(failIf, json) == nil {
                    result.failures.append("stopped polling: \(failIf.path) \(Checks.describe(failIf.check)) holds")
                    break
                }
                if Checks.assert(retry.until, json) == nil || ContinuousClock.now >= deadline || options.interrupted() { break }
                var wait = retry.wait(after: result.attempts)
                if response.status == 429 || response.status == 503, let after = response.headers["Retry-After"].flatMap(Double.init) {
                    wait = max(wait, after)
                }
                // Never sleep past the deadline: one last attempt happens at it.
                let left = ContinuousClock.now.duration(to: deadline)
                try? await Task.sleep(for: min(.seconds(wait), max(.zero, left)))
            }
            result.status = response.status
            // One request: curl's own timing; a poll: first send to last answer, waits included.
            result.milliseconds =
                result.attempts > 1 ? Self.milliseconds(firstSent.duration(to: .now)) : response.timings.total * 1000
            result.responseHeaders = vars.redactor.headers(response.headers)
            if let cookie = response.headers["Set-Cookie"], let eq = cookie.firstIndex(of: "="),
                let semi = cookie.firstIndex(of: ";") ?? Optional(cookie.endIndex)
            {
                let value = String(cookie[cookie.index(after: eq)..<semi])
                if !value.isEmpty { vars.set("__cookie", .string(value), secret: true) }
            }
            registerSecretFields(json, &vars)
            let checks = Checks(model: model, nulls: options.nulls)
            result.failures += checks.automatic(op, response, document: document, result: &result)
            result.failures += checks.expectations(try expanded(step.expect, vars), response, json)
            if let retry = step.retry, let failure = Checks.assert(retry.until, json) {
                result.failures.append(
                    options.interrupted() ? "interrupted while polling: \(failure)" : "gave up polling after \(retry.timeout)s: \(failure)")
            }
            result.failures = result.failures.map { vars.redactor.redact($0) }
            for capture in step.captures {
                let value: JSONValue?
                switch capture.source {
                case .json(let path): value = path.first(json)
                case .header(let name): value = response.headers[name].map(JSONValue.string)
                case .status: value = .number(JSONNumber(response.status))
                }
                if let value {
                    vars.set(capture.name, value, secret: capture.secret)
                } else if result.failures.isEmpty && step.skipRestIf == nil {
                    result.failures.append("capture '\(capture.name)': nothing there")
                } else {
                    vars.set(capture.name, .null, secret: false)
                }
            }
            result.outcome = result.failures.isEmpty ? .passed : .failed
            if result.outcome == .passed && !options.keepPassingExchanges {
                result.dropExchange()
            } else {
                let shownBody = vars.redactor.redact(Checks.redactedBody(json, response.bodyText))
                result.keepBody(shownBody, limit: StepResult.bodyLimit(failed: result.outcome != .passed))
            }
            if result.failures.isEmpty, let skip = step.skipRestIf {
                let selected = skip.path.select(json)
                let isEmpty =
                    selected.isEmpty
                    || selected.allSatisfy { $0.isNull || $0.arrayValue?.isEmpty == true || $0.objectValue?.isEmpty == true }
                if isEmpty == skip.empty { return (result, skip.reason) }
            }
        } catch let error as HarnessError {
            result.outcome = .error(vars.redactor.redact(error.description))
        } catch let error as HTTPClientError {
            result.outcome = .error("transport: " + vars.redactor.redact(error.description))
        } catch {
            result.outcome = .error(vars.redactor.redact("\(error)"))
        }
        return (result, nil)
    }

    static func milliseconds(_ d: Duration) -> Double {
        d.seconds * 1000
    }

    /// The expectation with `{{templates}}` in expected values filled in.
    private func expanded(_ e: Expectation, _ vars: Variables) throws(HarnessError) -> Expectation {
        var out = e
        out.json = []
        for a in e.json {
            var b = a
            switch a.check {
            case .equals(let v): b.check = .equals(try vars.expand(v))
            case .notEquals(let v): b.check = .notEquals(try vars.expand(v))
            case .contains(let v): b.check = .contains(try vars.expand(v))
            case .oneOf(let vs): b.check = .oneOf(try vs.map { (v) throws(HarnessError) in try vars.expand(v) })
            default: break
            }
            out.json.append(b)
        }
        return out
    }

    private func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await client.send(request)
    }

    /// Values of secret-named fields (password, token) in bodies become redacted everywhere.
    private func registerSecretFields(_ value: JSONValue, _ vars: inout Variables) {
        switch value {
        case .object(let o):
            for m in o {
                if Redactor.isSecretName(m.key), let s = m.value.stringValue { vars.set("__secret_\(m.key)", .string(s), secret: true) }
                registerSecretFields(m.value, &vars)
            }
        case .array(let a): for v in a { registerSecretFields(v, &vars) }
        default: break
        }
    }

    /// Logs in with DET_USER / DET_PASS (the det CLI's variables; determined with a blank password by default).
    private func autoLogin(_ vars: inout Variables) async throws {
        guard let login = model.operation(id: "Login") else { return }
        vars.set("__password", .string(options.password), secret: true)
        let body: JSONValue = ["username": .string(options.user), "password": .string(options.password)]
        let request = RequestBuilder(master: options.master).build(
            method: login.method, pathTemplate: login.path, operation: login, path: [], query: [], headers: [], body: body, token: nil)
        let response = try await client.send(request)
        guard response.status == 200, let token = (try? JSONValue(parsing: response.body))?["token"]?.stringValue else {
            throw HarnessError(
                message: "automatic login as '\(options.user)' failed with HTTP \(response.status); set DET_USER/DET_PASS or --token")
        }
        vars.set("token", .string(token), secret: true)
    }
}
