import Foundation
import Harness

/// The one rendering of a `CheckFailure` as a line of text, used by the console, JUnit, HTML, JSON and
/// GitHub annotations: the kind where it helps, the location, then the sentence its `reason` makes.
///
/// ```
/// schema: /experiments/0: missing required property 'username'
/// $.pagination.limit: 5, expected it to equal 1
/// status 503, expected 2xx (a step without expect.status expects success)
/// transport: could not connect to 127.0.0.1:9 (connection refused)
/// not_a_server_error (limit=-1): status 500: the server failed
/// ```
public enum FailureText {
    public static func line(_ f: CheckFailure) -> String {
        let said = sentence(f.reason) + (f.knownBug.isEmpty ? "" : " [known master bug: \(f.knownBug)]")
        let located: String
        switch f.location {
        case .none: located = said
        case .body(let pointer): located = "\(pointer.isEmpty ? "(root)" : pointer): \(said)"
        case .jsonPath(let path): located = f.kind == .polling || f.kind == .capture ? said : "\(path): \(said)"
        case .header(let name): located = f.kind == .contentType ? said : "header \(name): \(said)"
        case .source(let place): located = "\(place): \(said)"
        case .request: located = said
        }
        // conform: the request that got it, and the others that got the same (`limit=0; also limit=101`).
        var requests = f.variant?.label ?? ""
        if !f.moreVariants.isEmpty {
            let rest = f.moreVariants.count > 3 ? "; … \(f.moreVariants.count - 3) more" : ""
            requests += "; also " + f.moreVariants.prefix(3).map(\.label).joined(separator: "; ") + rest
        }
        if f.kind == .schema || f.kind == .transport || ConformCheck.isConform(f.kind) {
            return "\(f.kind)\(requests.isEmpty ? "" : " (\(requests))"): \(located)"
        }
        return requests.isEmpty ? located : "\(requests): \(located)"
    }

    /// Every failure of a step, one per line.
    public static func lines(_ failures: [CheckFailure]) -> [String] { failures.map(line) }

    /// The sentence of a reason, without the kind or the location (which `line` adds).
    public static func sentence(_ reason: CheckFailure.Reason) -> String {
        switch reason {
        case .undocumentedStatus(let status, let op, let documented):
            return "undocumented status \(status) for \(op) (documented: \(documented.joined(separator: ", ")))"
        case .unexpectedStatus(let status, let expected, let words, let implicit, let refused):
            var out = "status \(status)\(words.map { " (\($0))" } ?? ""), expected \(expected.joined(separator: " or "))"
            if implicit { out += " (a step without expect.status expects success)" }
            switch refused {
            case .token?: out += "; the credentials were refused (a token that expired or was revoked?)"
            case .login?: out += "; the user name or password was refused"
            case nil: break
            }
            return out
        case .contentType(let op, let status, let found, let expected):
            guard let found else {
                return "no Content-Type header on the \(status) answer of \(op), expected \(expected.joined(separator: " or "))"
            }
            return
                "content type \(found) for \(op) \(status), expected \(expected == ["application/json"] ? "JSON" : expected.joined(separator: " or "))"
        case .notJSON(let op, let status, let detail):
            return "the \(status) body of \(op) is not JSON (\(detail))"
        case .tooDeep(let op, let status, let limit, let line, let column):
            return
                "the \(status) body of \(op) nests deeper than \(limit) levels (line \(line), column \(column)), more than detapi reads; not checked"
        case .schema(let message): return message
        case .streamLineNotJSON(let line): return "line \(line) of the stream is not JSON"
        case .streamError(let status, let message):
            return "the stream ended in an error\(status.map { " (HTTP \($0))" } ?? ""): \(message)"
        case .assertion(let found, let wanted): return "\(found), expected it to \(wanted)"
        case .patternTooSlow(let pattern, let seconds, let length):
            return
                "/\(pattern)/ took longer than \(DurationText.describe(seconds)) against a \(length)-character string and was stopped; simplify the pattern (nested repeats such as (a+)+ backtrack without end)"
        case .expectationsUnchecked(let n):
            return "the body is not JSON, so \(n == 1 ? "this JSON expectation" : "these \(n) JSON expectations") could not be checked"
        case .header(let expected, let found): return "\(found), expected \(expected)"
        case .slow(let took, let limit): return "the answer took \(ms(took)), more than \(ms(limit))"
        case .captureMissing(let name): return "capture '\(name)': nothing there"
        case .pollingStopped(let path, let predicate): return "stopped polling: \(path) \(predicate)"
        case .pollingGaveUp(let seconds, let interrupted, let last):
            return (interrupted ? "interrupted while polling: " : "gave up polling after \(DurationText.describe(seconds)): ")
                + sentence(last)
        case .parameterValue(let problem): return problem.description + "; nothing was sent (request_check: off sends it anyway)"
        case .requestBody(let op, let pointer, let message):
            return "the body does not match \(op)'s request schema at \(pointer.isEmpty ? "(root)" : pointer): \(message); nothing was sent"
        case .stepNotBuilt(let words): return words
        case .transport(let words): return words
        case .noAnswer(let words): return words
        case .forbiddenValueAccepted(let status): return "a value the schema forbids got \(status), expected a 4xx rejection"
        case .documentedValueRejected(let status): return "a value the spec itself documents was rejected with \(status)"
        case .serverError(let status): return "status \(status): the server failed"
        case .responseHeaderMissing: return "required header missing"
        case .responseHeaderValue(let value, let wanted): return "'\(value)' is not \(wanted)"
        case .unauthorizedWithoutSecurity: return "the operation documents no security but answered 401 without credentials"
        case .securityIgnored(let credentials, let status):
            let with = credentials == "without credentials" ? credentials : "with \(credentials)"
            return "\(with) the answer is \(status), expected a refusal (401 or 403): the operation ignores its security"
        case .methodNotRefused(let documented, let status):
            return "GET is not documented for this path (\(documented.joined(separator: ", "))) but answered \(status), expected 405 or 501"
        case .undoFailed(let what, let step, let status):
            return "could not put back \(what): \(step) answered \(status.map(String.init) ?? "nothing"); the resource is left changed"
        case .createdNotFound(let object, let place, let status):
            return "\(object) was created but \(place) \(status.map { "answered \($0)" } ?? "does not list it")"
        case .changedBySameValues(let write, let read):
            return "\(write), sent with what \(read) answered, changed what \(read) answers: the resource is left changed"
        case .stillThereAfterDelete(let object, let status):
            return "\(object) was deleted but its GET still answers \(status), expected 404 or 410"
        case .notAsFound(let list, let object, let appeared):
            return appeared
                ? "\(list) lists \(object), which was not there before the run: the cluster is left changed"
                : "\(list) no longer lists \(object), which was there before the run: the cluster is left changed"
        case .cleanupFailed(let object, let status):
            return "could not delete \(object) (\(status.map { "status \($0)" } ?? "no answer")); it is in the ledger for conform --cleanup"
        case .recorded(let text): return text
        }
    }

    private static func ms(_ v: Double) -> String { v < 10 ? String(format: "%.1f ms", v) : "\(Int(v.rounded())) ms" }
}
