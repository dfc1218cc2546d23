import OpenAPI

/// `negative_data_rejection`: a forbidden value, or a required parameter or field left out, gets a 4xx.
struct NegativeDataRejection: AnswerCheck {
    var check: ConformCheck { .negativeDataRejection }

    func applies(to conformCase: ConformCase, of operation: OpenAPI.Operation, settings: Sweep.Settings) -> Bool {
        conformCase.expectsRejection
    }

    func findings(in answer: ConformAnswer) -> [CheckFailure] {
        guard let status = answer.status, !(400..<500).contains(status) else { return [] }
        return [CheckFailure(check.kind, expected: "4xx", actual: String(status), reason: .forbiddenValueAccepted(status: status))]
    }
}
