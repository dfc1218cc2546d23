import Foundation
import JSON

/// One modelled route of the gateway: method, path template under `/api/v1/`, the operation it implements,
/// what the gateway reads before authentication, and the handler.
struct GatewayRoute: Sendable {
    /// A segment of a template: a literal word, or a variable (`{experiment_id}`; `{id:int}` is parsed as int32).
    enum Segment: Sendable, Equatable {
        case literal(String)
        case variable(String, isInt: Bool)
    }

    /// What the gateway decodes before the handler runs (a bad value is a 400 before any 401).
    struct Reads: OptionSet, Sendable {
        let rawValue: Int
        static let query = Reads(rawValue: 1)
        static let body = Reads(rawValue: 2)
        /// Answers without credentials (Login, GetMaster).
        static let anonymous = Reads(rawValue: 4)
    }

    /// Throws `GatewayError`s only (closures do not carry typed throws; `MockGateway.call` narrows the type).
    typealias Handler = @Sendable (MockGateway, GatewayCall) async throws -> MockResponse

    let method: String
    let segments: [Segment]
    let operationID: String
    let reads: Reads
    /// False for a route that only claims its literal path and answers from the spec (CompareTrials).
    let modelled: Bool
    let handler: Handler

    /// `template` is the path after `/api/v1/`, such as `experiments/{experiment_id:int}/move`; int variables are
    /// named by their proto names, as the gateway's type-mismatch errors name them.
    init(
        _ method: String, _ template: String, _ operationID: String, reads: Reads = [], modelled: Bool = true,
        _ handler: @escaping Handler
    ) {
        self.method = method
        self.operationID = operationID
        self.reads = reads
        self.modelled = modelled
        self.handler = handler
        segments = template.split(separator: "/").map { word in
            guard word.hasPrefix("{"), word.hasSuffix("}") else { return .literal(String(word)) }
            let inner = word.dropFirst().dropLast()
            if inner.hasSuffix(":int") { return .variable(String(inner.dropLast(4)), isInt: true) }
            return .variable(String(inner), isInt: false)
        }
    }

    /// How many leading segments are literal, position by position: a literal beats a variable at the first place
    /// they differ (`trials/time-series` before `trials/{trial_id}`).
    fileprivate var literalMask: [Bool] {
        segments.map {
            if case .literal = $0 { return true }
            return false
        }
    }
}

/// What a handler gets: the request, its path variables (ints already parsed), query, body and the caller.
struct GatewayCall: Sendable {
    var request: MockRequest
    var strings: [String: String] = [:]
    var ints: [String: Int] = [:]
    var query = QueryParameters.empty
    var body: JSONValue = .object(JSONObject())
    var caller = MockUser.nobody
    var token = ""

    func int(_ name: String) -> Int { ints[name] ?? 0 }
    func string(_ name: String) -> String { strings[name] ?? "" }
}

/// The gateway's routes, built once and frozen, matched as grpc-gateway does (method and segment count agree, a
/// variable matches any segment, even an empty one) except that a literal segment wins over a variable, as
/// Hummingbird's router decides.
struct RouteTable: Sendable {
    /// Routes by method, then by segment count, most literal first.
    private let byShape: [String: [Int: [GatewayRoute]]]

    init(_ routes: [GatewayRoute]) {
        var shapes: [String: [Int: [GatewayRoute]]] = [:]
        for r in routes { shapes[r.method, default: [:]][r.segments.count, default: []].append(r) }
        byShape = shapes.mapValues { $0.mapValues { $0.sorted(by: Self.moreLiteral) } }
    }

    /// The operationId of every modelled route, once each.
    var operationIDs: [String] {
        var seen: Set<String> = []
        return byShape.values.flatMap(\.values).joined().filter(\.modelled).map(\.operationID).sorted().filter {
            seen.insert($0).inserted
        }
    }

    /// A literal segment beats a variable at the first place two templates differ.
    private static func moreLiteral(_ a: GatewayRoute, _ b: GatewayRoute) -> Bool {
        for (x, y) in zip(a.literalMask, b.literalMask) where x != y { return x }
        return false
    }

    /// The route for a method and the segments after `/api/v1/`, with its variables, or nil (the gateway's 501).
    func match(method: String, _ segments: [Substring]) -> (GatewayRoute, [String: String])? {
        guard let candidates = byShape[method]?[segments.count] else { return nil }
        outer: for route in candidates {
            var variables: [String: String] = [:]
            for (template, segment) in zip(route.segments, segments) {
                switch template {
                case .literal(let word): if word != segment { continue outer }
                // The gateway reads the decoded path: `/models/my%20model` names "my model".
                case .variable(let name, _): variables[name] = segment.removingPercentEncoding ?? String(segment)
                }
            }
            return (route, variables)
        }
        return nil
    }
}
