import OpenAPI

/// `response_schema_conformance`: every body matches its documented schema (the step path's schema check, with
/// the null policy and overlays).
struct ResponseSchemaConformance: AnswerCheck {
    var check: ConformCheck { .responseSchemaConformance }

    func findings(in answer: ConformAnswer) -> [CheckFailure] { answer.stepFailures(.schema, as: check) }
}
