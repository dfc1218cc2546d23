import OpenAPI

/// Finds an operation by id or `METHOD /path`, or fails with the nearest valid ids.
enum OperationLookup {
    static func find(_ text: String, in model: APIModel) throws -> Operation {
        let parts = text.split(separator: " ", maxSplits: 1)
        if parts.count == 2, parts[1].hasPrefix("/") {
            if let op = model.operation(method: String(parts[0]), path: String(parts[1])) { return op }
            throw CommandFailure.usage("no operation matches \(parts[0].uppercased()) \(parts[1]) in \(model.source).")
        }
        if let op = model.operation(id: text) { return op }
        let near = model.suggestions(for: text)
        throw CommandFailure.usage(
            "no operation '\(text)' in \(model.source); did you mean \(near.map { "'\($0)'" }.joined(separator: ", "))? (detapi spec ops lists them all)"
        )
    }
}
