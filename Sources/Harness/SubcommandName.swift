import OpenAPI

/// The nearest detapi command to a word that is none (`rnu` → `run`), for the message a mistyped command gets.
public enum SubcommandName {
    /// detapi's commands and ArgumentParser's own words.
    public static let all = ["run", "conform", "call", "explore", "spec", "validate", "mock", "docs", "report", "help"]

    /// A suggestion when `word` is not a command, an option or a path but is near one (at most 2 edits away);
    /// nil for a known command, an option and anything far from every command.
    public static func suggestion(for word: String) -> String? {
        guard !word.hasPrefix("-"), !all.contains(word), !word.contains("/") else { return nil }
        let lower = word.lowercased()
        if all.contains(lower) { return lower }
        let best = all.min { EditDistance.between($0, lower) < EditDistance.between($1, lower) }
        guard let best, EditDistance.between(best, lower) <= 2 else { return nil }
        return best
    }
}
