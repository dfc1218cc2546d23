import OpenAPI

/// `content_type_conformance`: an answer with a body has a media type its operation documents (the step
/// path's content-type check).
struct ContentTypeConformance: AnswerCheck {
    var check: ConformCheck { .contentTypeConformance }

    func findings(in answer: ConformAnswer) -> [CheckFailure] { answer.stepFailures(.contentType, as: check) }
}
