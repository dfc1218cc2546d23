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
        let limit = step.paginate?.maxPages ?? 100
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
            guard exchange.result.outcome == .passed, let next = Self.nextPage(current, exchange, op: op) else { return exchange }
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

    /// The `rel="next"` target of a Link header.
    static func nextLink(_ header: String) -> String? {
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
