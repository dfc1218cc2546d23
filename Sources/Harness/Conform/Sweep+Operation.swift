import Foundation
import HTTP
import JSON
import OpenAPI

extension Sweep {
    /// Sends every case of one operation and applies the checks to each answer.
    func sweep(_ op: OpenAPI.Operation, found: [String: JSONValue], runner: Runner, vars: inout Variables) async -> Swept {
        let tag = op.tags.first ?? "default"
        var coverage = ConformCoverage.Operation(id: op.id, tag: tag, method: op.method, path: op.path)
        coverage.documented = op.responses.map(\.status.description)
        let base = step(for: op, found: found)
        var builder = ConformCases(combinations: settings.combinations, seed: settings.seed)
        if base.body != nil, let schema = op.requestBody?.schema {
            builder.requiredFields = model.resolvingLocalReference(schema)["required"]?.arrayValue?.compactMap(\.stringValue)
        }
        var cases = builder.cases(for: op, base: base)
        if !settings.checks.contains(.negativeDataRejection) { cases.removeAll { $0.purpose == .negative } }
        var row: StepResult?
        var firstFailing: StepResult?
        var failures: [CheckFailure] = []
        var accepted: [AcceptedFailure] = []
        var failing: [FailingCase] = []
        var learned: [String: JSONValue] = [:]
        var statuses = Set<Int>()
        var parameters = Set<String>()
        var applied = Set<ConformCheck>()

        func record(_ f: CheckFailure, _ c: ConformCase, status: Int?) {
            var f = f
            f.variant = c.label
            // A server that took the request and gave no answer (an empty reply, a reset, a timeout) failed this
            // case: a finding of it, and the sweep goes on. Only a server that cannot be reached stops it.
            if f.kind == .transport, case .noAnswer = f.reason { f.kind = ConformCheck.notAServerError.kind }
            guard let check = ConformCheck(rawValue: f.kind.rawValue) else {
                failures.append(f)
                return
            }
            guard settings.checks.contains(check) else { return }
            if let bug = settings.knownBugs.first(where: { $0.matches(operation: op.id, check: check, step: c.step, op: op) }) {
                let note = "\(bug.happens) (\(bug.reference))"
                if !settings.strict {
                    if let i = accepted.firstIndex(where: { $0.failure.kind == f.kind && $0.note == note }) {
                        accepted[i].occurrences += 1
                    } else {
                        accepted.append(AcceptedFailure(failure: f, reason: .knownBug, note: note))
                    }
                    return
                }
                f.knownBug = note
            }
            // One finding per check and reason, with every distinct request that got it (grouped, counted).
            if let i = failures.firstIndex(where: {
                $0.kind == f.kind && $0.location == f.location && $0.reason == f.reason && $0.knownBug == f.knownBug
            }) {
                if failures[i].variant != f.variant && !failures[i].moreVariants.contains(f.variant) {
                    failures[i].moreVariants.append(f.variant)
                }
            } else {
                failures.append(f)
            }
            if !failing.contains(where: { $0.check == check }) {
                failing.append(FailingCase(operation: op.id, check: check, step: c.step, status: status))
            }
        }

        // Parameters one of whose extreme values got no answer (a timeout): their other extremes are skipped,
        // so one slow parameter cannot cost the sweep minutes.
        var stalled = Set<String>()
        for c in cases {
            if runner.options.interrupted() { break }
            if let p = c.parameter, stalled.contains(p), c.purpose == .boundary || c.purpose == .negative { continue }
            await settings.rateLimit?.acquire()
            let exchange = await runner.exchange(c.step, vars: &vars)
            coverage.requests += 1
            for (name, _) in c.step.query + c.step.path { parameters.insert(name) }
            var result = exchange.result
            applied.formUnion(appliedChecks(c, op))
            let before = failures.count
            if case .error(let f) = result.outcome {
                record(f, c, status: nil)
                if case .noAnswer = f.reason {
                    // Judged as a failed answer, not an unreachable server.
                    result.outcome = .failed
                    if let p = c.parameter, c.purpose == .boundary || c.purpose == .negative { stalled.insert(p) }
                }
            }
            // A forbidden value rightly rejected: a spec that lists no 4xx is no finding here.
            let rejected = c.purpose == .negative && (400..<500).contains(result.status ?? 0)
            for f in Self.conformFailures(result, droppingStatus: rejected) { record(f, c, status: result.status) }
            if let status = result.status {
                statuses.insert(status)
                coverage.statusCounts[status, default: 0] += 1
                for f in judge(status: status, result: result, exchange: exchange, case: c, op: op) { record(f, c, status: status) }
            }
            if c.purpose == .base {
                if let document = exchange.document { Sweep.collect(document.value(at: document.root), into: &learned) }
                if settings.checks.contains(.ignoredAuth), let status = result.status {
                    for (label, anonymous, fs) in await withoutCredentials(c.step, op, status: status, runner: runner) {
                        if anonymous.attempts > 0 { coverage.requests += 1 }
                        applied.insert(.ignoredAuth)
                        if let s = anonymous.status {
                            statuses.insert(s)
                            coverage.statusCounts[s, default: 0] += 1
                        }
                        var withoutCase = c
                        withoutCase.label = label
                        withoutCase.step.auth = Step.Auth.none
                        for f in fs { record(f, withoutCase, status: anonymous.status) }
                    }
                }
                result.name = op.id
                row = result
            }
            if failures.count > before, firstFailing == nil { firstFailing = result }
        }
        // The row shows the base request, or the first request that failed when the base one passed.
        var shown =
            (row?.outcome == .passed ? firstFailing : nil) ?? row
            ?? StepResult(
                name: op.id, operationID: op.id, method: op.method, url: "", milliseconds: 0, outcome: .skipped("interrupted"))
        shown.name = op.id
        shown.operationID = op.id
        shown.milliseconds = row?.milliseconds ?? shown.milliseconds
        shown.failures = failures
        shown.accepted = accepted
        if case .error? = row?.outcome {
        } else if row != nil {
            shown.outcome = .passed
        }
        coverage.statuses = statuses.sorted()
        coverage.parameters = op.parameters.map(\.name).filter(parameters.contains)
        coverage.enumValuesDocumented = op.parameters.map { min($0.enumValues?.count ?? 0, ConformCases.enumLimit) }.reduce(0, +)
        coverage.enumValuesSent =
            cases.filter { $0.purpose == .documented }.filter { c in
                op.parameters.contains { p in p.enumValues != nil && c.label.hasPrefix(p.name + "=") }
            }.count
        for check in applied where settings.checks.contains(check) { coverage.checks[check] = .passed }
        // An operation with security that never answered 2xx with credentials cannot show whether it ignores them.
        if settings.checks.contains(.ignoredAuth), !applied.contains(.ignoredAuth), op.requiresAuthentication(global: model.globalSecurity)
        {
            coverage.checks[.ignoredAuth] = .notJudged
        }
        var one = Swept(row: shown, coverage: coverage, found: learned, failing: failing)
        Sweep.settle(&one)
        return one
    }

    /// The checks that looked at this case's answer.
    private func appliedChecks(_ c: ConformCase, _ op: OpenAPI.Operation) -> Set<ConformCheck> {
        var out: Set<ConformCheck> = [.notAServerError, .statusCodeConformance, .contentTypeConformance, .responseSchemaConformance]
        if op.responses.contains(where: { !$0.headerSpecs.isEmpty }) { out.insert(.responseHeadersConformance) }
        if settings.maxResponseMilliseconds != nil { out.insert(.maxResponseTime) }
        switch c.purpose {
        case .documented: out.insert(.positiveDataAcceptance)
        case .negative: out.insert(.negativeDataRejection)
        case .base, .boundary, .combination: break
        }
        return out
    }

    /// The conform checks of one answer beyond those the step path ran.
    private func judge(status: Int, result: StepResult, exchange: StepExchange, case c: ConformCase, op: OpenAPI.Operation)
        -> [CheckFailure]
    {
        var out = Self.serverError(status).map { [$0] } ?? []
        switch c.purpose {
        case .negative where !(400..<500).contains(status):
            out.append(
                CheckFailure(
                    ConformCheck.negativeDataRejection.kind, expected: "4xx", actual: String(status),
                    reason: .forbiddenValueAccepted(status: status)))
        case .documented where status == 400 || status == 422:
            out.append(
                CheckFailure(
                    ConformCheck.positiveDataAcceptance.kind, expected: "not 400 or 422", actual: String(status),
                    reason: .documentedValueRejected(status: status)))
        default: break
        }
        if let limit = settings.maxResponseMilliseconds, result.milliseconds > limit {
            out.append(
                CheckFailure(
                    ConformCheck.maxResponseTime.kind, expected: "at most \(Self.ms(limit))", actual: Self.ms(result.milliseconds),
                    reason: .slow(milliseconds: result.milliseconds, limit: limit)))
        }
        if let response = exchange.response, let documented = op.response(for: status) {
            out += headerFailures(response.headers, documented)
        }
        return out
    }

    /// The step path's failures of an answer under conform's names (`status` → `status_code_conformance`, …);
    /// `status` findings are dropped when the answer is the one the request must get (a 4xx for a forbidden
    /// value, the 401 without credentials) and the spec merely does not list it.
    static func conformFailures(_ result: StepResult, droppingStatus: Bool = false) -> [CheckFailure] {
        result.failures.compactMap { f in
            if droppingStatus && f.kind == .status { return nil }
            var f = f
            if let check = ConformCheck.of(runKind: f.kind) { f.kind = check.kind }
            return f
        }
    }

    /// `not_a_server_error` for a 5xx status.
    static func serverError(_ status: Int) -> CheckFailure? {
        guard status >= 500 else { return nil }
        return CheckFailure(
            ConformCheck.notAServerError.kind, expected: "below 500", actual: String(status), reason: .serverError(status: status))
    }

    private static func ms(_ v: Double) -> String { v < 10 ? String(format: "%.1f ms", v) : "\(Int(v.rounded())) ms" }

    /// `response_headers_conformance`: required headers present; present ones of the documented type or enum.
    func headerFailures(_ headers: HTTPHeaders, _ documented: OpenAPI.Response) -> [CheckFailure] {
        var out: [CheckFailure] = []
        for spec in documented.headerSpecs {
            let kind = ConformCheck.responseHeadersConformance.kind
            guard let value = headers[spec.name] else {
                if spec.required {
                    out.append(
                        CheckFailure(
                            kind, at: .header(spec.name), expected: "present", actual: "absent", reason: .responseHeaderMissing))
                }
                continue
            }
            let fits: Bool
            switch spec.schema["type"]?.stringValue {
            case "integer": fits = Int64(value.trimmingCharacters(in: .whitespaces)) != nil
            case "number": fits = Double(value.trimmingCharacters(in: .whitespaces)) != nil
            case "boolean": fits = value == "true" || value == "false"
            default: fits = true
            }
            let inEnum = spec.schema["enum"]?.arrayValue.map { $0.contains(.string(value)) } ?? true
            if !fits || !inEnum {
                out.append(
                    CheckFailure(
                        kind, at: .header(spec.name), expected: spec.schema["type"]?.stringValue ?? "one of the enum", actual: value,
                        reason: .responseHeaderValue(
                            value: value,
                            wanted: fits ? "one of the documented values" : "of type \(spec.schema["type"]?.stringValue ?? "")")))
            }
        }
        return out
    }

    /// `ignored_auth`: an operation with security that worked must get 401 without credentials, with a token
    /// that is no token, and with another scheme.
    ///
    /// An anonymous one that got 401 fails at once. The answers get the automatic checks too.
    private func withoutCredentials(_ step: Step, _ op: OpenAPI.Operation, status: Int, runner: Runner) async -> [(
        label: String, result: StepResult, failures: [CheckFailure]
    )] {
        let kind = ConformCheck.ignoredAuth.kind
        guard op.requiresAuthentication(global: model.globalSecurity) else {
            // A 401 is a finding only when the operation does not document one.
            guard status == 401, !op.responses.contains(where: { $0.status == .code(401) || $0.status == .range(4) }) else { return [] }
            var anonymous = StepResult(name: step.name, operationID: op.id, method: op.method, url: "", milliseconds: 0, outcome: .failed)
            anonymous.status = 401
            return [
                (
                    "without credentials", anonymous,
                    [
                        CheckFailure(
                            kind, expected: "not 401", actual: "401",
                            reason: .unauthorizedWithoutSecurity)
                    ]
                )
            ]
        }
        guard (200..<300).contains(status) else { return [] }
        // The wrong credential goes where the right one would (the scheme's header, query parameter or cookie),
        // placed by the same `CredentialSlot` as the real one.
        var invalid: [(String, JSONValue)] = []
        var query: [(String, JSONValue)] = []
        let slot = CredentialSlot.of(op, in: model, prefer: runner.options.authScheme) ?? .bearer
        if let wrong = slot.credential(token: "detapi-not-a-token", basic: "detapi:not-a-password") {
            switch wrong.place {
            case .header(let name): invalid = [(name, .string(wrong.value))]
            case .query(let name): query = [(name, .string(wrong.value))]
            case .cookie(let name): invalid = [("Cookie", .string("\(name)=\(wrong.value)"))]
            }
        }
        let variants: [(String, [(String, JSONValue)], [(String, JSONValue)])] = [
            ("without credentials", [], []), ("an invalid token", invalid, query),
            ("another scheme", [("Authorization", "Basic ZGV0YXBpOm5vdC1hLXBhc3N3b3Jk")], []),
        ]
        var out: [(label: String, result: StepResult, failures: [CheckFailure])] = []
        for (label, headers, extraQuery) in variants {
            var anonymous = step
            anonymous.auth = Step.Auth.none
            anonymous.headers += headers
            anonymous.query += extraQuery
            var none = Variables()
            await settings.rateLimit?.acquire()
            let check = await runner.exchange(anonymous, vars: &none)
            // A refusal is what this request must get: 401 or 403, or a redirect (to a login page) the operation
            // does not document; a spec that does not list the refusal is no finding here.
            let refused = check.result.status.map { Self.isRefusal($0, op) } ?? false
            var failures = Self.conformFailures(check.result, droppingStatus: refused)
            if let got = check.result.status, !refused {
                failures.append(
                    CheckFailure(
                        kind, expected: "401 or 403", actual: String(got),
                        reason: .securityIgnored(credentials: label, status: got)))
            }
            out.append((label, check.result, failures))
        }
        return out
    }

    /// Whether `status` refuses a request without valid credentials: 401, 403, or a 3xx the operation does not
    /// document (a redirect to a login page).
    static func isRefusal(_ status: Int, _ op: OpenAPI.Operation) -> Bool {
        if status == 401 || status == 403 { return true }
        guard (300..<400).contains(status) else { return false }
        return !op.responses.contains { $0.status == .code(status) || $0.status == .range(3) }
    }

    /// `unsupported_method`: a GET to a path that documents none must get 405 (or grpc-gateway's 501).
    ///
    /// None when the filled path is routed to a documented GET of another template (`/checkpoints/rm` is a
    /// `/checkpoints/{uuid}`): the server then rightly answers that operation.
    func probe(path: String, operations ops: [OpenAPI.Operation], found: [String: JSONValue], runner: Runner, vars: inout Variables)
        async -> Swept?
    {
        let first = ops[0]
        let name = "GET \(path)"
        var step = Step(name: name, request: ("GET", path), location: SourceLocation(file: model.source, line: 0, column: 0))
        step.auth = .bearer
        step.expect.anyStatus = true
        for p in first.parameters where p.location == .path {
            step.path.append((p.name, link(for: p, in: first).flatMap { found[$0] } ?? specValue(p)))
        }
        var concrete = path
        for (key, value) in step.path { concrete = concrete.replacingOccurrences(of: "{\(key)}", with: Variables.text(value)) }
        if model.operation(method: "GET", path: concrete) != nil { return nil }
        var coverage = ConformCoverage.Operation(id: name, tag: first.tags.first ?? "default", method: "GET", path: path)
        coverage.isProbe = true
        coverage.documented = ops.map(\.method)
        coverage.checks[.unsupportedMethod] = .passed
        await settings.rateLimit?.acquire()
        var result = await runner.exchange(step, vars: &vars).result
        coverage.requests = 1
        result.name = name
        result.operationID = name
        var failing: [FailingCase] = []
        if let status = result.status {
            coverage.statuses = [status]
            coverage.statusCounts = [status: 1]
            if status != 405 && status != 501 {
                result.failures = [
                    CheckFailure(
                        ConformCheck.unsupportedMethod.kind, expected: "405 or 501", actual: String(status),
                        reason: .methodNotRefused(documented: ops.map(\.method), status: status))
                ]
                failing.append(FailingCase(operation: name, check: .unsupportedMethod, step: step, status: status))
            }
        }
        var one = Swept(row: result, coverage: coverage, found: [:], failing: failing)
        Sweep.settle(&one)
        return one
    }
}
