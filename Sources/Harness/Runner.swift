import Foundation
import HTTP
import JSON
import OpenAPI

/// Runs scenarios against a master: builds each request (`RequestBuilder`), sends it (`HTTPClient`), checks
/// the answer (`Checks`), captures values, honours `skip_rest_if`, `when`, `retry`, and always runs `finally`.
///
/// `detapi call` sends its one step through `exchange(_:vars:)`, the same path.
public struct Runner: Sendable {
    /// Where and how to run.
    public struct Options: Sendable {
        public var master: String
        public var token: String?
        public var credentials: Credentials
        public var nulls: NullPolicy = .optional
        public var overrides: [String: String] = [:]
        /// Whether a step that needs a token and has none logs in with `credentials` first (`run`: yes; `call`:
        /// no, it sends what it was given).
        public var autoLogin = true
        /// Whether the automatic checks run (`call --no-validate` turns them off).
        public var validate = true
        /// Whether passing steps keep their headers and bodies (the HTML and JSON reports show them); without,
        /// a long run holds counts and failures only, and skips rendering bodies nobody will read.
        public var keepPassingExchanges = true
        /// Polled between steps: once true (Ctrl-C), the remaining steps are skipped and `finally` still runs.
        public var interrupted: @Sendable () -> Bool = { false }
        /// Gets the chunks of a server stream's 2xx body as they arrive (`detapi call` prints them live).
        public var onStreamChunk: (@Sendable ([UInt8]) -> Void)?
        /// How many times in all a `finally` step is sent while its answers are transient (Runner+Finally).
        public var finallyAttempts = 5
        /// How the runner waits between those attempts; tests pass one that returns at once.
        public var sleep: @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) }

        public init(master: String, token: String? = nil, credentials: Credentials = Credentials()) {
            self.master = master
            self.token = token
            self.credentials = credentials
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

    /// The variables a scenario starts with: its `vars` (environment expanded, `--var` applied) and the token.
    public func initialVariables(_ scenario: Scenario) -> Variables {
        var vars = Variables()
        for v in scenario.vars {
            var value = v.value
            if let text = value.stringValue { value = .string(Variables.expandEnvironment(text)) }
            if let override = options.overrides[v.name] { value = .string(override) }
            vars.set(v.name, value, secret: v.secret)
        }
        if let token = options.token { vars.set("token", .string(token), secret: true) }
        return vars
    }

    public func run(_ scenario: Scenario) async -> ScenarioResult {
        var vars = initialVariables(scenario)
        var result = ScenarioResult(name: scenario.name, file: scenario.file, steps: [])
        let started = ContinuousClock.now
        var stopped = false
        for step in scenario.steps {
            if !stopped && options.interrupted() {
                result.skippedReason = "interrupted; finally steps still run"
                stopped = true
            }
            if stopped {
                result.steps.append(skipped(step, result.skippedReason ?? "an earlier step failed"))
                continue
            }
            let exchange = await self.exchange(step, vars: &vars, scenarioStarted: started)
            result.steps.append(exchange.result)
            switch exchange.result.outcome {
            case .failed, .error: stopped = true
            default: break
            }
            if let skipReason = exchange.skipReason {
                result.skippedReason = skipReason
                stopped = true
            }
        }
        for step in scenario.finally {
            result.steps.append(await runFinally(step, vars: &vars, scenarioStarted: started))
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

    /// Sends one step (polling when it has `retry`) and checks its answer.
    ///
    /// The result is redacted; the request and response are returned as they went over the wire, for a caller
    /// that shows the body itself (`detapi call`).
    public func exchange(_ step: Step, vars: inout Variables, scenarioStarted: ContinuousClock.Instant = .now) async -> StepExchange {
        var exchange = StepExchange(
            result: StepResult(name: step.name, operationID: step.operation ?? "", method: "", url: "", milliseconds: 0, outcome: .passed))
        exchange.result.file = step.location.file
        exchange.result.line = step.location.line
        exchange.result.startMilliseconds = Self.milliseconds(scenarioStarted.duration(to: .now))
        do {
            // `when` with a variable that was never captured (its step was skipped) counts as false.
            if let when = step.when, !((try? vars.expand(when)).map(truthy) ?? false) {
                exchange.result.outcome = .skipped("'when' is false")
                return exchange
            }
            try await send(step, &vars, &exchange)
        } catch let error as HarnessError {
            exchange.result.outcome = .error(CheckFailure(.scenario, message: vars.redactor.redact(error.message)))
        } catch let error as HTTPClientError {
            // A URL curl cannot use is the step's fault, not the server's.
            let kind: CheckFailure.Kind = error.kind == .invalidURL ? .scenario : .transport
            exchange.result.outcome = .error(CheckFailure(kind, message: vars.redactor.redact(error.description)))
        } catch {
            exchange.result.outcome = .error(CheckFailure(.scenario, message: vars.redactor.redact("\(error)")))
        }
        return exchange
    }

    private func send(_ step: Step, _ vars: inout Variables, _ exchange: inout StepExchange) async throws {
        let op = try ScenarioChecker(model: model).operation(for: step)
        exchange.operation = op
        exchange.result.operationID = op?.id ?? (step.request.map { "\($0.method) \($0.path)" } ?? "")
        let method = step.request?.method ?? op?.method ?? "GET"
        let pathTemplate = step.request?.path ?? op?.path ?? "/"
        let needsAuth = step.auth.map { $0 == .bearer } ?? (op?.requiresAuthentication(global: model.globalSecurity) ?? false)
        var token: String?
        if needsAuth {
            if vars.values["token"] == nil && options.autoLogin { try await autoLogin(&vars) }
            token = vars.values["token"].map(Variables.text)
        }
        var pathValues: [(String, JSONValue)] = []
        for (k, v) in step.path { pathValues.append((k, try vars.expand(v))) }
        var query: [(String, JSONValue)] = []
        for (k, v) in step.query { query.append((k, try vars.expand(v))) }
        var headers: [(String, JSONValue)] = []
        for (k, v) in step.headers { headers.append((k, try vars.expand(v))) }
        var body: RequestPayload?
        if let json = step.body {
            let expanded = try vars.expand(json)
            vars.registerSecrets(in: expanded)
            body = .json(expanded)
        } else if let bytes = step.bodyBytes {
            body = .bytes(bytes)
        }
        let request = RequestBuilder(master: options.master).build(
            method: method, pathTemplate: pathTemplate, operation: op, path: pathValues, query: query, headers: headers, body: body,
            token: token)
        exchange.request = request
        var result = exchange.result
        result.method = method
        result.url = vars.redactor.redact(request.url)
        var parsedBody: JSONValue?
        if case .json(let value)? = body { parsedBody = value }
        let shownBody = request.body.map { vars.redactor.body($0, parsed: parsedBody) }
        // The repro is rendered when a report will show it: always for kept exchanges, else only on failure.
        let clientOptions = client.options
        func repro(_ redactor: Redactor) -> String {
            CurlCommand(redactor: redactor).render(request, options: clientOptions, shownBody: shownBody)
        }
        if options.keepPassingExchanges { result.curl = repro(vars.redactor) }
        result.requestHeaders = vars.redactor.headers(request.headers)
        if let shownBody { result.requestBody = StepResult.prefix(shownBody, bytes: 8_192).text }
        exchange.result = result

        let deadline = ContinuousClock.now + .seconds(step.retry?.timeout ?? 0)
        var response: HTTPResponse
        var json: JSONValue = .null
        // Parsed once per answer: the tree for captures and expectations, the index for the schema check.
        var document: JSONDocument?
        var failures: [CheckFailure] = []
        let firstSent = ContinuousClock.now
        while true {
            result.attempts += 1
            exchange.result.attempts = result.attempts
            do {
                let streams = op?.response(for: 200).map(StreamCheck.isStream) ?? false
                response = try await client.send(request, onBody: streams ? options.onStreamChunk : nil)
            } catch {
                if exchange.result.curl.isEmpty { exchange.result.curl = repro(vars.redactor) }
                throw error
            }
            document = try? JSONDocument(parsing: response.body)
            json = document.map { $0.value(at: $0.root) } ?? .null
            guard let retry = step.retry else { break }
            if let failIf = retry.failIf, Checks.assert(failIf, json) == nil {
                failures.append(
                    CheckFailure(
                        .polling, at: .jsonPath(failIf.path.description), expected: "not to " + Checks.wanted(failIf.check),
                        actual: Checks.short(failIf.path.first(json) ?? .null),
                        message: "stopped polling: \(failIf.path) \(Checks.describe(failIf.check))"))
                break
            }
            if Checks.assert(retry.until, json) == nil || ContinuousClock.now >= deadline || options.interrupted() { break }
            var wait = retry.wait(after: result.attempts)
            if response.status == 429 || response.status == 503,
                let after = response.headers["Retry-After"].flatMap(Double.init), after.isFinite, after >= 0
            {
                wait = max(wait, min(after, retry.timeout))
            }
            // Never sleep past the deadline: one last attempt happens at it.
            let left = ContinuousClock.now.duration(to: deadline)
            try? await Task.sleep(for: min(.seconds(wait), max(.zero, left)))
        }
        exchange.response = response
        exchange.document = document
        result.status = response.status
        // One request: curl's own timing; a poll: first send to last answer, waits included.
        result.milliseconds = result.attempts > 1 ? Self.milliseconds(firstSent.duration(to: .now)) : response.timings.total * 1000
        result.responseHeaders = vars.redactor.headers(response.headers)
        vars.registerCookies(from: response.headers)
        vars.registerSecrets(in: json)
        let checks = Checks(model: model, nulls: options.nulls)
        if options.validate {
            // A deep answer is checked on a large stack while this task waits suspended (no pool thread blocked).
            let answer = response
            let parsed = document
            let verdict =
                (document?.depth ?? 0) > LargeStack.threshold
                ? await LargeStack.run { checks.automatic(op, answer, document: parsed) }
                : checks.automatic(op, response, document: document)
            failures += verdict.failures
            exchange.schema = verdict.schema
            result.violations = verdict.schema?.violations ?? []
            result.lenientNulls = verdict.schema?.lenientNulls ?? 0
        }
        failures += checks.expectations(try expanded(step.expect, vars), response, document == nil ? nil : json)
        if let retry = step.retry, let failure = Checks.assert(retry.until, json) {
            var f = failure
            f.kind = .polling
            f.message =
                (options.interrupted()
                    ? "interrupted while polling: " : "gave up polling after \(DurationText.describe(retry.timeout)): ") + failure.message
            failures.append(f)
        }
        for capture in step.captures {
            let value: JSONValue?
            switch capture.source {
            case .json(let path): value = path.first(json)
            case .header(let name): value = response.headers[name].map(JSONValue.string)
            case .status: value = .number(JSONNumber(response.status))
            }
            if let value {
                vars.set(capture.name, value, secret: capture.secret)
            } else if failures.isEmpty && step.skipRestIf == nil {
                let at: CheckFailure.Location
                switch capture.source {
                case .json(let path): at = .jsonPath(path.description)
                case .header(let name): at = .header(name)
                case .status: at = .none
                }
                failures.append(CheckFailure(.capture, at: at, actual: "absent", message: "capture '\(capture.name)': nothing there"))
            } else {
                vars.set(capture.name, .null, secret: false)
            }
        }
        let redactor = vars.redactor
        result.failures = failures.map { $0.mapText(redactor.redact) }
        result.outcome = result.failures.isEmpty ? .passed : .failed
        if result.curl.isEmpty && result.outcome != .passed { result.curl = repro(redactor) }
        if result.outcome == .passed && !options.keepPassingExchanges {
            result.dropExchange()
        } else {
            result.keepBody(
                redactor.body(response.body, parsed: document == nil ? nil : json),
                limit: StepResult.bodyLimit(failed: result.outcome != .passed))
        }
        exchange.result = result
        if result.failures.isEmpty, let skip = step.skipRestIf {
            let selected = skip.path.select(json)
            let isEmpty =
                selected.isEmpty
                || selected.allSatisfy { $0.isNull || $0.arrayValue?.isEmpty == true || $0.objectValue?.isEmpty == true }
            if isEmpty == skip.empty { exchange.skipReason = skip.reason }
        }
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

    /// Logs in with the run's credentials (DET_USER / DET_PASS; determined with a blank password by default).
    private func autoLogin(_ vars: inout Variables) async throws {
        guard let login = model.operation(id: "Login") else { return }
        let user = options.credentials.user
        vars.set("__password", .string(options.credentials.password), secret: true)
        let body: JSONValue = ["username": .string(user), "password": .string(options.credentials.password)]
        let request = RequestBuilder(master: options.master).build(
            method: login.method, pathTemplate: login.path, operation: login, path: [], query: [], headers: [], body: .json(body),
            token: nil)
        let response = try await client.send(request)
        guard response.status == 200, let token = (try? JSONValue(parsing: response.body))?["token"]?.stringValue else {
            throw HarnessError(
                message: "automatic login as '\(user)' failed with HTTP \(response.status); set DET_USER/DET_PASS or --token")
        }
        vars.set("token", .string(token), secret: true)
    }
}

/// One step as it went: the redacted result for reports, and the request and answer as they went over the
/// wire for a caller that shows them (`detapi call` prints the body; `explore` keeps it as `last`).
public struct StepExchange: Sendable {
    public var result: StepResult
    public var operation: OpenAPI.Operation?
    public var request: HTTPRequest?
    public var response: HTTPResponse?
    /// The parsed answer, nil when it is not JSON.
    public var document: JSONDocument?
    /// The schema check of the last answer, when it got that far.
    public var schema: SchemaVerdict?
    /// Set when `skip_rest_if` held.
    public var skipReason: String?

    public init(result: StepResult) { self.result = result }
}

/// The login `detapi run` uses when a step needs a token and none was given: the det CLI's DET_USER and
/// DET_PASS, `determined` with a blank password by default (a fresh cluster's).
public struct Credentials: Sendable, Hashable {
    public var user: String
    public var password: String

    public init(user: String = "determined", password: String = "") {
        self.user = user
        self.password = password
    }

    /// DET_USER and DET_PASS from `environment`; an empty DET_USER counts as unset.
    public init(environment: [String: String]) {
        self.init(user: environment["DET_USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "determined", password: environment["DET_PASS"] ?? "")
    }
}
