import Foundation
import JSON
import OpenAPI

/// Tab completion as a pure function of the text before the cursor, the spec and the session's variables:
/// commands; operationIds (any case); tags; `name=` for the parameters of the operation being typed; enum
/// values (and true/false) after `name=`; variable names after `{{`; file names after `save`.
public enum ExplorerCompletion {
    /// Where a completed word starts: after the last of these (readline's word break characters too).
    public static let breakCharacters: Set<Character> = [" ", "\t", "=", "{"]

    /// The word being completed (the text after the last break character) and its candidates, sorted.
    public static func complete(
        _ before: String, model: APIModel, variables: [String], files: (String) -> [String] = { _ in [] }
    ) -> (word: String, candidates: [String]) {
        let word = String(before.reversed().prefix { !breakCharacters.contains($0) }.reversed())
        func matching(_ options: [String]) -> [String] {
            let lower = word.lowercased()
            return Array(Set(options.filter { $0.lowercased().hasPrefix(lower) })).sorted()
        }
        // `{{na` → variable names, closed.
        if let open = before.range(of: "{{", options: .backwards), !before[open.upperBound...].contains("}}") {
            return (word, matching(variables.map { $0 + "}}" }))
        }
        let tokens = before.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let done = before.hasSuffix(" ") ? tokens : Array(tokens.dropLast())
        let current = before.hasSuffix(" ") ? "" : (tokens.last ?? "")
        guard let command = done.first?.lowercased() else {
            return (word, matching(ExplorerCommand.names + ExplorerCommand.methods))
        }
        switch (command, done.count) {
        case ("try", 1), ("show", 1): return (word, matching(model.operations.map(\.id)))
        case ("schema", 1): return (word, matching(model.schemaNames))
        case ("ops", 1): return (word, matching(model.tags.map(\.name)))
        case ("help", 1): return (word, matching(ExplorerCommand.names))
        case ("last", 1): return (word, matching(["headers", "curl", "errors"]))
        case ("save", 1): return (word, matching(files(word)))
        case ("try", _):
            guard let op = model.operation(id: done[1]) else { return (word, []) }
            let parameters = op.parameters.filter { [.path, .query, .header].contains($0.location) }
            if let eq = current.firstIndex(of: "=") {
                let name = String(current[..<eq])
                guard let p = parameters.first(where: { $0.name == name }) else { return (word, []) }
                let values = (p.enumValues ?? []).compactMap { $0.stringValue ?? $0.description }
                return (word, matching(values.isEmpty && p.type == "boolean" ? ["true", "false"] : values))
            }
            let given = Set(done.dropFirst(2).compactMap { $0.split(separator: "=").first.map(String.init) })
            let repeatable = Set(parameters.filter { $0.type == "array" }.map(\.name))
            let names = parameters.map(\.name).filter { !given.contains($0) || repeatable.contains($0) }.map { $0 + "=" }
            return (word, matching(names + (op.requestBody != nil ? ["-d"] : [])))
        default: return (word, [])
        }
    }
}
