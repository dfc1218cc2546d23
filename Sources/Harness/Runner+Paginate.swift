import HTTP
import JSON
import OpenAPI

extension Runner {
    /// Sends a `paginate` step page by page and returns the last page's exchange.
    ///
    /// Every page but the last goes into `result` as its own line (`NAME (page k)`), each checked as the step says.
    /// `all_pages` captures gather every page's values.
    func pages(_ step: Step, vars: inout Variables, scenarioStarted: ContinuousClock.Instant, into result: inout ScenarioResult) async
        -> StepExchange
    {
        // A step with `all_pages` captures and no `paginate` is one page.
        let limit = step.paginate?.maxPages ?? 1
        var current = step
        var gathered: [String: [JSONValue]] = [:]
        let op = step.operation.flatMap { model.operation(id: $0) }
        for page in 1...limit {
            current.name = page == 1 ? step.name : "\(step.name) (page \(page))"
            var exchange = await self.exchange(current, vars: &vars, scenarioStarted: scenarioStarted)
            // Every value the path selects on this page (a plain capture keeps the first), added to the pages before.
            let answer = exchange.document.map { $0.value(at: $0.root) }
            for capture in step.captures where capture.allPages {
                guard case .json(let path) = capture.source, let answer else { continue }
                gathered[capture.name, default: []] += path.select(answer)
                vars.set(capture.name, .array(gathered[capture.name] ?? []), secret: capture.secret)
            }
            guard step.paginate != nil, exchange.result.outcome == .passed, let next = Self.nextPage(current, exchange, op: op) else {
                return exchange
            }
            if page == limit {
                exchange.result.failures.append(
                    CheckFailure(
                        .expectation, expected: "the last page within \(limit)", actual: "more pages",
                        reason: .stepNotBuilt("paginate: the list did not end within max_pages \(limit)")))
                exchange.result.outcome = .failed
                return exchange
            }
            result.steps.append(exchange.result)
            current = next
        }
        return StepExchange(
            result: StepResult(name: step.name, operationID: step.operation ?? "", method: "", url: "", milliseconds: 0, outcome: .passed))
    }

    /// The step for the next page, or nil on the last: `pagination.endIndex < total` moves `offset`; a `page`
    /// parameter grows by one while the answer's list is not empty; a `Link: <…>; rel="next"` header is followed.
    static func nextPage(_ step: Step, _ exchange: StepExchange, op: OpenAPI.Operation?) -> Step? {
        let answer = exchange.document.map { $0.value(at: $0.root) }
        var next = step
        func has(_ name: String) -> Bool { op?.parameters.contains { $0.name == name && $0.location == .query } ?? false }
        func set(_ name: String, _ value: Int) {
            next.query.removeAll { $0.0 == name }
            next.query.append((name, .number(JSONNumber(value))))
        }
        if let p = answer?["pagination"], has("offset"), let end = p["endIndex"]?.intValue, let total = p["total"]?.intValue {
            let start = p["startIndex"]?.intValue ?? -1
            guard end < total && end > start else { return nil }
            set("offset", end)
            return next
        }
        if has("page") {
            let lists = answer?.arrayValue.map { [$0] } ?? (answer?.objectValue ?? JSONObject()).compactMap(\.value.arrayValue)
            guard lists.contains(where: { !$0.isEmpty }) else { return nil }
            let page = step.query.last { $0.0 == "page" }.flatMap { $0.1.intValue ?? $0.1.stringValue.flatMap { Int($0) } } ?? 1
            set("page", page + 1)
            return next
        }
        if let link = exchange.response?.headers.first(where: { $0.name.lowercased() == "link" })?.value, let url = nextLink(link) {
            next.operation = nil
            next.request = ("GET", url)
            next.query = []
            next.path = []
            return next
        }
        return nil
    }

    /// The `rel="next"` target of a Link header (scenario paging and explore's `next` share it).
    public static func nextLink(_ header: String) -> String? {
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.filter { $0 != " " } }
            guard let target = pieces.first, target.hasPrefix("<"), target.hasSuffix(">"),
                pieces.dropFirst().contains(where: { $0.filter { $0 != "\"" }.lowercased() == "rel=next" })
            else { continue }
            return String(target.dropFirst().dropLast())
        }
        return nil
    }
}

/// A step that cannot be made: its line in the results.
struct UnbuiltStep: Error {
    var result: StepResult
}

extension Runner {
    /// The steps of a `for_each`: one per value, named `NAME [var=value]`; a list that cannot be read is one failed
    /// line.
    func forEachSteps(_ step: Step, vars: Variables) -> [Result<(JSONValue, Step), UnbuiltStep>] {
        guard let (name, list) = step.forEach else { return [] }
        func failed(_ message: String) -> [Result<(JSONValue, Step), UnbuiltStep>] {
            var failed = StepResult(
                name: step.name, operationID: step.operation ?? "", method: "", url: "", milliseconds: 0, outcome: .failed)
            failed.failures = [CheckFailure(.expectation, reason: .stepNotBuilt(message))]
            return [.failure(UnbuiltStep(result: failed))]
        }
        let expanded: JSONValue
        do {
            expanded = try vars.expand(list)
        } catch {
            return failed("for_each: \(error.message)")
        }
        guard let values = expanded.arrayValue else { return failed("for_each: 'in' is \(expanded.typeName), not a list") }
        return values.map { value in
            var one = step
            one.forEach = nil
            one.name = "\(step.name) [\(name)=\(value.stringValue ?? JSONWriter().string(value))]"
            return .success((value, one))
        }
    }

    /// Runs a `for_each` step once per value (each its own line); stops at the first failure unless the step says
    /// `on_failure: continue`, and returns the last line's exchange.
    func each(_ step: Step, vars: inout Variables, scenarioStarted: ContinuousClock.Instant, into result: inout ScenarioResult) async
        -> StepExchange
    {
        let steps = forEachSteps(step, vars: vars)
        var last = StepExchange(
            result: StepResult(
                name: step.name, operationID: step.operation ?? "", method: "", url: "", milliseconds: 0,
                outcome: .skipped("for_each: the list is empty")))
        for (n, one) in steps.enumerated() {
            if n > 0 { result.steps.append(last.result) }
            switch one {
            case .failure(let failed):
                last.result = failed.result
                return last
            case .success(let (value, s)):
                vars.set(step.forEach?.variable ?? "", value, secret: false)
                last =
                    s.paginate != nil || s.captures.contains(where: \.allPages)
                    ? await pages(s, vars: &vars, scenarioStarted: scenarioStarted, into: &result)
                    : await exchange(s, vars: &vars, scenarioStarted: scenarioStarted)
                if last.result.outcome == .failed && step.onFailure != .continue && !options.keepGoing { return last }
            }
        }
        return last
    }
}
