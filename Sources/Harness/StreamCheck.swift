import HTTP
import JSON
import OpenAPI

/// grpc-gateway server streams (TrialLogs): the body is one JSON object per line, `{"result": …}`, and a
/// broken stream ends with an unterminated `{"error": …}` (reference part 3 §18.5).
///
/// Each line is checked against the documented stream-result schema; the pointers of its violations start with
/// the line's index (`/3/result/level`), as if the stream were an array. An error chunk is a step failure that
/// shows the error's message; an empty body (a trial with no logs) is a valid stream.
enum StreamCheck {
    /// Whether a documented answer is a server stream: an object of `result` and `error` and nothing else.
    static func isStream(_ response: OpenAPI.Response) -> Bool {
        Set(response.schema?["properties"]?.objectValue?.keys ?? []) == ["result", "error"]
    }

    /// The lines of a body (LF-separated; blank lines skipped; a last line without LF counts).
    static func lines(_ body: [UInt8]) -> [ArraySlice<UInt8>] {
        body.split(separator: 0x0A, omittingEmptySubsequences: true).filter { line in line.contains { $0 != 0x20 && $0 != 0x0D } }
    }

    static func verdict(_ body: [UInt8], node: Int, response: OpenAPI.Response, checks: Checks) -> (SchemaVerdict, [CheckFailure]) {
        var violations: [SchemaViolation] = []
        var failures: [CheckFailure] = []
        var lenient = 0
        var truncated = false
        for (i, line) in lines(body).enumerated() {
            guard let document = try? JSONDocument(parsing: Array(line)) else {
                failures.append(
                    CheckFailure(
                        .contentType, at: .body(pointer: "/\(i)"), expected: "one JSON object per line", actual: "not JSON",
                        reason: .streamLineNotJSON(line: i + 1)))
                continue
            }
            let one = checks.schema(document, node: node, response: response)
            lenient += one.lenientNulls
            truncated = truncated || one.truncated
            for v in one.violations {
                var moved = v
                moved.instancePointer = JSONPointer(tokens: [String(i)] + v.instancePointer.tokens)
                violations.append(moved)
            }
            let value = document.value(at: document.root)
            if let error = value["error"], !error.isNull {
                let message = error["message"]?.stringValue ?? JSONWriter().string(error)
                failures.append(
                    CheckFailure(
                        .stream, at: .body(pointer: "/\(i)/error"), expected: "results only", actual: "an error chunk",
                        reason: .streamError(status: error["httpCode"]?.intValue, message: message)))
            }
        }
        let verdict = SchemaVerdict(
            schemaName: "stream of "
                + (response.schema?["properties"]?["result"]?["$ref"]?.stringValue.map(SchemaRenderer.refName) ?? "results"),
            violations: violations, lenientNulls: lenient, truncated: truncated)
        return (verdict, failures + verdict.failures)
    }
}

extension CheckFailure.Kind {
    /// A server stream that ended in an `{"error": …}` chunk.
    public static let stream = CheckFailure.Kind(rawValue: "stream")
}
