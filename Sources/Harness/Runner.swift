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
        /// The clock polling, `finally` resends and timings read and wait on; tests pass a manual one.
        public var clock: RunClock = .system
        /// Go on after a failed step (`run --keep-going`), as if every step said `on_failure: continue`.
        public var keepGoing = false
        /// `--auth-scheme`: the security scheme to use when an operation accepts several.
        public var authScheme: String?
        /// `user:password` for HTTP basic schemes (`--user NAME:PASSWORD`).
        public var basicAuth: String?
        /// `--server-var name=value`: OpenAPI 3 server variables over their defaults (the base path's `{region}`).
        public var serverVariables: [String: String] = [:]
        /// Headers sent with every request (`-H`, `DETAPI_HEADERS`), unless a step sets the same header.
        public var headers: [(String, String)] = []

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
        let started = options.clock.now()
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
            let exchange: StepExchange
            if step.forEach != nil {
                exchange = await each(step, vars: &vars, scenarioStarted: started, into: &result)
            } else if step.paginate != nil || step.captures.contains(where: \.allPages) {
                exchange = await pages(step, vars: &vars, scenarioStarted: started, into: &result)
            } else {
                exchange = await self.exchange(step, vars: &vars, scenarioStarted: started)
            }
            result.steps.append(exchange.result)
            switch exchange.result.outcome {
            case .failed where step.onFailure == .continue || options.keepGoing: break
            case .failed, .error: stopped = true
            default: break
            }
            if let skipReason = exchange.skipReason {
                result.skippedReason = skipReason
                stopped = true
            }
        }
        for step in scenario.finally {
            guard step.forEach != nil else {
                result.steps.append(await runFinally(step, vars: &vars, scenarioStarted: started))
                continue
            }
            // A clean-up over a list undoes every value, whatever happened to the others.
            for one in forEachSteps(step, vars: vars) {
                switch one {
                case .success(let (value, s)):
                    vars.set(step.forEach?.variable ?? "", value, secret: false)
                    result.steps.append(await runFinally(s, vars: &vars, scenarioStarted: started))
                case .failure(let failed): result.steps.append(failed.result)
                }
            }
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
    public func exchange(_ step: Step, vars: inout Variables, scenarioStarted: ContinuousClock.Instant? = nil) async -> StepExchange {
        var exchange = StepExchange(
            result: StepResult(name: step.name, operationID: step.operation ?? "", method: "", url: "", milliseconds: 0, outcome: .passed))
        exchange.result.file = step.location.file
        exchange.result.line = step.location.line
        let now = options.clock.now()
        exchange.result.startMilliseconds = Self.milliseconds((scenarioStarted ?? now).duration(to: now))
        do {
            // `when` with a variable that was never captured (its step was skipped) counts as false.
            if let when = step.when, !((try? vars.expand(when)).map(truthy) ?? false) {
                exchange.result.outcome = .skipped("'when' is false")
                return exchange
            }
            try await send(step, &vars, &exchange)
        } catch let error as HarnessError {
            exchange.result.outcome = .error(CheckFailure(.scenario, reason: .stepNotBuilt(vars.redactor.redact(error.message))))
        } catch let error as HTTPClientError {
            // A URL curl cannot use is the step's fault, not the server's.
            let words = vars.redactor.redact(error.description)
            exchange.transportError = error.kind
            let failure: CheckFailure
            switch error.kind {
            case .invalidURL: failure = CheckFailure(.scenario, reason: .stepNotBuilt(words))
            case .connectionRefused, .couldNotResolveHost, .tlsFailure, .cancelled:
                failure = CheckFailure(.transport, reason: .transport(words))
            default: failure = CheckFailure(.transport, reason: .noAnswer(words))
            }
            exchange.result.outcome = .error(failure)
        } catch {
            exchange.result.outcome = .error(CheckFailure(.scenario, reason: .stepNotBuilt(vars.redactor.redact("\(error)"))))
        }
        return exchange
    }

    private func send(_ step: Step, _ vars: inout Variables, _ exchange: inout StepExchange) async throws {
        let op = try ScenarioChecker(model: model).operation(for: step)
        exchange.operation = op
        exchange.result.operationID = op?.id ?? (step.request.map { "\($0.method) \($0.path)" } ?? "")
        // Where the credential goes is the operation's security scheme's say; `auth: bearer` forces one, `none` drops it.
        let slot: CredentialSlot?
        switch step.auth {
        case .none?: slot = nil
        case .bearer?: slot = CredentialSlot.of(op, in: model, prefer: options.authScheme) ?? .bearer
        // A raw request that matches no operation has no security requirement to follow: credentials only when asked.
        case nil: slot = op == nil ? nil : CredentialSlot.of(op, in: model, prefer: options.authScheme)
        }
        var credential: RequestCredential?
        if let slot {
            // A step that sends its own Authorization has its credentials: no login on its behalf.
            let ownCredentials = step.headers.contains { $0.0.lowercased() == "authorization" }
            if vars.values["token"] == nil && options.autoLogin && !ownCredentials && model.declaresSecurity && slot != .basic {
                try await autoLogin(&vars)
            }
            credential = slot.credential(token: vars.values["token"].map(Variables.text), basic: options.basicAuth)
            if let credential { vars.registerCredential(credential.value) }
        }
        var withDefaults = step
        for (name, value) in options.headers where !step.headers.contains(where: { $0.0.lowercased() == name.lowercased() }) {
            withDefaults.headers.append((name, .string(value)))
        }
        let built = try StepRequest(
            withDefaults, operation: op, model: model, master: options.master, credential: credential,
            serverVariables: options.serverVariables, vars: &vars)
        let request = built.request
        exchange.request = request
        var result = exchange.result
        result.method = request.method.rawValue
        result.url = vars.redactor.redact(request.url)
        // The repro is rendered when a report will show it: always for kept exchanges, else only on failure.
        let clientOptions = client.options
        func repro(_ redactor: Redactor) -> String {
            CurlCommand(redactor: redactor).render(request, options: clientOptions, shownBody: built.shownBody)
        }
        if options.keepPassingExchanges { result.curl = repro(vars.redactor) }
        result.requestHeaders = vars.redactor.headers(request.headers)
        if let shown = built.shownBody { result.requestBody = StepResult.prefix(shown, bytes: 8_192).text }
        guard built.problems.isEmpty else {
            // Nothing is sent: the request is not the one the spec (and the scenario's author) meant.
            let redactor = vars.redactor
            result.failures = built.problems.map { $0.mapText(redactor.redact) }
            result.outcome = .failed
            if result.curl.isEmpty { result.curl = repro(redactor) }
            exchange.result = result
            return
        }
        exchange.result = result

        let clock = options.clock
        let firstSent = clock.now()
        var poller = Poller(retry: step.retry, start: firstSent)
        var response: HTTPResponse
        var answer: Answer
        var stop: Poller.Stop
        let streams = op?.response(for: 200).map(StreamCheck.isStream) ?? false
        while true {
            exchange.result.attempts = poller.attempts + 1
            do {
                response = try await client.send(request, onBody: streams ? options.onStreamChunk : nil)
            } catch {
                if exchange.result.curl.isEmpty { exchange.result.curl = repro(vars.redactor) }
                throw error
            }
            answer = Answer(response)
            let action = poller.next(
                json: { answer.tree() }, status: response.status, headers: response.headers, now: clock.now(),
                interrupted: options.interrupted())
            if case .stop(let why) = action {
                stop = why
                break
            }
            if case .wait(let d) = action { await clock.sleep(d) }
        }
        result.attempts = poller.attempts
        exchange.response = response
        exchange.document = answer.document
        result.status = response.status
        // One request: curl's own timing; a poll: first send to last answer, waits included.
        result.milliseconds = poller.attempts > 1 ? Self.milliseconds(firstSent.duration(to: clock.now())) : response.timings.total * 1000
        result.responseHeaders = vars.redactor.headers(response.headers)
        vars.registerCookies(from: response.headers)
        if let document = answer.document { vars.registerSecrets(in: document) }
        let verdict = await self.verdict(step, op, answer, stop: stop, vars: &vars)
        exchange.schema = verdict.schema
        result.violations = verdict.schema?.violations ?? []
        result.lenientNulls = verdict.schema?.lenientNulls ?? 0
        let redactor = vars.redactor
        result.failures = verdict.failures.map { $0.mapText(redactor.redact) }
        result.outcome = result.failures.isEmpty ? .passed : .failed
        if result.curl.isEmpty && result.outcome != .passed { result.curl = repro(redactor) }
        if result.outcome == .passed && !options.keepPassingExchanges {
            result.dropExchange()
        } else {
            result.keepBody(
                redactor.body(response.body, parsed: answer.document == nil ? nil : answer.tree()),
                limit: StepResult.bodyLimit(failed: result.outcome != .passed))
        }
        exchange.result = result
        if result.failures.isEmpty, let skip = step.skipRestIf {
            let selected = skip.path.select(answer.tree())
            let isEmpty =
                selected.isEmpty
                || selected.allSatisfy { $0.isNull || $0.arrayValue?.isEmpty == true || $0.objectValue?.isEmpty == true }
            if isEmpty == skip.empty { exchange.skipReason = skip.reason }
        }
    }

    /// What the checks say of the last answer: the automatic checks, the step's `expect`, the polling outcome and
    /// the captures (which also fill `vars`).
    private func verdict(_ step: Step, _ op: OpenAPI.Operation?, _ answer: Answer, stop: Poller.Stop, vars: inout Variables) async
        -> AnswerVerdict
    {
        var verdict = AnswerVerdict()
        let response = answer.response
        let checks = Checks(model: model, nulls: options.nulls)
        if options.validate {
            // A deep answer is checked on a large stack while this task waits suspended (no pool thread blocked).
            let parsed = answer.document
            verdict =
                (parsed?.depth ?? 0) > LargeStack.threshold
                ? await LargeStack.run { checks.automatic(op, response, document: parsed) }
                : checks.automatic(op, response, document: parsed)
        }
        let expectation: Expectation
        do {
            expectation = try expanded(step.expect, vars)
        } catch {
            // An expected value that cannot be made (an undefined variable, a bound that is no number) fails the step.
            verdict.failures.append(CheckFailure(.expectation, reason: .stepNotBuilt(error.message)))
            var statusOnly = step.expect
            statusOnly.json = []
            expectation = statusOnly
        }
        verdict.failures += checks.expectations(
            expectation, response, answer.document == nil ? nil : answer.tree(), operation: op?.id)
        if let retry = step.retry {
            switch stop {
            case .failIf:
                if let failIf = retry.failIf {
                    verdict.failures.append(
                        CheckFailure(
                            .polling, at: .jsonPath(failIf.path.description), expected: "not to " + Checks.wanted(failIf.check),
                            actual: Checks.short(failIf.path.first(answer.tree()) ?? .null),
                            reason: .pollingStopped(path: failIf.path.description, predicate: Checks.describe(failIf.check))))
                }
            case .deadline, .interrupted:
                if var f = Checks.assert(retry.until, answer.tree()) {
                    f.kind = .polling
                    f.reason = .pollingGaveUp(seconds: retry.timeout, interrupted: stop == .interrupted, last: f.reason)
                    verdict.failures.append(f)
                }
            case .done: break
            }
        }
        let quiet = !verdict.failures.isEmpty || step.skipRestIf != nil
        verdict.failures += Captures.apply(step.captures, json: { answer.tree() }, response: response, quiet: quiet, to: &vars)
        return verdict
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
            case .oneOf(let vs):
                let expanded = try vs.map { (v) throws(HarnessError) in try vars.expand(v) }
                // `in: "{{ids}}"` names a list held by a variable: its values, not a list of one list.
                if vs.count == 1, vs[0].stringValue != nil, let list = expanded.first?.arrayValue {
                    b.check = .oneOf(list)
                } else {
                    b.check = .oneOf(expanded)
                }
            case .numberTemplate(let check, let template):
                // Typed after expansion: the bound must then be a number.
                let value = try vars.expand(.string(template))
                guard let n = value.doubleValue ?? value.stringValue.flatMap(Double.init), n.isFinite else {
                    throw HarnessError(
                        message: "'\(check): \(template)' is \(Checks.short(value)) when the step runs, not a number")
                }
                switch check {
                case "lt": b.check = .lt(n)
                case "gt": b.check = .gt(n)
                case "lte": b.check = .lte(n)
                case "gte": b.check = .gte(n)
                case "length": b.check = .length(Int(n))
                case "length_lte": b.check = .lengthLTE(Int(n))
                default: b.check = .lengthGTE(Int(n))
                }
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
            let source = options.credentials.source
            throw HarnessError(
                message:
                    "automatic login as '\(user)' (\(source)) was refused with HTTP \(response.status); set DET_USER/DET_PASS or pass --token"
            )
        }
        vars.set("token", .string(token), secret: true)
    }
}

/// One answer, parsed once: the index for the schema check, and the tree built only when a capture, an
/// assertion, a poll or a report needs it (DESIGN.md: "tree only where needed").
final class Answer {
    let response: HTTPResponse
    /// nil when the body is not JSON.
    let document: JSONDocument?
    private var cached: JSONValue?

    init(_ response: HTTPResponse) {
        self.response = response
        self.document = try? JSONDocument(parsing: response.body)
    }

    /// The body as a tree (null when it is not JSON), built on first use.
    func tree() -> JSONValue {
        if let cached { return cached }
        let value = document.map { $0.value(at: $0.root) } ?? .null
        cached = value
        return value
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
    /// Why no answer came, when none did (a stream cut at `--timeout` is `.timeout`).
    public var transportError: HTTPClientError.Kind?

    public init(result: StepResult) { self.result = result }
}

/// The login `detapi run` uses when a step needs a token and none was given: the det CLI's DET_USER and
/// DET_PASS, `determined` with a blank password by default (a fresh cluster's).
public struct Credentials: Sendable, Hashable {
    public var user: String
    public var password: String
    /// Where the user and password came from, for a refused login's message ("DET_USER and DET_PASS").
    public var source: String

    public init(user: String = "determined", password: String = "", source: String = "the default user, blank password") {
        self.user = user
        self.password = password
        self.source = source
    }

    /// DET_USER and DET_PASS from `environment`; an empty DET_USER counts as unset.
    public init(environment: [String: String]) {
        let user = environment["DET_USER"].flatMap { $0.isEmpty ? nil : $0 }
        let password = environment["DET_PASS"]
        let source: String
        switch (user != nil, password != nil) {
        case (true, true): source = "user from DET_USER, password from DET_PASS"
        case (true, false): source = "user from DET_USER, blank password: DET_PASS is unset"
        case (false, true): source = "the default user, password from DET_PASS"
        case (false, false): source = "the default user, blank password: DET_USER and DET_PASS are unset"
        }
        self.init(user: user ?? "determined", password: password ?? "", source: source)
    }
}
