import Foundation
import HTTP
import JSON
import OpenAPI

extension Sweep {
    /// Sends every case of one operation and applies the checks to each answer.
    func sweep(_ op: OpenAPI.Operation, found: [String: JSONValue], runner: Runner, vars: inout Variables) async -> Swept {
        let tag = op.groupTag
        var coverage = ConformCoverage.Operation(id: op.id, tag: tag, method: op.method, path: op.path)
        coverage.documented = op.responses.map(\.status.description)
        let base = step(for: op, found: found)
        var builder = ConformCases(combinations: settings.combinations, seed: settings.seed)
        if base.body != nil, let schema = op.requestBody?.schema {
            builder.requiredFields = model.resolvingLocalReference(schema)["required"]?.arrayValue?.compactMap(\.stringValue)
        }
        var cases = builder.cases(for: op, base: base)
        if !settings.checks.contains(.negativeDataRejection) { cases.removeAll(where: \.expectsRejection) }
        var row: StepResult?
        var firstFailing: StepResult?
        var failures: [CheckFailure] = []
        var accepted: [AcceptedFailure] = []
        var failing: [FailingCase] = []
        var learned: [String: JSONValue] = [:]
        var statuses = Set<Int>()
        var parameters = Set<String>()
        var applied = Set<ConformCheck>()
        var appliedFor = Set<ConformCase.Purpose>()

        func record(_ f: CheckFailure, _ c: ConformCase, status: Int?) {
            var f = f
            f.variant = c.variant
            // A server that took the request and gave no answer (an empty reply, a reset, a timeout) failed this
            // case: a finding of it, and the sweep goes on. Only a server that cannot be reached stops it.
            if f.kind == .transport, case .noAnswer = f.reason { f.kind = ConformCheck.notAServerError.kind }
            guard let check = ConformCheck(rawValue: f.kind.rawValue) else {
                failures.append(f)
                return
            }
            guard settings.checks.contains(check) else { return }
            if let note = knownBugNote(check, c, op) {
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
                if let v = f.variant, failures[i].variant != v && !failures[i].moreVariants.contains(v) {
                    failures[i].moreVariants.append(v)
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
            // Which checks apply depends on the case's purpose only: asked once per purpose.
            if appliedFor.insert(c.purpose).inserted { applied.formUnion(ConformChecks.applied(to: c, of: op, settings: settings)) }
            let before = failures.count
            if case .error(let f) = result.outcome {
                record(f, c, status: nil)
                if case .noAnswer = f.reason {
                    // Judged as a failed answer, not an unreachable server.
                    result.outcome = .failed
                    if let p = c.parameter, c.purpose == .boundary || c.purpose == .negative { stalled.insert(p) }
                }
            }
            var answer = ConformAnswer(conformCase: c, operation: op, result: result, response: exchange.response, settings: settings)
            // A forbidden value rightly rejected: a spec that lists no 4xx is no finding here.
            answer.refusalExpected = c.expectsRejection && (400..<500).contains(result.status ?? 0)
            for f in ConformChecks.findings(in: answer) { record(f, c, status: result.status) }
            if let status = result.status {
                statuses.insert(status)
                coverage.statusCounts[status, default: 0] += 1
            }
            if c.purpose == .base {
                if let document = exchange.document { Sweep.collect(document.value(at: document.root), into: &learned) }
                if settings.checks.contains(.ignoredAuth), let status = result.status {
                    for (credentials, anonymous, fs) in await withoutCredentials(c.step, op, status: status, runner: runner) {
                        if anonymous.attempts > 0 { coverage.requests += 1 }
                        applied.insert(.ignoredAuth)
                        if let s = anonymous.status {
                            statuses.insert(s)
                            coverage.statusCounts[s, default: 0] += 1
                        }
                        var withoutCase = c
                        withoutCase.variant = ConformVariant(.auth, note: credentials)
                        withoutCase.step.auth = Step.Auth.none
                        for f in fs { record(f, withoutCase, status: anonymous.status) }
                    }
                }
                result.name = op.id
                row = result
            }
            if failures.count > before, firstFailing == nil {
                firstFailing = result
                if result.curl.isEmpty { firstFailing?.curl = Self.repro(result) }
            }
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
                op.parameters.contains { p in p.enumValues != nil && p.name == c.parameter && p.location.rawValue == c.variant.location }
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

    /// The automatic checks' findings (server error, status, content type, schema) in the answer to a request the
    /// sweep sends beside its cases (an ignored_auth request, a write), each carrying that request as its variant;
    /// `refusalExpected` drops a `status` finding when the answer is the refusal the request must get.
    func conformFailures(_ c: ConformCase, _ result: StepResult, _ op: OpenAPI.Operation, refusalExpected: Bool = false)
        -> [CheckFailure]
    {
        var answer = ConformAnswer(conformCase: c, operation: op, result: result, settings: settings)
        answer.refusalExpected = refusalExpected
        return ConformChecks.findings(
            in: answer, only: [.notAServerError, .statusCodeConformance, .contentTypeConformance, .responseSchemaConformance]
        ).map { f in
            var f = f
            f.variant = c.variant
            return f
        }
    }

    /// `ignored_auth`: an operation with security that worked must get 401 without credentials, with a token
    /// that is no token, and with another scheme.
    ///
    /// An anonymous one that got 401 fails at once. The answers get the automatic checks too.
    private func withoutCredentials(_ step: Step, _ op: OpenAPI.Operation, status: Int, runner: Runner) async -> [(
        label: String, result: StepResult, failures: [CheckFailure]
    )] {
        let rule = IgnoredAuth()
        guard op.requiresAuthentication(global: model.globalSecurity) else {
            // A 401 is a finding only when the operation does not document one.
            guard let finding = rule.unexpectedRefusal(status, op) else { return [] }
            var anonymous = StepResult(name: step.name, operationID: op.id, method: op.method, url: "", milliseconds: 0, outcome: .failed)
            anonymous.status = 401
            return [("without credentials", anonymous, [finding])]
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
            let refused = check.result.status.map { IgnoredAuth.isRefusal($0, op) } ?? false
            let asked = ConformCase(ConformVariant(.auth, note: label), step: anonymous)
            var failures = conformFailures(asked, check.result, op, refusalExpected: refused)
            if let got = check.result.status, let finding = rule.notRefused(got, credentials: label, op) { failures.append(finding) }
            out.append((label, check.result, failures))
        }
        return out
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
        var coverage = ConformCoverage.Operation(id: name, tag: first.groupTag, method: "GET", path: path)
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
            if let finding = UnsupportedMethod().finding(status, documented: ops.map(\.method)) {
                result.failures = [finding]
                failing.append(FailingCase(operation: name, check: .unsupportedMethod, step: step, status: status))
            }
        }
        var one = Swept(row: result, coverage: coverage, found: [:], failing: failing)
        Sweep.settle(&one)
        return one
    }
}

extension Sweep {
    /// The note of the known master bug a finding of `check` for case `c` is ("what happens (reference)"), or nil.
    func knownBugNote(_ check: ConformCheck, _ c: ConformCase, _ op: OpenAPI.Operation) -> String? {
        settings.knownBugs.first { $0.matches(operation: op.id, check: check, step: c.step, op: op, variant: c.variant) }
            .map { "\($0.happens) (\($0.reference))" }
    }

    /// The curl line of a case whose own expectations passed (so none was rendered) but which a check failed,
    /// from the request it recorded (already redacted).
    static func repro(_ r: StepResult) -> String {
        var request = HTTPRequest(method: HTTPMethod(rawValue: r.method), url: r.url, headers: r.requestHeaders)
        if !r.requestBody.isEmpty { request.body = Array(r.requestBody.utf8) }
        return CurlCommand().render(request, shownBody: r.requestBody.isEmpty ? nil : r.requestBody)
    }
}
