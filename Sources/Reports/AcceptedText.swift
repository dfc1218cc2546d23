import Harness

/// The one rendering of an accepted finding (a known master bug, a baselined finding) as a line.
///
/// ```
/// known master bug: not_a_server_error (limit=-1): status 500: the server failed — a negative limit … (§12.2)
/// baseline: response_schema_conformance: /experiments/0/username: missing required property
/// ```
public enum AcceptedText {
    public static func line(_ a: AcceptedFailure) -> String {
        let head = "\(a.reason.rawValue): \(FailureText.line(a.failure))\(more(a))"
        return a.reason == .knownBug ? "\(head) — \(a.note)" : head
    }

    /// " (and 4 more requests)" when the finding was met more than once; "" otherwise.
    public static func more(_ a: AcceptedFailure) -> String {
        a.occurrences > 1 ? " (and \(Plural.count(a.occurrences - 1, "more request")))" : ""
    }
}
