import OpenAPI

/// `status_code_conformance`: every status is documented for its operation (the step path's status check),
/// except the refusal a request must get when the spec does not list it.
struct StatusCodeConformance: AnswerCheck {
    var check: ConformCheck { .statusCodeConformance }

    func findings(in answer: ConformAnswer) -> [CheckFailure] {
        answer.refusalExpected ? [] : answer.stepFailures(.status, as: check)
    }
}
