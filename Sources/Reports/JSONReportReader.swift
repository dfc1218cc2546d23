import HTTP
import Harness
import JSON
import OpenAPI

/// Reads a report.json back into a `RunRecord`, so shards of a split run can be merged into one set of reports.
///
/// Every problem names the file and the JSON pointer of the field, like the rest of detapi's input errors.
public enum JSONReportReader {
    /// A report file that cannot be read back, with where and why.
    public struct ReadError: Error, CustomStringConvertible {
        public var file: String
        public var pointer: String
        public var message: String
        public var description: String { pointer.isEmpty ? "\(file): \(message)" : "\(file): \(pointer): \(message)" }
    }

    public static func read(_ bytes: [UInt8], file: String) throws(ReadError) -> RunRecord {
        let root: JSONValue
        do {
            root = try JSONValue(parsing: bytes)
        } catch {
            throw ReadError(file: "\(file):\(error.line):\(error.column)", pointer: "", message: "not JSON: \(error.message)")
        }
        var r = Reader(file: file)
        guard root["tool"]?.stringValue == "detapi" else {
            throw ReadError(file: file, pointer: "", message: "not a detapi JSON report (no \"tool\": \"detapi\" at the top)")
        }
        let format = try r.int(root, "format", at: "")
        guard format <= JSONReport.format else {
            throw ReadError(
                file: file, pointer: "/format",
                message: "written by a newer detapi (format \(format); this one reads formats 1 to \(JSONReport.format))")
        }
        guard format >= 1 else { throw ReadError(file: file, pointer: "/format", message: "format \(format) is not one detapi wrote") }
        r.format = format
        var results: [ScenarioResult] = []
        for (i, s) in try r.array(root, "scenarios", at: "").enumerated() {
            let at = "/scenarios/\(i)"
            var scenario = ScenarioResult(
                name: try r.string(s, "name", at: at), file: try r.string(s, "file", at: at), steps: [],
                skippedReason: try r.optionalString(s, "skippedReason", at: at))
            for (j, step) in try r.array(s, "steps", at: at).enumerated() {
                scenario.steps.append(try r.step(step, at: "\(at)/steps/\(j)"))
            }
            results.append(scenario)
        }
        var record = RunRecord(
            results: results, master: try r.string(root, "master", at: ""), spec: try r.string(root, "spec", at: ""),
            shard: try r.optionalString(root, "shard", at: ""),
            overlays: root["overlays"] == nil ? [] : try r.strings(root, "overlays", at: ""))
        if let conform = root["conform"], conform != .null { record.conform = Self.conform(conform) }
        if let stop = root["interrupted"], stop != .null {
            record.interrupted = Interruption(
                signal: try r.string(stop, "signal", at: "/interrupted"), notStarted: try r.int(stop, "notStarted", at: "/interrupted"),
                notStartedNames: stop["notStartedNames"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
        return record
    }

    /// A conform sweep's coverage as `JSONReport.conform` wrote it (what `report merge` joins); fields it lacks read
    /// as empty.
    static func conform(_ c: JSONValue) -> ConformCoverage {
        func strings(_ v: JSONValue?) -> [String] { v?.arrayValue?.compactMap(\.stringValue) ?? [] }
        let operations: [ConformCoverage.Operation] = (c["operations"]?.arrayValue ?? []).map { o in
            var op = ConformCoverage.Operation(
                id: o["operationId"]?.stringValue ?? "", tag: o["tag"]?.stringValue ?? "", method: o["method"]?.stringValue ?? "",
                path: o["path"]?.stringValue ?? "")
            op.isProbe = o["probe"]?.boolValue ?? false
            op.isWrite = o["write"]?.boolValue ?? false
            op.isProof = o["proof"]?.boolValue ?? false
            op.requests = o["requests"]?.intValue ?? 0
            op.statuses = o["statuses"]?.arrayValue?.compactMap(\.intValue) ?? []
            for m in o["statusCounts"]?.objectValue ?? JSONObject() {
                if let status = Int(m.key), let n = m.value.intValue { op.statusCounts[status] = n }
            }
            op.documented = strings(o["documented"])
            for m in o["checks"]?.objectValue ?? JSONObject() {
                if let check = ConformCheck(rawValue: m.key), let state = m.value.stringValue.flatMap(ConformCoverage.CheckState.init) {
                    op.checks[check] = state
                }
            }
            op.parameters = strings(o["parameters"])
            op.enumValuesSent = o["enumValuesSent"]?.intValue ?? 0
            op.enumValuesDocumented = o["enumValuesDocumented"]?.intValue ?? 0
            return op
        }
        var coverage = ConformCoverage(
            operations: operations, checks: strings(c["checks"]).compactMap(ConformCheck.init(rawValue:)),
            specOperations: c["specOperations"]?.intValue ?? 0, swept: c["swept"]?.intValue ?? 0)
        coverage.strict = c["strict"]?.boolValue ?? false
        coverage.stoppedEarly = c["stoppedEarly"]?.stringValue
        coverage.notSent = (c["notSent"]?.arrayValue ?? []).map { n in
            ConformCoverage.NotSent(
                id: n["operationId"]?.stringValue ?? "", tag: n["tag"]?.stringValue ?? "", method: n["method"]?.stringValue ?? "",
                path: n["path"]?.stringValue ?? "", reason: .builtIn(n["reason"]?.stringValue ?? ""))
        }
        return coverage
    }

    /// Field access that throws with the field's pointer.
    private struct Reader {
        var file: String
        var format = JSONReport.format

        func fail(_ pointer: String, _ message: String) -> ReadError { ReadError(file: file, pointer: pointer, message: message) }

        func field(_ v: JSONValue, _ key: String, at: String) throws(ReadError) -> JSONValue {
            guard v.objectValue != nil else { throw fail(at, "expected an object, found \(v.typeName)") }
            guard let value = v[key] else { throw fail(at, "missing field '\(key)'") }
            return value
        }
        /// The field read as a `T`, or an error naming its pointer and what was expected there.
        func typed<T>(_ v: JSONValue, _ key: String, at: String, _ expected: String, _ read: (JSONValue) -> T?) throws(ReadError) -> T {
            let value = try field(v, key, at: at)
            guard let t = read(value) else { throw fail("\(at)/\(key)", "expected \(expected), found \(value.typeName)") }
            return t
        }
        func string(_ v: JSONValue, _ key: String, at: String) throws(ReadError) -> String {
            try typed(v, key, at: at, "a string") { $0.stringValue }
        }
        func optionalString(_ v: JSONValue, _ key: String, at: String) throws(ReadError) -> String? {
            try typed(v, key, at: at, "a string or null") { $0.isNull ? .some(nil) : $0.stringValue.map { .some($0) } }
        }
        func int(_ v: JSONValue, _ key: String, at: String) throws(ReadError) -> Int {
            try typed(v, key, at: at, "an integer") { $0.intValue }
        }
        func double(_ v: JSONValue, _ key: String, at: String) throws(ReadError) -> Double {
            try typed(v, key, at: at, "a number") { $0.doubleValue }
        }
        func bool(_ v: JSONValue, _ key: String, at: String) throws(ReadError) -> Bool {
            try typed(v, key, at: at, "true or false") { $0.boolValue }
        }
        func array(_ v: JSONValue, _ key: String, at: String) throws(ReadError) -> [JSONValue] {
            try typed(v, key, at: at, "an array") { $0.arrayValue }
        }
        func strings(_ v: JSONValue, _ key: String, at: String) throws(ReadError) -> [String] {
            var out: [String] = []
            for (i, item) in try array(v, key, at: at).enumerated() {
                guard let s = item.stringValue else { throw fail("\(at)/\(key)/\(i)", "expected a string, found \(item.typeName)") }
                out.append(s)
            }
            return out
        }
        func failure(_ v: JSONValue, at: String) throws(ReadError) -> CheckFailure {
            let locationValue = try field(v, "location", at: at)
            let location: CheckFailure.Location
            if locationValue.isNull {
                location = .none
            } else if let pointer = locationValue["pointer"]?.stringValue {
                location = .body(pointer: pointer)
            } else if let path = locationValue["jsonPath"]?.stringValue {
                location = .jsonPath(path)
            } else if let name = locationValue["header"]?.stringValue {
                location = .header(name)
            } else if let place = locationValue["request"]?.stringValue {
                location = .request(in: place, name: locationValue["name"]?.stringValue ?? "")
            } else if locationValue["file"] != nil {
                let here = "\(at)/location"
                location = .source(
                    SourceLocation(
                        file: try string(locationValue, "file", at: here), line: try int(locationValue, "line", at: here),
                        column: try int(locationValue, "column", at: here)))
            } else {
                throw fail("\(at)/location", "expected null or an object with pointer, jsonPath, header or file")
            }
            let message = try string(v, "message", at: at)
            var out = CheckFailure(
                CheckFailure.Kind(rawValue: try string(v, "kind", at: at)), at: location, expected: try string(v, "expected", at: at),
                actual: try string(v, "actual", at: at),
                reason: v["reason"].flatMap(CheckFailure.Reason.init(json:)) ?? .recorded(message),
                schemaLocation: try string(v, "schema", at: at))
            // Reports before variants were data hold only their text.
            if let typed = v["case"].flatMap(ConformVariant.init(json:)) {
                out.variant = typed
            } else if let text = v["variant"]?.stringValue, !text.isEmpty {
                out.variant = ConformVariant(.recorded, note: text)
            }
            out.knownBug = v["knownBug"]?.stringValue ?? ""
            if let typed = v["moreCases"]?.arrayValue {
                out.moreVariants = typed.compactMap(ConformVariant.init(json:))
            } else {
                out.moreVariants = (v["moreVariants"]?.arrayValue?.compactMap(\.stringValue) ?? []).map {
                    ConformVariant(.recorded, note: $0)
                }
            }
            return out
        }

        func headers(_ v: JSONValue, at: String) throws(ReadError) -> HTTPHeaders {
            var out = HTTPHeaders()
            for (i, h) in try array(v, "headers", at: at).enumerated() {
                out.add(try string(h, "name", at: "\(at)/headers/\(i)"), try string(h, "value", at: "\(at)/headers/\(i)"))
            }
            return out
        }

        func step(_ v: JSONValue, at: String) throws(ReadError) -> StepResult {
            let outcomeText = try string(v, "outcome", at: at)
            let reason = try optionalString(v, "reason", at: at) ?? ""
            let outcome: StepResult.Outcome
            switch outcomeText {
            case "passed": outcome = .passed
            case "failed": outcome = .failed
            case "skipped": outcome = .skipped(reason)
            case "error":
                if format >= 2 {
                    outcome = .error(try failure(try field(v, "error", at: at), at: "\(at)/error"))
                } else {
                    outcome = .error(CheckFailure(.unclassified, reason: .recorded(reason)))
                }
            default: throw fail("\(at)/outcome", "expected passed, failed, skipped or error, found \"\(outcomeText)\"")
            }
            let statusValue = try field(v, "status", at: at)
            guard statusValue.isNull || statusValue.intValue != nil else {
                throw fail("\(at)/status", "expected an integer or null, found \(statusValue.typeName)")
            }
            var s = StepResult(
                name: try string(v, "name", at: at), operationID: try string(v, "operationId", at: at),
                method: try string(v, "method", at: at), url: try string(v, "url", at: at), status: statusValue.intValue,
                milliseconds: try double(v, "milliseconds", at: at), outcome: outcome)
            s.isFinally = try bool(v, "finally", at: at)
            s.file = try string(v, "file", at: at)
            s.line = try int(v, "line", at: at)
            s.startMilliseconds = try double(v, "startMilliseconds", at: at)
            s.attempts = try int(v, "attempts", at: at)
            if format >= 2 {
                for (i, item) in try array(v, "failures", at: at).enumerated() {
                    s.failures.append(try failure(item, at: "\(at)/failures/\(i)"))
                }
                // conform's accepted findings (optional: run reports have none).
                for (i, item) in (v["accepted"]?.arrayValue ?? []).enumerated() {
                    let here = "\(at)/accepted/\(i)"
                    guard let reason = AcceptedFailure.Reason(rawValue: try string(item, "reason", at: here)) else {
                        throw fail("\(here)/reason", "expected \"known master bug\" or \"baseline\"")
                    }
                    s.accepted.append(
                        AcceptedFailure(
                            failure: try failure(try field(item, "failure", at: here), at: "\(here)/failure"), reason: reason,
                            note: try string(item, "note", at: here)))
                }
            } else {
                // Format 1 kept failures as rendered lines; their kind is not known.
                s.failures = try strings(v, "failures", at: at).map { CheckFailure(.unclassified, reason: .recorded($0)) }
            }
            for (i, item) in try array(v, "violations", at: at).enumerated() {
                let here = "\(at)/violations/\(i)"
                let pointerText = try string(item, "pointer", at: here)
                guard let pointer = try? JSONPointer(parsing: pointerText) else {
                    throw fail("\(here)/pointer", "not a JSON pointer: \"\(pointerText)\"")
                }
                s.violations.append(
                    SchemaViolation(
                        instancePointer: pointer, schemaLocation: try string(item, "schema", at: here),
                        keyword: try string(item, "keyword", at: here), message: try string(item, "message", at: here)))
            }
            s.lenientNulls = try int(v, "lenientNulls", at: at)
            s.curl = try string(v, "curl", at: at)
            let request = try field(v, "request", at: at)
            s.requestHeaders = try headers(request, at: "\(at)/request")
            s.requestBody = try string(request, "body", at: "\(at)/request")
            let response = try field(v, "response", at: at)
            s.responseHeaders = try headers(response, at: "\(at)/response")
            s.responseBody = try string(response, "body", at: "\(at)/response")
            s.responseBodyTruncated = try bool(response, "bodyTruncated", at: "\(at)/response")
            return s
        }
    }
}
