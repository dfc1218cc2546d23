/// Finds the operation for a concrete method and path; literal segments beat templated ones.
///
/// `/api/v1/experiments/16/unarchive` matches `/api/v1/experiments/{id}/unarchive`; for
/// `/api/v1/users/me`, a literal `/users/me` wins over `/users/{userId}`.
struct PathMatcher: Sendable {
    private struct Route: Sendable {
        var method: String
        var segments: [Segment]
        var operation: Int
        /// Literal segment count, for ranking.
        var literals: Int
    }

    private enum Segment: Sendable, Hashable {
        case literal(String)
        case variable
        /// A segment mixing text and variables (`{name}.json`): matched by prefix and suffix.
        case mixed(prefix: String, suffix: String)
    }

    private var routes: [Route] = []

    init(operations: [(method: String, path: String)]) {
        for (i, op) in operations.enumerated() {
            let segments = PathMatcher.split(op.path).map { s -> Segment in
                guard let open = s.firstIndex(of: "{") else { return .literal(String(s)) }
                guard let close = s.lastIndex(of: "}") else { return .literal(String(s)) }
                if open == s.startIndex && close == s.index(before: s.endIndex) { return .variable }
                return .mixed(prefix: String(s[..<open]), suffix: String(s[s.index(after: close)...]))
            }
            let literals = segments.filter { if case .literal = $0 { return true } else { return false } }.count
            routes.append(Route(method: op.method, segments: segments, operation: i, literals: literals))
        }
    }

    static func split(_ path: String) -> [Substring] {
        var p = Substring(path)
        if let q = p.firstIndex(of: "?") { p = p[..<q] }
        return p.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { $0 }
    }

    func match(method: String, path: String) -> Int? {
        let parts = PathMatcher.split(path)
        var best: (route: Route, score: [Int])?
        for route in routes where route.method == method && route.segments.count == parts.count {
            var score: [Int] = []
            var ok = true
            for (segment, part) in zip(route.segments, parts) {
                switch segment {
                case .literal(let l):
                    if l != part { ok = false }
                    score.append(2)
                case .variable:
                    if part.isEmpty { ok = false }
                    score.append(0)
                case .mixed(let prefix, let suffix):
                    if !(part.hasPrefix(prefix) && part.hasSuffix(suffix)) { ok = false }
                    score.append(1)
                }
                if !ok { break }
            }
            guard ok else { continue }
            if best == nil || score.lexicographicallyPrecedes(best!.score) == false && score != best!.score {
                best = (route, score)
            }
        }
        return best?.route.operation
    }
}
