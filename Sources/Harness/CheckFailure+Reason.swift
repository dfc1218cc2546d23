import Foundation
import JSON

extension CheckFailure {
    /// Why a check failed, as values: what the sentence in a report is made of.
    ///
    /// Each case carries the numbers, names and the server's own words the finding is about; `FailureText` (in
    /// Reports) is the only place that writes them as a sentence. It is `Codable` so report.json keeps it and
    /// `report merge` renders a shard's failures as the shard did.
    public indirect enum Reason: Sendable, Hashable, Codable {
        // The automatic checks of an answer.
        /// The status is not among the operation's documented ones.
        case undocumentedStatus(status: Int, operation: String, documented: [String])
        /// The status is not one the step allows: `expect.status`, or a 2xx when the step names none.
        case unexpectedStatus(status: Int, expected: [String], serverWords: String?, implicit: Bool, refused: Refusal?)
        /// The Content-Type is not a documented one (`found` nil: no header on a body).
        case contentType(operation: String, status: Int, found: String?, expected: [String])
        /// The body is not JSON where JSON is documented (`detail`: the parser's words, with line and column).
        case notJSON(operation: String, status: Int, detail: String)
        /// The body nests deeper than detapi reads.
        case tooDeep(operation: String, status: Int, limit: Int, line: Int, column: Int)
        /// A schema keyword failed; the validator's words.
        case schema(message: String)
        /// A line of a server stream is not JSON.
        case streamLineNotJSON(line: Int)
        /// A server stream ended in an error chunk.
        case streamError(status: Int?, message: String)

        // A step's own expectations.
        /// A JSONPath assertion: what was found, and what the check wanted (after "expected it to").
        case assertion(found: String, wanted: String)
        /// A `matches` pattern ran past its time budget.
        case patternTooSlow(pattern: String, seconds: Double, length: Int)
        /// The body is not JSON, so `count` JSON expectations could not be checked.
        case expectationsUnchecked(count: Int)
        /// A response header differs from the expected value.
        case header(expected: String, found: String)
        /// The answer took longer than `max_ms`.
        case slow(milliseconds: Double, limit: Double)
        /// A `capture` found nothing.
        case captureMissing(name: String)
        /// `fail_if` held while polling.
        case pollingStopped(path: String, predicate: String)
        /// Polling ended (timeout or interrupt) and `until` still did not hold.
        case pollingGaveUp(seconds: Double, interrupted: Bool, last: Reason)

        // The request, checked before it is sent.
        /// A parameter value that cannot be its parameter's type, format or enum.
        case parameterValue(ParameterProblem)
        /// A body that breaks the operation's request schema (`pointer` into the body).
        case requestBody(operation: String, pointer: String, message: String)

        // The run itself.
        /// The step could not be built (an undefined variable, a failed automatic login): the harness's words.
        case stepNotBuilt(String)
        /// No answer: the server could not be reached (refused, DNS, TLS); the HTTP client's words.
        case transport(String)
        /// The server took the request but gave no usable answer (an empty reply, a reset, a timeout, a body past
        /// the limit); the HTTP client's words.
        case noAnswer(String)

        // conform's checks.
        /// A value the schema forbids was accepted.
        case forbiddenValueAccepted(status: Int)
        /// A value the spec documents was rejected.
        case documentedValueRejected(status: Int)
        /// A 5xx.
        case serverError(status: Int)
        /// A documented response header is missing.
        case responseHeaderMissing
        /// A documented response header has a value outside its schema (`wanted`: its type or "one of the documented values").
        case responseHeaderValue(value: String, wanted: String)
        /// The operation documents no security but refused an anonymous request with 401.
        case unauthorizedWithoutSecurity
        /// The operation documents security but answered a request without (or with wrong) credentials.
        case securityIgnored(credentials: String, status: Int)
        /// A method the path does not document was not refused with 405 or 501.
        case methodNotRefused(documented: [String], status: Int)
        /// The undo of a write did not succeed: the resource is left changed.
        case undoFailed(what: String, step: String, status: Int?)
        /// A created object was not found where it should be: its own GET (`status`), or its collection's list.
        case createdNotFound(object: String, place: String, status: Int?)
        /// A deleted object's GET still answered 2xx.
        case stillThereAfterDelete(object: String, status: Int)
        /// A list read before and after the run differs: an object is there that was not, or the other way round.
        case notAsFound(list: String, object: String, appeared: Bool)
        /// A created object could not be deleted (it is named in the ledger for `conform --cleanup`).
        case cleanupFailed(object: String, status: Int?)
        /// A write sent with the values a read answered changed what the read answers.
        case changedBySameValues(write: String, read: String)

        /// A sentence read from a report written before reasons were data.
        case recorded(String)

        /// Which credentials a 401 refused, for the hint after the status.
        public enum Refusal: String, Sendable, Hashable, Codable {
            /// A token (it may have expired or been revoked).
            case token
            /// A login's user and password.
            case login
        }

        /// The same reason with `transform` applied to every text it holds (redaction), found through its
        /// encoded form so no case can be forgotten.
        public func mapText(_ transform: (String) -> String) -> Reason {
            guard let data = try? JSONEncoder().encode(self), let tree = try? JSONValue(parsing: Array(data)) else { return self }
            func map(_ v: JSONValue) -> JSONValue {
                switch v {
                case .string(let s): return .string(transform(s))
                case .array(let items): return .array(items.map(map))
                case .object(let o): return .object(JSONObject(o.map { .init(key: $0.key, value: map($0.value)) }))
                default: return v
                }
            }
            let mapped = map(tree)
            guard mapped != tree else { return self }
            return (try? JSONDecoder().decode(Reason.self, from: Data(JSONWriter().bytes(mapped)))) ?? self
        }

        /// The reason as a JSON value (report.json), its keys sorted so that the same run writes the same bytes.
        public var json: JSONValue {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            guard let data = try? encoder.encode(self), let tree = try? JSONValue(parsing: Array(data)) else { return .null }
            return tree
        }

        /// A reason read back from report.json, or nil when the value is not one this detapi writes.
        public init?(json: JSONValue) {
            guard json != .null, let reason = try? JSONDecoder().decode(Reason.self, from: Data(JSONWriter().bytes(json))) else {
                return nil
            }
            self = reason
        }
    }
}
