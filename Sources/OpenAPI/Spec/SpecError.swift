/// A spec that cannot be used: unreadable, not JSON/YAML, not an OpenAPI document, or a broken `$ref`.
///
/// The message names the file and the JSON pointer (or line and column for syntax errors).
public struct SpecError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        case unreadable
        case syntax
        case notASpec
        case brokenReference
        case invalid
    }

    public var kind: Kind
    /// `file:line:column` or `file#/json/pointer`.
    public var location: String
    public var message: String

    public init(kind: Kind, location: String, message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }

    public var description: String { location.isEmpty ? message : "\(location): \(message)" }
}
