import Foundation
import HTTP
import Harness
import JSON
import OpenAPI

/// What `detapi call` (and explore) show around a body: the `-v` exchange, and the verdict of the checks.
///
/// ```
/// ✓ valid: GetExperiments 200 (v1GetExperimentsResponse; 3 nulls accepted)
/// ✗ GetExperiments 200: 1 problem
///   schema: /experiments/0: missing required property 'username'
/// ```
public enum CallReport {
    /// The request and response lines, headers (secrets hidden) and timings, as `curl -v` shows them.
    public static func verbose(_ e: StepExchange) -> String {
        var out = ""
        let r = e.result
        out += "> \(r.method) \(r.url)\n"
        for field in r.requestHeaders { out += "> \(field.name): \(field.value)\n" }
        guard let response = e.response else { return out }
        out += "< \(response.httpVersion) \(response.status) \(response.reason)".trimmingCharacters(in: .whitespaces) + "\n"
        for field in r.responseHeaders { out += "< \(field.name): \(field.value)\n" }
        let t = response.timings
        func ms(_ s: Double) -> String { String(format: "%.1f ms", s * 1000) }
        out +=
            "* timings: dns \(ms(t.dns)) · connect \(ms(t.connect)) · tls \(ms(t.tls)) · first byte \(ms(t.firstByte)) · total \(ms(t.total)) · \(response.body.count) bytes\n"
        return out
    }

    /// The verdict line(s) on stderr; empty when nothing was checked and nothing failed.
    ///
    /// `hints` adds the log-in
    /// hint after a 401 (the API page leaves it out: it has its own Login).
    public static func verdict(_ e: StepExchange, validated: Bool, hints: Bool = true) -> String {
        let r = e.result
        if case .error(let failure) = r.outcome { return "✗ \(FailureText.line(failure))\n" }
        let status = r.status.map(String.init) ?? "---"
        var out = ""
        if r.failures.isEmpty {
            guard validated else { return "" }
            guard let op = e.operation else { return "· not validated: no operation of the spec matches \(r.method) \(pathOnly(r.url))\n" }
            var notes: [String] = []
            if let schema = e.schema {
                notes.append(schema.schemaName)
                if schema.lenientNulls > 0 { notes.append(Plural.count(schema.lenientNulls, "null") + " accepted") }
            } else {
                notes.append("no schema for this status")
            }
            out += "✓ valid: \(op.id) \(status) (\(notes.joined(separator: "; ")))\n"
        } else {
            let notSent = r.failures.contains { $0.kind == .request }
            out +=
                "✗ \(e.operation?.id ?? r.operationID) \(notSent ? "not sent" : status): \(Plural.count(r.failures.count, "problem"))\n"
            for f in r.failures.prefix(20) { out += "  \(FailureText.line(f))\n" }
            if r.failures.count > 20 { out += "  … \(r.failures.count - 20) more\n" }
        }
        if hints, r.status == 401, e.operation?.id != "Login" {
            out += "  hint: log in first (detapi call Login -d '{\"username\":…,\"password\":…}') and set DET_TOKEN, or pass --token\n"
        }
        return out
    }

    /// The body for stdout: JSON pretty-printed, anything else as received (`raw` keeps JSON as received too).
    public static func body(_ response: HTTPResponse, document: JSONDocument?, raw: Bool) -> [UInt8] {
        guard !response.body.isEmpty else { return [] }
        guard !raw, let document else { return response.body }
        var text = JSONWriter(style: .pretty).bytes(document.value(at: document.root))
        text.append(0x0A)
        return text
    }

    private static func pathOnly(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        return rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "/"
    }
}
