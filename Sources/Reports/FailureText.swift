import Harness

/// The one rendering of a `CheckFailure` as a line of text, used by the console, JUnit, HTML, JSON and
/// GitHub annotations: the kind where it helps, the location, then the message.
///
/// ```
/// schema: /experiments/0: missing required property 'username'
/// $.pagination.limit: 5, expected it to equal 1
/// status 404 (not found), expected 200
/// transport: could not connect to 127.0.0.1:9 (connection refused)
/// not_a_server_error (limit=-1): status 500: the server failed
/// ```
public enum FailureText {
    public static func line(_ f: CheckFailure) -> String {
        let located: String
        switch f.location {
        case .none: located = f.message
        case .body(let pointer): located = "\(pointer.isEmpty ? "(root)" : pointer): \(f.message)"
        case .jsonPath(let path): located = f.kind == .polling || f.kind == .capture ? f.message : "\(path): \(f.message)"
        case .header(let name): located = f.kind == .contentType ? f.message : "header \(name): \(f.message)"
        case .source(let place): located = "\(place): \(f.message)"
        }
        let variant = f.variant.isEmpty ? "" : " (\(f.variant))"
        if f.kind == .schema || f.kind == .transport || ConformCheck.isConform(f.kind) { return "\(f.kind)\(variant): \(located)" }
        return variant.isEmpty ? located : "\(f.variant): \(located)"
    }

    /// Every failure of a step, one per line.
    public static func lines(_ failures: [CheckFailure]) -> [String] { failures.map(line) }
}
