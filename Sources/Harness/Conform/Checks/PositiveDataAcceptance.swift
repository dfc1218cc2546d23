import OpenAPI

/// `positive_data_acceptance`: the spec's own example, default and enum values are not rejected with 400 or 422.
struct PositiveDataAcceptance: AnswerCheck {
    var check: ConformCheck { .positiveDataAcceptance }

    func applies(to conformCase: ConformCase, of operation: OpenAPI.Operation, settings: Sweep.Settings) -> Bool {
        conformCase.purpose == .documented
    }

    func findings(in answer: ConformAnswer) -> [CheckFailure] {
        guard let status = answer.status, status == 400 || status == 422 else { return [] }
        return [
            CheckFailure(check.kind, expected: "not 400 or 422", actual: String(status), reason: .documentedValueRejected(status: status))
        ]
    }
}
