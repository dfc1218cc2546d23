import Foundation
import JSON
import OpenAPI

/// A bug of the Determined master that `conform` will find on every run, listed so that it is reported apart
/// ("known master bug") instead of failing the run, unless `--strict`.
///
/// Spec bugs are fixed by the built-in overlay (`DeterminedOverlay`); these are server bugs, so they stay findings.
/// The list applies when the loaded spec is a Determined API.
public struct KnownMasterBug: Sendable, Hashable {
    /// When the bug shows: a parameter's value.
    public enum Trigger: Sendable, Hashable {
        /// The query parameter is a number below `than`.
        case below(parameter: String, than: Int)
        /// The query parameter is set (to a name the master does not know).
        case set(parameter: String)
        /// The path parameter is not a UUID.
        case notUUID(parameter: String)
        /// A query parameter the operation marks required is left out.
        case requiredQueryAbsent
        /// A case that leaves a required body field out.
        case requiredBodyFieldAbsent
    }

    public var operations: [String]
    public var check: ConformCheck
    public var trigger: Trigger
    /// What happens, one sentence.
    public var happens: String
    /// Where the reference describes it.
    public var reference: String

    /// Whether a finding of `check` on `operation`, for the request `step`, is this bug.
    public func matches(
        operation: String, check: ConformCheck, step: Step, op: OpenAPI.Operation? = nil, variant: ConformVariant? = nil
    ) -> Bool {
        guard check == self.check, operations.isEmpty || operations.contains(operation) else { return false }
        switch trigger {
        case .below(let name, let bound):
            guard let value = step.query.last(where: { $0.0 == name })?.1 else { return false }
            let number = value.doubleValue ?? value.stringValue.flatMap(Double.init)
            return number.map { $0 < Double(bound) } ?? false
        case .set(let name):
            return step.query.contains { $0.0 == name && $0.1 != "" }
        case .notUUID(let name):
            guard let value = step.path.last(where: { $0.0 == name })?.1.stringValue else { return false }
            return UUID(uuidString: value) == nil
        case .requiredBodyFieldAbsent:
            return variant?.why == .missing && variant?.location == "body"
        case .requiredQueryAbsent:
            guard let op else { return false }
            return op.parameters.contains { p in p.location == .query && p.required && !step.query.contains { $0.0 == p.name } }
        }
    }

    /// The Determined master's bugs that a sweep can hit (`operations` empty: every operation) (reference determined-master*.md).
    public static let determined: [KnownMasterBug] = [
        KnownMasterBug(
            operations: [
                "GetUsers", "GetWorkspaces", "GetWorkspaceProjects", "GetExperimentCheckpoints", "GetTrialCheckpoints", "GetModels",
                "GetModelVersions", "GetJobs", "GetJobsV2", "GetAccessTokens",
            ],
            check: .notAServerError, trigger: .below(parameter: "limit", than: 0),
            happens:
                "a negative limit makes api.Paginate slice past the end: a Go panic answered as 500 'reflect.Value.Slice: slice index out of bounds'",
            reference: "determined-master.md §12.2, determined-master-part3.md §18.1, determined-master-part4.md §26.6"),
        KnownMasterBug(
            operations: ["GetExperiments"], check: .notAServerError, trigger: .below(parameter: "limit", than: -2),
            happens: "a limit below -2 becomes a negative SQL LIMIT, which the database rejects",
            reference: "determined-master.md §4"),
        KnownMasterBug(
            operations: ["GetCheckpoint"], check: .notAServerError, trigger: .notUUID(parameter: "checkpointUuid"),
            happens: "a checkpoint id that is not a UUID is a 500 'invalid UUID length: N' (uuid.Parse's error is not mapped to 400)",
            reference: "determined-master-part3.md §18.1"),
        KnownMasterBug(
            operations: ["GetJobs", "GetJobsV2"], check: .notAServerError, trigger: .set(parameter: "resourcePool"),
            happens: "a resource pool that does not exist is a 500 'cannot find resource pool X'",
            reference: "determined-master-part3.md §18.1"),
        KnownMasterBug(
            operations: [], check: .negativeDataRejection, trigger: .requiredQueryAbsent,
            happens:
                "grpc-gateway fills an absent query parameter with its zero value and does not enforce `required` (a proto field behavior), so the handler answers as for an empty value",
            reference: "grpc-gateway runtime.PopulateQueryParameters; the spec's required comes from field_behavior annotations"),
        KnownMasterBug(
            operations: [], check: .negativeDataRejection, trigger: .requiredBodyFieldAbsent,
            happens:
                "protojson decodes a body without a `required` field as its zero value (proto3 has no required fields), so the handler answers as for an empty value",
            reference: "determined-master-part4.md §21.2"),
        KnownMasterBug(
            operations: ["PostProject"], check: .notAServerError, trigger: .requiredBodyFieldAbsent,
            happens:
                "a project without a name is inserted with an empty one, which the table's CHECK refuses: a 500 'internal server error' (there is no earlier validation)",
            reference: "determined-master-part4.md §23.2 (row 9)"),
        KnownMasterBug(
            operations: ["PostModelVersion"], check: .notAServerError, trigger: .requiredBodyFieldAbsent,
            happens: "a version without a checkpointUuid looks up the empty string as a UUID: a 500 'invalid input syntax for type uuid'",
            reference: "determined-master-part4.md §26.6 (PostModelVersion, row 4)"),
        KnownMasterBug(
            operations: ["PostWebhook"], check: .notAServerError, trigger: .requiredBodyFieldAbsent,
            happens:
                "a webhook without a webhookType (or a trigger without a triggerType) has no SQL mapping: a Go panic answered as 500 'missing mapping for webhook type WEBHOOK_TYPE_UNSPECIFIED to SQL'",
            reference: "determined-master-part4.md §29 (PostWebhook, row 7)"),
        KnownMasterBug(
            operations: ["GetAccessTokens"], check: .notAServerError, trigger: .set(parameter: "username"),
            happens: "a username that does not exist is a 500 'sql: no rows in result set'", reference: "determined-master-part3.md §19"),
    ]

    /// The list for `model`: the Determined master's when the spec is a Determined API (the master's own spec or
    /// detapi's built-in model of it), else none.
    public static func list(for model: APIModel) -> [KnownMasterBug] {
        model.isDetermined ? determined : []
    }
}
