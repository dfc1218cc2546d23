import Foundation
import OpenAPI

/// `max_response_time`: every answer comes within `--max-response-time` (only when it is given).
struct MaxResponseTime: AnswerCheck {
    var check: ConformCheck { .maxResponseTime }

    func applies(to conformCase: ConformCase, of operation: OpenAPI.Operation, settings: Sweep.Settings) -> Bool {
        settings.maxResponseMilliseconds != nil
    }

    func findings(in answer: ConformAnswer) -> [CheckFailure] {
        guard answer.status != nil, let limit = answer.settings.maxResponseMilliseconds, answer.result.milliseconds > limit else {
            return []
        }
        let took = answer.result.milliseconds
        return [
            CheckFailure(
                check.kind, expected: "at most \(Self.ms(limit))", actual: Self.ms(took), reason: .slow(milliseconds: took, limit: limit))
        ]
    }

    private static func ms(_ v: Double) -> String { v < 10 ? String(format: "%.1f ms", v) : "\(Int(v.rounded())) ms" }
}
