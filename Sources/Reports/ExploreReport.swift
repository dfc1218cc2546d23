import Foundation
import HTTP
import Harness
import JSON
import OpenAPI

/// How explore shows an answer.
///
/// A status line (coloured at a terminal), the time, the verdict, and the body pretty-printed and cut at
/// `maxLines` with a note (`last` shows it all). Secrets are hidden: unlike
/// `detapi call`'s stdout, this is a console.
///
/// ```
/// 200 OK · GetExperiments · 3.1 ms
/// ✓ valid: GetExperiments 200 (v1GetExperimentsResponse; 1 null accepted)
/// {
///   "experiments": [
/// ```
public enum ExploreReport {
    public static func response(_ e: StepExchange, redactor: Redactor, color: Bool, showTime: Bool, maxLines: Int?) -> String {
        guard let response = e.response else { return CallReport.verdict(e, validated: true) }
        return status(e, color: color, showTime: showTime) + body(response, document: e.document, redactor: redactor, maxLines: maxLines)
    }

    /// The status line and the verdict (what stays on screen after a paged body).
    public static func status(_ e: StepExchange, color: Bool, showTime: Bool) -> String {
        func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        guard let response = e.response else { return CallReport.verdict(e, validated: true) }
        let code = response.status < 300 ? "32" : response.status < 400 ? "33" : "31"
        var head = paint("\(response.status)\(response.reason.isEmpty ? "" : " " + response.reason)", code)
        head += " · \(e.operation?.id ?? "\(e.result.method) \(e.result.url)")"
        if showTime { head += String(format: " · %.1f ms", response.timings.total * 1000) }
        return head + "\n" + CallReport.verdict(e, validated: true)
    }

    /// The body as shown: JSON pretty-printed with secret fields masked, text as it came (secrets hidden).
    public static func body(_ response: HTTPResponse, document: JSONDocument?, redactor: Redactor, maxLines: Int?) -> String {
        guard !response.body.isEmpty else { return "" }
        let text: String
        if let document {
            text = redactor.redact(JSONWriter(style: .pretty).string(redactor.masked(document.value(at: document.root))))
        } else {
            text = redactor.body(response.body)
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard let maxLines, lines.count > maxLines else { return lines.joined(separator: "\n") + "\n" }
        return lines.prefix(maxLines).joined(separator: "\n") + "\n… \(lines.count - maxLines) more lines (last shows them all)\n"
    }
}
