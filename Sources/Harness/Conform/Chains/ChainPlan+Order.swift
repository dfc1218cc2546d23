import JSON
import OpenAPI

/// The order a chain sends a kind's actions in: the plan prints it, the sweep follows it.
extension ChainPlan {
    /// A kind's actions in the order that leaves the object as it was and that its states allow: plain actions
    /// first, then the ones that stop it (`kill`, `cancel`: an experiment must end before it can be archived or
    /// deleted), then inverse pairs (of each, the side that changes the object's state first: a workspace created
    /// pinned is unpinned, then pinned again), moves last (an object moved away is not found under its old parent).
    public static func actionOrder(_ kind: ResourceKind, state: JSONValue?) -> [OpenAPI.Operation] {
        let actions = kind.operations.filter { ChainPlan.rank($0) == 2 }
        func word(_ op: OpenAPI.Operation) -> String { op.path.split(separator: "/").last.map(String.init) ?? "" }
        func prefix(_ op: OpenAPI.Operation) -> Substring { op.path.dropLast(word(op).count) }
        var plain: [OpenAPI.Operation] = []
        var stops: [OpenAPI.Operation] = []
        var pairs: [OpenAPI.Operation] = []
        var moves: [OpenAPI.Operation] = []
        for op in actions where !pairs.contains(where: { $0.id == op.id }) {
            let last = word(op)
            if Self.stopVerbs.contains(last) {
                stops.append(op)
                continue
            }
            if last == "move" {
                moves.append(op)
                continue
            }
            // The other side of the pair is the one under the same path (the bulk `archive` pairs with the bulk
            // `unarchive`, not the single one).
            guard let pair = InversePair.words.first(where: { $0.0 == last || $0.1 == last }),
                let forward = actions.first(where: { prefix($0) == prefix(op) && word($0) == pair.0 }),
                let inverse = actions.first(where: { prefix($0) == prefix(op) && word($0) == pair.1 })
            else {
                plain.append(op)
                continue
            }
            let already = state?[Self.pastParticiple(pair.0)]?.boolValue == true
            pairs += already ? [inverse, forward] : [forward, inverse]
        }
        return plain + stops + pairs + moves
    }

    /// The last path words that end an object's work for good (an experiment killed or canceled).
    public static let stopVerbs: Set<String> = ["kill", "cancel", "stop"]

    /// `archive` → `archived`, `pin` → `pinned`, `pause` → `paused`: the flag an object shows after the verb.
    static func pastParticiple(_ verb: String) -> String {
        if verb.hasSuffix("e") { return verb + "d" }
        let letters = Array(verb)
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        if letters.count == 3, !vowels.contains(letters[2]), vowels.contains(letters[1]), !vowels.contains(letters[0]) {
            return verb + String(letters[2]) + "ed"
        }
        return verb + "ed"
    }
}
