import Foundation
import HTTP
import JSON
import OpenAPI

/// Reads a scenario YAML file into a `Scenario`, rejecting unknown keys and malformed values with
/// file:line:column (and the nearest valid key).
public enum ScenarioParser {
    static let scenarioKeys = ["name", "description", "tags", "vars", "include", "steps", "finally"]
    static let stepKeys = [
        "name", "operation", "request", "auth", "path", "query", "headers", "body", "expect", "capture", "skip_rest_if", "when", "retry",
        "request_check", "on_failure", "paginate", "for_each",
    ]
    static let expectKeys = ["status", "json", "headers", "max_ms"]
    static let retryKeys = ["until", "fail_if", "timeout", "interval", "backoff", "max_interval"]
    static let checkNames = [
        "equals", "not_equals", "exists", "absent", "type", "length", "length_lte", "length_gte", "contains", "matches", "lt", "gt", "lte",
        "gte", "empty", "in",
    ]

    /// Parses a scenario; `include:` files are read through `read` (relative to this file) and their vars and
    /// steps come first, so a shared login can live in one place.
    public static func parse(_ text: String, file: String, read: (String) -> String? = { _ in nil }, depth: Int = 0) throws(HarnessError)
        -> Scenario
    {
        try parse(text, file: file, read: read, depth: depth, chain: [])
    }

    /// `chain`: the files whose `include:` led here, outermost first, to name an include cycle.
    static func parse(_ text: String, file: String, read: (String) -> String?, depth: Int, chain: [String]) throws(HarnessError)
        -> Scenario
    {
        let tree = try YAMLTree.parse(text, file: file)
        guard case .mapping(let top, let location) = tree else {
            throw err(tree.location, "a scenario is a mapping with name, vars, steps and finally")
        }
        try checkKeys(top, allowed: scenarioKeys, what: "scenario")
        var scenario = Scenario(
            name: tree["name"]?.string ?? "", description: tree["description"]?.string ?? "", tags: [], vars: [], steps: [], finally: [],
            file: file)
        if scenario.name.isEmpty { throw err(location, "the scenario needs a 'name'") }
        if case .sequence(let tags, _)? = tree["tags"] { scenario.tags = tags.compactMap(\.string) }
        if let vars = tree["vars"] {
            guard case .mapping(let members, _) = vars else { throw err(vars.location, "'vars' is a mapping of name: value") }
            for m in members {
                var value = m.value.json
                var secret = Redactor.isSecretName(m.key)
                if case .mapping = m.value, let v = m.value["value"] {
                    value = v.json
                    secret = m.value["secret"]?.json.boolValue ?? secret
                }
                scenario.vars.append(.init(name: m.key, value: value, secret: secret, location: m.keyLocation))
            }
        }
        var included: [Step] = []
        if let include = tree["include"] {
            let items: [YAMLTree]
            if case .sequence(let list, _) = include { items = list } else { items = [include] }
            for item in items {
                guard let name = item.string else { throw err(item.location, "'include' names scenario files") }
                let path = name.hasPrefix("/") ? name : (file.contains("/") ? String(file[..<file.lastIndex(of: "/")!]) + "/" + name : name)
                let here = chain + [file]
                if here.map(samePlace).contains(samePlace(path)) {
                    throw err(item.location, "include cycle: \((here + [path]).joined(separator: " → "))")
                }
                guard depth < 8 else { throw err(item.location, "includes nest more than 8 deep") }
                guard let text = read(path) else { throw err(item.location, "cannot read the included file \(path)") }
                let inner = try parse(text, file: path, read: read, depth: depth + 1, chain: here)
                scenario.vars = inner.vars + scenario.vars
                included += inner.steps
            }
        }
        let list: [YAMLTree]
        if case .sequence(let items, _)? = tree["steps"] { list = items } else { list = [] }
        guard !list.isEmpty || !included.isEmpty else {
            throw err(location, "the scenario needs 'steps', a list of requests")
        }
        scenario.steps = included + (try list.enumerated().map { (i, s) throws(HarnessError) in try step(s, index: i) })
        if let fin = tree["finally"] {
            guard case .sequence(let items, _) = fin else { throw err(fin.location, "'finally' is a list of steps") }
            scenario.finally = try items.enumerated().map { (i, s) throws(HarnessError) in try step(s, index: i) }
        }
        return scenario
    }

    /// A path with `./` and `dir/..` resolved, so two spellings of one file compare equal.
    static func samePlace(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    static func err(_ location: SourceLocation, _ message: String) -> HarnessError {
        HarnessError(file: location.file, line: location.line, column: location.column, message: message)
    }

    static func checkKeys(_ members: [(key: String, keyLocation: SourceLocation, value: YAMLTree)], allowed: [String], what: String)
        throws(HarnessError)
    {
        for m in members where !allowed.contains(m.key) {
            let near = allowed.min { EditDistance.between($0, m.key) < EditDistance.between($1, m.key) } ?? ""
            throw err(
                m.keyLocation, "unknown \(what) key '\(m.key)'; did you mean '\(near)'? (allowed: \(allowed.joined(separator: ", ")))")
        }
    }

    static func pairs(_ tree: YAMLTree?, _ what: String) throws(HarnessError) -> [(String, JSONValue)] {
        guard let tree else { return [] }
        guard case .mapping(let members, _) = tree else { throw err(tree.location, "'\(what)' is a mapping of name: value") }
        return members.map { ($0.key, $0.value.json) }
    }

    static func step(_ tree: YAMLTree, index: Int) throws(HarnessError) -> Step {
        guard case .mapping(let members, let location) = tree else { throw err(tree.location, "a step is a mapping") }
        try checkKeys(members, allowed: stepKeys, what: "step")
        var step = Step(name: tree["name"]?.string ?? "step \(index + 1)", location: location)
        step.operation = tree["operation"]?.string
        if let request = tree["request"]?.string {
            let parts = request.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[1].hasPrefix("/") else {
                throw err(tree["request"]!.location, "'request' is 'METHOD /path', e.g. 'GET /api/v1/master'")
            }
            step.request = (String(parts[0]).uppercased(), String(parts[1]))
        }
        if step.operation == nil && step.request == nil {
            throw err(location, "step '\(step.name)' needs 'operation' (an operationId) or 'request: METHOD /path'")
        }
        if let auth = tree["auth"] {
            guard let a = auth.string.flatMap(Step.Auth.init(rawValue:)) else { throw err(auth.location, "'auth' is none or bearer") }
            step.auth = a
        }
        step.path = try pairs(tree["path"], "path")
        step.query = try pairs(tree["query"], "query")
        step.headers = try pairs(tree["headers"], "headers")
        for place in ["path", "query", "headers"] {
            guard case .mapping(let members, _)? = tree[place] else { continue }
            for m in members { step.valueLocations["\(place == "headers" ? "header" : place).\(m.key)"] = m.value.location }
        }
        if let check = tree["request_check"] {
            let value: Bool?
            if let b = check.json.boolValue {
                value = b
            } else {
                value = ["on": true, "off": false, "yes": true, "no": false][check.string?.lowercased() ?? ""]
            }
            guard let value else {
                throw err(check.location, "'request_check' is on (the default: values are checked against the spec) or off")
            }
            step.requestCheck = value
        }
        if let onFailure = tree["on_failure"] {
            guard let value = onFailure.string.flatMap(Step.OnFailure.init(rawValue:)) else {
                throw err(onFailure.location, "'on_failure' is stop (the default: skip the rest, run finally) or continue")
            }
            step.onFailure = value
        }
        step.body = tree["body"]?.json
        step.when = tree["when"]?.json
        if let expect = tree["expect"] { step.expect = try expectation(expect) }
        if let capture = tree["capture"] {
            guard case .mapping(let items, _) = capture else { throw err(capture.location, "'capture' is a mapping of variable: source") }
            for item in items {
                do {
                    step.captures.append(try captureSpec(item.key, item.value))
                } catch {
                    throw error.at(item.value.location.file, item.value.location.line, item.value.location.column)
                }
            }
        }
        if let skip = tree["skip_rest_if"] {
            if case .mapping(let skipMembers, _) = skip {
                try checkKeys(skipMembers, allowed: ["json", "empty", "reason"], what: "skip_rest_if")
            }
            guard let path = skip["json"]?.string else {
                throw err(skip.location, "'skip_rest_if' needs 'json: $.path' and 'empty: true' (and a 'reason')")
            }
            do {
                step.skipRestIf = SkipCondition(
                    path: try JSONPath(path), empty: skip["empty"]?.json.boolValue ?? true,
                    reason: skip["reason"]?.string ?? "condition met")
            } catch {
                throw error.at(skip.location.file, skip.location.line, skip.location.column)
            }
        }
        if let each = tree["for_each"] {
            guard case .mapping(let members, _) = each, let name = each["var"]?.string, !name.isEmpty, let values = each["in"] else {
                throw err(each.location, "'for_each' is {var: NAME, in: [values] or \"{{list}}\"}")
            }
            try checkKeys(members, allowed: ["var", "in"], what: "for_each")
            step.forEach = (name, values.json)
        }
        if let paginate = tree["paginate"] {
            if paginate.json.boolValue == true {
                step.paginate = Paginate()
            } else if case .mapping(let members, _) = paginate {
                try checkKeys(members, allowed: ["max_pages"], what: "paginate")
                guard let n = paginate["max_pages"]?.json.intValue, (1...10_000).contains(n) else {
                    throw err(paginate.location, "'max_pages' is the most pages sent, a number from 1 to 10000")
                }
                step.paginate = Paginate(maxPages: n)
            } else if paginate.json.boolValue != false {
                throw err(paginate.location, "'paginate' is true or {max_pages: N}")
            }
            if step.paginate != nil, tree["retry"] != nil {
                throw err(paginate.location, "a step either polls (retry) or pages (paginate), not both")
            }
        }
        if let retry = tree["retry"] {
            guard case .mapping(let retryMembers, _) = retry, let until = retry["until"] else {
                throw err(retry.location, "'retry' needs 'until: {json: $.path, equals: value}'")
            }
            try checkKeys(retryMembers, allowed: retryKeys, what: "retry")
            var r = Retry(
                until: try condition(until), failIf: try retry["fail_if"].map { (t) throws(HarnessError) in try condition(t) },
                timeout: try duration(retry["timeout"], "timeout") ?? 10, interval: try duration(retry["interval"], "interval") ?? 0.25)
            if let backoff = retry["backoff"] {
                guard let factor = backoff.json.doubleValue, factor >= 1, factor <= 10 else {
                    throw err(backoff.location, "'backoff' is the factor each wait grows by, a number from 1 to 10 (e.g. 2)")
                }
                r.backoff = factor
            }
            r.maxInterval = try duration(retry["max_interval"], "max_interval") ?? r.maxInterval
            step.retry = r
        }
        return step
    }

    /// A duration such as `10s`, `250ms` or `2m`, more than 0 and at most a day; anything else (`inf`, a
    /// negative number, a week) is an error at its place.
    static func duration(_ tree: YAMLTree?, _ key: String) throws(HarnessError) -> Double? {
        guard let tree else { return nil }
        let text = tree.string ?? tree.json.doubleValue.map { String($0) }
        guard let text, let seconds = DurationText.seconds(text, max: 86_400), seconds > 0 else {
            throw err(
                tree.location,
                "'\(key)': '\(tree.string ?? tree.json.typeName)' is not a duration; write e.g. 10s, 250ms or 2m (more than 0, at most 24h)"
            )
        }
        return seconds
    }

    /// `{json: $.path, <check>: value}`.
    static func condition(_ tree: YAMLTree) throws(HarnessError) -> JSONAssertion {
        guard case .mapping(let members, let location) = tree, let path = tree["json"]?.string else {
            throw err(tree.location, "a condition is {json: $.path, equals: value} (or another check)")
        }
        guard let checkMember = members.first(where: { $0.key != "json" }) else { throw err(location, "the condition has no check") }
        do {
            return JSONAssertion(path: try JSONPath(path), check: try check(checkMember.key, checkMember.value), location: location)
        } catch {
            throw error.at(location.file, location.line, location.column)
        }
    }

    static func expectation(_ tree: YAMLTree) throws(HarnessError) -> Expectation {
        guard case .mapping(let members, _) = tree else {
            throw err(tree.location, "'expect' is a mapping with status, json, headers, max_ms")
        }
        try checkKeys(members, allowed: expectKeys, what: "expect")
        var e = Expectation()
        if let status = tree["status"] {
            let items: [YAMLTree]
            if case .sequence(let list, _) = status { items = list } else { items = [status] }
            for item in items {
                guard case .scalar(let v, let l) = item else {
                    throw err(item.location, "a status is a code such as 200 or a class such as 2xx")
                }
                if let code = v.intValue {
                    e.statuses.append(code)
                } else if let s = v.stringValue, s.count == 3, s.lowercased().hasSuffix("xx"), let d = Int(s.prefix(1)) {
                    e.statusClasses.append(d)
                } else {
                    throw err(l, "'\(v)' is not a status; write 200, [200, 404] or 2xx")
                }
            }
        }
        if let json = tree["json"] {
            guard case .mapping(let items, _) = json else { throw err(json.location, "'json' maps $.paths to values or checks") }
            for item in items {
                let path: JSONPath
                do { path = try JSONPath(item.key) } catch {
                    throw error.at(item.keyLocation.file, item.keyLocation.line, item.keyLocation.column)
                }
                if case .mapping(let checks, _) = item.value, let first = checks.first, !checkNames.contains(first.key),
                    let near = checkNames.first(where: {
                        let d = EditDistance.between($0, first.key)
                        return d <= 2 && d * 3 <= first.key.count
                    })
                {
                    // Most likely a misspelt check, not a literal object to compare with.
                    throw err(
                        first.keyLocation,
                        "unknown check '\(first.key)'; did you mean '\(near)'? (to compare with an object, write {equals: {...}})")
                }
                if case .mapping(let checks, _) = item.value, let first = checks.first, checkNames.contains(first.key) {
                    for c in checks {
                        do {
                            e.json.append(JSONAssertion(path: path, check: try check(c.key, c.value), location: c.keyLocation))
                        } catch {
                            throw error.at(c.keyLocation.file, c.keyLocation.line, c.keyLocation.column)
                        }
                    }
                } else {
                    e.json.append(JSONAssertion(path: path, check: .equals(item.value.json), location: item.keyLocation))
                }
            }
        }
        e.headers = try pairs(tree["headers"], "headers").map { ($0.0, $0.1.stringValue ?? $0.1.description) }
        if let maxMS = tree["max_ms"] {
            guard let ms = maxMS.json.doubleValue, ms.isFinite, ms > 0, ms <= 86_400_000 else {
                throw err(maxMS.location, "'max_ms' is the most milliseconds the answer may take, a number from 1 to 86400000")
            }
            e.maxMilliseconds = ms
        }
        return e
    }

    static func check(_ name: String, _ value: YAMLTree) throws(HarnessError) -> JSONAssertion.Check {
        let v = value.json
        if ["lt", "gt", "lte", "gte", "length", "length_lte", "length_gte"].contains(name), let text = v.stringValue, text.contains("{{") {
            return .numberTemplate(check: name, template: text)
        }
        func number() throws(HarnessError) -> Double {
            guard let d = v.doubleValue else {
                throw HarnessError(message: "'\(name)' needs a number (or a {{template}} that is one when the step runs)")
            }
            return d
        }
        switch name {
        case "equals": return .equals(v)
        case "not_equals": return .notEquals(v)
        case "exists": return v.boolValue == false ? .absent : .exists
        case "absent": return v.boolValue == false ? .exists : .absent
        case "type":
            let types = ["string", "integer", "number", "boolean", "array", "object", "null"]
            guard let t = v.stringValue, types.contains(t) else {
                let near = types.min { EditDistance.between($0, v.stringValue ?? "") < EditDistance.between($1, v.stringValue ?? "") } ?? ""
                throw HarnessError(message: "'type' is one of \(types.joined(separator: ", ")); did you mean '\(near)'?")
            }
            return .type(t)
        case "length": return .length(Int(try number()))
        case "length_lte": return .lengthLTE(Int(try number()))
        case "length_gte": return .lengthGTE(Int(try number()))
        case "contains": return .contains(v)
        case "matches":
            guard let pattern = v.stringValue else { throw HarnessError(message: "'matches' needs a regular expression (a string)") }
            do {
                _ = try NSRegularExpression(pattern: pattern)
            } catch {
                throw HarnessError(message: "'matches': '\(pattern)' is not a regular expression")
            }
            return .matches(pattern)
        case "lt": return .lt(try number())
        case "gt": return .gt(try number())
        case "lte": return .lte(try number())
        case "gte": return .gte(try number())
        case "empty": return .empty(v.boolValue ?? true)
        case "in": return .oneOf(v.arrayValue ?? [v])
        default:
            throw HarnessError(message: "unknown check '\(name)' (checks: \(checkNames.joined(separator: ", ")))")
        }
    }

    static func captureSpec(_ name: String, _ tree: YAMLTree) throws(HarnessError) -> Capture {
        let secret = Redactor.isSecretName(name)
        if let text = tree.string, text.hasPrefix("$") { return Capture(name: name, source: .json(try JSONPath(text)), secret: secret) }
        guard case .mapping(let members, _) = tree else {
            throw HarnessError(message: "capture '\(name)' is $.path or {json: $.path, secret: true}")
        }
        try checkKeys(members, allowed: ["json", "header", "status", "secret", "all_pages"], what: "capture")
        let isSecret = tree["secret"]?.json.boolValue ?? secret
        if let path = tree["json"]?.string {
            var capture = Capture(name: name, source: .json(try JSONPath(path)), secret: isSecret)
            capture.allPages = tree["all_pages"]?.json.boolValue ?? false
            return capture
        }
        if let header = tree["header"]?.string { return Capture(name: name, source: .header(header), secret: isSecret) }
        if tree["status"] != nil { return Capture(name: name, source: .status, secret: false) }
        throw HarnessError(message: "capture '\(name)' needs json, header or status")
    }
}
