import Foundation
import HTTP
import JSON
import OpenAPI

/// `response_headers_conformance`: documented response headers are present when required, and those present
/// are of their documented type and enum.
struct ResponseHeadersConformance: AnswerCheck {
    var check: ConformCheck { .responseHeadersConformance }

    func applies(to conformCase: ConformCase, of operation: OpenAPI.Operation, settings: Sweep.Settings) -> Bool {
        operation.responses.contains { !$0.headerSpecs.isEmpty }
    }

    func findings(in answer: ConformAnswer) -> [CheckFailure] {
        guard let status = answer.status, let response = answer.response, let documented = answer.operation.response(for: status) else {
            return []
        }
        return findings(response.headers, documented)
    }

    func findings(_ headers: HTTPHeaders, _ documented: OpenAPI.Response) -> [CheckFailure] {
        var out: [CheckFailure] = []
        for spec in documented.headerSpecs {
            let kind = check.kind
            guard let value = headers[spec.name] else {
                if spec.required {
                    out.append(
                        CheckFailure(kind, at: .header(spec.name), expected: "present", actual: "absent", reason: .responseHeaderMissing))
                }
                continue
            }
            let type = spec.schema["type"]?.stringValue
            let fits: Bool
            switch type {
            case "integer": fits = Int64(value.trimmingCharacters(in: .whitespaces)) != nil
            case "number": fits = Double(value.trimmingCharacters(in: .whitespaces)) != nil
            case "boolean": fits = value == "true" || value == "false"
            default: fits = true
            }
            let inEnum = spec.schema["enum"]?.arrayValue.map { $0.contains(.string(value)) } ?? true
            if !fits || !inEnum {
                out.append(
                    CheckFailure(
                        kind, at: .header(spec.name), expected: type ?? "one of the enum", actual: value,
                        reason: .responseHeaderValue(value: value, wanted: fits ? "one of the documented values" : "of type \(type ?? "")"))
                )
            }
        }
        return out
    }
}
