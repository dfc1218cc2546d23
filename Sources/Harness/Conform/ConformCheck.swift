import Foundation
import OpenAPI

/// The checks `detapi conform` runs, named as Schemathesis names them where the meaning is the same.
///
/// A conform finding is a `CheckFailure` whose kind is one of these names, so every report (JUnit's `type`,
/// report.json's `kind`, the console prefix) says which check it was without a second vocabulary.
public enum ConformCheck: String, CaseIterable, Sendable, Hashable, Comparable {
    case notAServerError = "not_a_server_error"
    case statusCodeConformance = "status_code_conformance"
    case contentTypeConformance = "content_type_conformance"
    case responseSchemaConformance = "response_schema_conformance"
    case responseHeadersConformance = "response_headers_conformance"
    case ignoredAuth = "ignored_auth"
    case negativeDataRejection = "negative_data_rejection"
    case positiveDataAcceptance = "positive_data_acceptance"
    case unsupportedMethod = "unsupported_method"
    case maxResponseTime = "max_response_time"
    case ensureResourceAvailability = "ensure_resource_availability"
    case useAfterFree = "use_after_free"

    /// The failure kind of a finding of this check.
    public var kind: CheckFailure.Kind { CheckFailure.Kind(rawValue: rawValue) }

    /// What the check demands, one line for `--help`, the console and docs/conform.md.
    public var summary: String {
        switch self {
        case .notAServerError: return "no answer is a 5xx"
        case .statusCodeConformance: return "every status is documented for its operation"
        case .contentTypeConformance: return "a documented JSON answer is JSON with a JSON content type"
        case .responseSchemaConformance: return "every body matches its documented schema (null policy and overlays apply)"
        case .responseHeadersConformance: return "documented response headers are present when required and match their schema"
        case .ignoredAuth: return "an operation with security gets 401 without credentials; an anonymous one works without"
        case .negativeDataRejection: return "a wrong-typed or out-of-enum parameter gets a 4xx"
        case .positiveDataAcceptance: return "the spec's own example, default and enum values are not rejected with 400 or 422"
        case .unsupportedMethod: return "a method the path does not document gets 405 (or 501 from grpc-gateway)"
        case .maxResponseTime: return "every answer comes within --max-response-time"
        case .ensureResourceAvailability:
            return "with --allow-writes: after a create, the object's GET finds it and its collection's list includes it"
        case .useAfterFree: return "with --allow-writes: after a delete, the object's GET answers 404 or 410, not 2xx"
        }
    }

    /// The checks a sweep runs when `--checks` is not given: all but `max_response_time`, which needs a threshold.
    public static let defaults: Set<ConformCheck> = Set(allCases).subtracting([.maxResponseTime])

    /// The conform check a `run` check kind reports as (status → status_code_conformance, …); nil for others.
    static func of(runKind kind: CheckFailure.Kind) -> ConformCheck? {
        switch kind {
        case .status: return .statusCodeConformance
        case .contentType: return .contentTypeConformance
        case .schema: return .responseSchemaConformance
        default: return ConformCheck(rawValue: kind.rawValue)
        }
    }

    /// Whether `kind` names a conform check (reports prefix such failures with the check's name).
    public static func isConform(_ kind: CheckFailure.Kind) -> Bool { ConformCheck(rawValue: kind.rawValue) != nil }

    /// Parses `--checks`: names separated by commas, or `all`; an unknown name is an error that lists them.
    public static func parse(list: String) -> Result<Set<ConformCheck>, HarnessError> {
        var out: Set<ConformCheck> = []
        for word in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !word.isEmpty {
            if word == "all" {
                out.formUnion(allCases)
            } else if let check = ConformCheck(rawValue: word) {
                out.insert(check)
            } else {
                let names = allCases.map(\.rawValue)
                let near = names.min { EditDistance.between($0, word) < EditDistance.between($1, word) } ?? ""
                return .failure(
                    HarnessError(
                        message: "--checks: unknown check '\(word)' (did you mean '\(near)'? checks: all, \(names.joined(separator: ", ")))"
                    ))
            }
        }
        if out.isEmpty { return .failure(HarnessError(message: "--checks: name at least one check, or all")) }
        return .success(out)
    }

    public static func < (a: ConformCheck, b: ConformCheck) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
