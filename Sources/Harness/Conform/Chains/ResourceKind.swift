import Foundation
import JSON
import OpenAPI

/// A kind of object the spec lets a client create and delete (a workspace, a model version), as conform infers
/// it from paths and names; the unit of a create → read → update → delete chain.
public struct ResourceKind: Sendable {
    /// The noun the spec's names use: `workspace`, `modelVersion` (matched case-insensitively, `_` ignored).
    public var noun: String
    public var create: OpenAPI.Operation
    public var delete: OpenAPI.Operation
    /// The GET of one object (the delete's path), for `ensure_resource_availability` and `use_after_free`.
    public var read: OpenAPI.Operation?
    /// The GET of the collection the object is listed in.
    public var list: OpenAPI.Operation?
    /// The member of the create's answer that holds the new object (`workspace`), or nil when the answer's own
    /// fields name it (`{"token": …, "tokenId": 7}`).
    public var answerMember: String?
    /// The field that names the object in paths: `id`, `name`, `version`, `uuid` (or `tokenId` at the top level).
    public var keyField: String
    /// A create whose path names the new object (`POST /templates/{template.name}`): the run chooses that value.
    public var nameInPath: String?
    /// Kinds that must exist first: the create's path or body names them (a project's workspace).
    public var parents: [String]
    /// Reads, updates and actions on the object, in the order a chain sends them.
    public var operations: [OpenAPI.Operation] = []
    /// Path parameters the create's answer fills by an OpenAPI 3 `links` or Swagger `x-links` entry: by operation
    /// id, the parameter and the JSON pointer into the create's answer (`$response.body#/id` → `/id`).
    public var links: [String: [String: String]] = [:]
    /// The create answers no key (`201` with an empty body) but documents a `Location` header: the new object's
    /// key is read from that URL, at the place the read's path template puts it.
    public var keyFromLocation = false

    /// The key a `Location` URL names: its path aligned from the end with `template` (`/pets/{petId}` reads `7`
    /// from `https://h/v1/pets/7?x=1`), a number when it is all digits; nil when the two do not line up.
    public static func key(inLocation location: String, template: String) -> JSONValue? {
        var path = Substring(location)
        if let scheme = path.range(of: "://") {
            let rest = path[scheme.upperBound...]
            path = rest.firstIndex(of: "/").map { rest[$0...] } ?? ""
        }
        if let end = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<end] }
        let actual = path.split(separator: "/")
        let wanted = template.split(separator: "/")
        guard let keyIndex = wanted.lastIndex(where: { $0.hasPrefix("{") }), actual.count >= wanted.count else { return nil }
        let offset = actual.count - wanted.count
        for (i, segment) in wanted.enumerated() where !segment.hasPrefix("{") && segment != actual[offset + i] { return nil }
        let raw = String(actual[offset + keyIndex])
        let value = raw.removingPercentEncoding ?? raw
        if !value.isEmpty, value.allSatisfy(\.isASCII), let n = Int(value) { return .number(JSONNumber(n)) }
        return .string(value)
    }

    /// Lowercased with `_` and `.` removed, for comparing nouns across naming styles.
    static func normalized(_ s: some StringProtocol) -> String { s.lowercased().filter { $0 != "_" && $0 != "." } }

    /// The kind noun and object field a parameter or body field names: `workspaceId` → (workspace, id),
    /// `modelName` → (model, name), `modelVersionNum` → (modelVersion, version), `{id}` after `/projects/` →
    /// (project, id), `checkpoint_uuid` → (checkpoint, uuid); nil for any other name.
    static func names(_ name: String, previousSegment: String? = nil) -> (noun: String, field: String)? {
        if name == "username" { return ("user", "username") }
        if name == "id" || name == "name" {
            guard let previous = previousSegment, !previous.hasPrefix("{") else { return nil }
            return (singular(previous), name)
        }
        for (suffix, field) in [
            ("Id", "id"), ("_id", "id"), (".id", "id"), ("Name", "name"), ("_name", "name"), (".name", "name"),
            ("Num", "version"), ("Uuid", "uuid"), ("_uuid", "uuid"), (".uuid", "uuid"),
        ]
        where name.hasSuffix(suffix) && name.count > suffix.count {
            return (String(name.dropLast(suffix.count)), field)
        }
        return nil
    }

    /// `workspaces` → `workspace`, `policies` → `policy`.
    static func singular(_ plural: String) -> String {
        if plural.hasSuffix("ies") { return String(plural.dropLast(3)) + "y" }
        if plural.hasSuffix("s") { return String(plural.dropLast()) }
        return plural
    }

    /// Whether a noun written somewhere (`destinationWorkspace`, `workspace`) names this kind: equal, or ending in
    /// it (`destinationWorkspace` names a workspace).
    func isNamed(by noun: String) -> Bool {
        let a = Self.normalized(noun)
        let b = Self.normalized(self.noun)
        return a == b || a.hasSuffix(b)
    }
}
