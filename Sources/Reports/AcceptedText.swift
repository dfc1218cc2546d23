import Harness

/// The one rendering of an accepted finding (a known master bug, a baselined finding) as a line.
///
/// ```
/// known master bug: not_a_server_error (limit=-1): status 500: the server failed — a negative limit … (§12.2)
/// baseline: response_schema_conformance: /experiments/0/username: missing required property
/// ```
public enum AcceptedText {
    public static func line(_ a: AcceptedFailure) -> String {
        let more = a.occurrences > 1 ? " (and \(Plural.count(a.occurrences - 1, "more request")))" : ""
        let head = "\(a.reason.rawValue): \(FailureText.line(a.failure))\(more)"
        return a.reason == .knownBug ? "\(head) — \(a.note)" : head
    }
}
