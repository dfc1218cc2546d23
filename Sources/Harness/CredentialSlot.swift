import Foundation
import OpenAPI

/// Where a request carries the run's credential, as the operation's security requirement (or the spec's global
/// one) says: `Authorization: Bearer` for http bearer, OAuth2 and OpenID Connect; an apiKey's own header, query
/// parameter or cookie; HTTP basic.
public enum CredentialSlot: Sendable, Equatable {
    case bearer
    /// An apiKey: `location` is `header`, `query` or `cookie`.
    case apiKey(location: String, name: String)
    case basic

    /// The slot of an operation, or nil when it is anonymous (an empty requirement, or `security: []`).
    ///
    /// A spec that declares no security at all gets `.bearer`: a token the user gave is sent, never dropped (the
    /// commands say so once, `SecurityNote`). `prefer` (`--auth-scheme`) picks the alternative that names that
    /// scheme when several apply; else the first one is used.
    public static func of(_ op: OpenAPI.Operation?, in model: APIModel, prefer: String? = nil) -> CredentialSlot? {
        guard model.declaresSecurity else { return .bearer }
        let requirements = op?.security ?? model.globalSecurity
        guard !requirements.isEmpty, !requirements.contains(where: \.schemes.isEmpty) else { return nil }
        let chosen = prefer.flatMap { name in requirements.first { $0.schemes.contains(name) } } ?? requirements[0]
        let name = prefer.flatMap { chosen.schemes.contains($0) ? $0 : nil } ?? chosen.schemes[0]
        guard let scheme = model.securitySchemes[name] else { return .bearer }
        switch scheme.type.lowercased() {
        case "apikey":
            return .apiKey(location: (scheme.location ?? "header").lowercased(), name: scheme.name ?? "Authorization")
        case "http" where scheme.scheme?.lowercased() == "basic", "basic":
            return .basic
        default:
            return .bearer
        }
    }

    /// The credential this slot sends for `token` (and, for basic, `user:password`).
    public func credential(token: String?, basic: String?) -> RequestCredential? {
        switch self {
        case .bearer:
            guard let token else { return nil }
            return RequestCredential(header: "Authorization", value: Self.authorization(token))
        case .apiKey(let location, let name):
            guard let token else { return nil }
            switch location {
            case "query": return RequestCredential(query: name, value: token)
            case "cookie": return RequestCredential(cookie: name, value: token)
            default:
                // An Authorization header always names its scheme: a bare token is a bearer one (Determined's
                // apiKey), `token SECRET` is sent as given.
                return RequestCredential(
                    header: name, value: name.lowercased() == "authorization" ? Self.authorization(token) : token)
            }
        case .basic:
            guard let pair = basic ?? token.flatMap({ $0.contains(Character(":")) ? $0 : nil }) else { return nil }
            return RequestCredential(header: "Authorization", value: "Basic " + Data(pair.utf8).base64EncodedString())
        }
    }

    /// `Bearer TOKEN`, unless the token already names its scheme (`token SECRET`, `Basic …`).
    public static func authorization(_ token: String) -> String { token.contains(Character(" ")) ? token : "Bearer " + token }

    /// What the slot is, for messages ("the apiKey header X-API-Key").
    public var description: String {
        switch self {
        case .bearer: return "Authorization: Bearer"
        case .apiKey(let location, let name): return "the apiKey \(location) \(name)"
        case .basic: return "HTTP basic authentication"
        }
    }
}

/// A credential placed on a request: a header, a query parameter or a cookie.
///
/// `RequestBuilder` adds it unless
/// the step already sets that header, parameter or cookie itself.
public struct RequestCredential: Sendable, Equatable {
    public enum Place: Sendable, Equatable {
        case header(String)
        case query(String)
        case cookie(String)
    }

    public var place: Place
    public var value: String

    public init(header: String, value: String) { (place, self.value) = (.header(header), value) }
    public init(query: String, value: String) { (place, self.value) = (.query(query), value) }
    public init(cookie: String, value: String) { (place, self.value) = (.cookie(cookie), value) }
}

/// The one line a command prints when the user's token meets a spec that declares no security.
public enum SecurityNote {
    public static func line(model: APIModel, token: String?) -> String? {
        guard token != nil, !model.declaresSecurity else { return nil }
        return "detapi: \(model.source) declares no security; --token is sent as 'Authorization: Bearer' with every request"
    }
}

extension APIModel {
    /// Whether the spec says anything about security (schemes, a global requirement, or an operation's).
    public var declaresSecurity: Bool {
        !securitySchemes.isEmpty || !globalSecurity.isEmpty || operations.contains { !($0.security ?? []).isEmpty }
    }
}
