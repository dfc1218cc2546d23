import OpenAPI

/// `not_a_server_error`: no answer is a 5xx (an answer that never came is one too; the sweep records that).
struct NotAServerError: AnswerCheck {
    var check: ConformCheck { .notAServerError }

    func findings(in answer: ConformAnswer) -> [CheckFailure] {
        guard let status = answer.status else { return [] }
        return Self.finding(status).map { [$0] } ?? []
    }

    static func finding(_ status: Int) -> CheckFailure? {
        guard status >= 500 else { return nil }
        return CheckFailure(
            ConformCheck.notAServerError.kind, expected: "below 500", actual: String(status), reason: .serverError(status: status))
    }
}
