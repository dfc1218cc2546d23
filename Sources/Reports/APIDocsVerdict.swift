import Foundation
import HTTP
import Harness
import JSON
import OpenAPI

/// The verdict of an answer the API page received, from the same checks and the same words as the console.
///
/// "Try it out" sends its request from the browser; the page then posts what came back (the operation, the
/// status, the Content-Type and the body) to `/docs/rest-api/verdict` on the server that served it, which answers
/// with `Checks.automatic`'s verdict rendered by `CallReport.verdict`. No check runs in the page itself: a page
/// opened from a server without this endpoint says the answer was not validated.
public enum APIDocsVerdict {
    /// What a page posts; decoded strictly, so a malformed post is a 400 that says which field.
    struct Posted {
        var operationID: String
        var status: Int
        var contentType: String?
        var body: [UInt8]
    }

    /// Answers one post: `(200, {"valid": …, "text": …})`, or `(400, {"message": …})` for a post it cannot read.
    public static func answer(_ model: APIModel, post: [UInt8]) -> (status: Int, body: [UInt8]) {
        let posted: Posted
        do {
            posted = try decode(post)
        } catch {
            return (400, message(error.message))
        }
        guard let op = model.operation(id: posted.operationID) else {
            return (400, message("no operation \(posted.operationID) in \(model.source)"))
        }
        var headers = HTTPHeaders()
        if let type = posted.contentType, !type.isEmpty { headers = ["Content-Type": type] }
        let response = HTTPResponse(status: posted.status, headers: headers, body: posted.body)
        let document = response.body.isEmpty ? nil : try? JSONDocument(parsing: response.body)
        let verdict = Checks(model: model, nulls: .default(for: model)).automatic(op, response, document: document)
        var result = StepResult(
            name: op.id, operationID: op.id, method: op.method, url: op.path, status: posted.status, milliseconds: 0,
            outcome: verdict.failures.isEmpty ? .passed : .failed)
        result.failures = verdict.failures
        var exchange = StepExchange(result: result)
        exchange.operation = op
        exchange.response = response
        exchange.document = document
        exchange.schema = verdict.schema
        let text = CallReport.verdict(exchange, validated: true, hints: false)
        let answer = JSONObject([
            JSONObject.Member(key: "valid", value: .bool(verdict.failures.isEmpty)), JSONObject.Member(key: "text", value: .string(text)),
        ])
        return (200, JSONWriter().bytes(.object(answer)))
    }

    private static func message(_ text: String) -> [UInt8] {
        JSONWriter().bytes(.object(JSONObject([JSONObject.Member(key: "message", value: .string(text))])))
    }

    struct PostError: Error {
        var message: String
    }

    static func decode(_ bytes: [UInt8]) throws(PostError) -> Posted {
        guard let value = try? JSONValue(parsing: bytes) else { throw PostError(message: "the post is not JSON") }
        guard let id = value["operationId"]?.stringValue else { throw PostError(message: "operationId: a string is needed") }
        guard let status = value["status"]?.intValue, (100...599).contains(status) else {
            throw PostError(message: "status: an HTTP status (100-599) is needed")
        }
        guard let body = value["body"]?.stringValue else { throw PostError(message: "body: a string is needed") }
        return Posted(operationID: id, status: status, contentType: value["contentType"]?.stringValue, body: Array(body.utf8))
    }
}
