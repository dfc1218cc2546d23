import OpenAPI

/// `not_a_server_error`: no answer is a 5xx (an answer that never came is one too; the sweep records that).
struct NotAServerError: AnswerCheck {
    var check: ConformCheck { .notAServerError }

    func findings(in answer: ConformAnswer) -> [CheckFailure] {
        guard let status = answer.status, status >= 500 else { return [] }
        return [CheckFailure(check.kind, expected: "below 500", actual: String(status), reason: .serverError(status: status))]
    }
}
