import JSON

/// One way an instance breaks its schema: where in the instance, which schema keyword, and why.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// Where in the validated document (`/experiments/0/id`).
    public var instancePointer: JSONPointer
    /// The schema keyword's location (`#/definitions/v1Experiment/properties/id/type`).
    public var schemaLocation: String
    public var keyword: String
    /// Expected vs actual, with long values cut.
    public var message: String

    public init(instancePointer: JSONPointer, schemaLocation: String, keyword: String, message: String) {
        self.instancePointer = instancePointer
        self.schemaLocation = schemaLocation
        self.keyword = keyword
        self.message = message
    }

    /// `pointer: message`, the root written as `(root)`.
    public var description: String {
        let p = instancePointer.tokens.isEmpty ? "(root)" : instancePointer.description
        return "\(p): \(message)"
    }
}

/// A `null` accepted under the optional null policy, counted so reports can show how lenient a run was.
public struct LenientNote: Sendable, Hashable, CustomStringConvertible {
    public var instancePointer: JSONPointer
    public var schemaLocation: String
    public var description: String { "\(instancePointer): null accepted for an optional field (--nulls optional)" }
}

/// The verdict for one document.
public struct ValidationResult: Sendable {
    public var violations: [SchemaViolation] = []
    /// The first lenient notes (at most `maxViolations` of them), each with its pointer.
    public var lenientNotes: [LenientNote] = []
    /// How many nulls were accepted in all.
    public var lenientCount = 0
    /// True when more violations existed than the cap allowed to collect.
    public var truncated = false
    public var isValid: Bool { violations.isEmpty }
}

/// How to treat `null` in a field the spec cannot mark nullable (Swagger 2.0, OAS 3.0).
public enum NullPolicy: String, Sendable, CaseIterable {
    /// Accept null for properties not listed in `required`, counting a lenient note each time.
    case optional
    /// Report such nulls as violations.
    case strict

    /// The default for a spec: `optional` for the Determined API (its gateway sends null for every unset
    /// field), `strict` for any other, as Schemathesis judges nulls.
    public static func `default`(for model: APIModel) -> NullPolicy { model.isDetermined ? .optional : .strict }
}

/// Which way a body travels: OAS 3.0 `readOnly` properties must not be sent, `writeOnly` must not come back.
public enum MessageDirection: Sendable {
    case request
    case response
    case either
}
