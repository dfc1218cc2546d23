import OpenAPI

/// Finds an operation by id (any case) or `METHOD /path`, or fails with the nearest valid ids; shared by
/// `spec show`, `validate` and explore.
public enum OperationLookup {
    public static func find(_ text: String, in model: APIModel) throws(HarnessError) -> OpenAPI.Operation {
        let parts = text.split(separator: " ", maxSplits: 1)
        if parts.count == 2, parts[1].hasPrefix("/") {
            if let op = model.operation(method: String(parts[0]), path: String(parts[1])) { return op }
            throw HarnessError(message: "no operation matches \(parts[0].uppercased()) \(parts[1]) in \(model.source).")
        }
        if let op = model.operation(id: text) { return op }
        let near = model.suggestions(for: text)
        throw HarnessError(
            message:
                "no operation '\(text)' in \(model.source); did you mean \(near.map { "'\($0)'" }.joined(separator: ", "))? (detapi spec ops lists them all)"
        )
    }

    /// The documented response for `status` and its compiled schema, or an error saying what the operation has.
    public static func schema(of op: OpenAPI.Operation, status: Int) throws(HarnessError) -> (response: OpenAPI.Response, node: Int) {
        guard let response = op.response(for: status) else {
            throw HarnessError(
                message:
                    "\(op.id) documents no response for status \(status) (it has \(op.responses.map(\.status.description).joined(separator: ", ")))."
            )
        }
        guard let node = response.schemaNode else {
            throw HarnessError(message: "\(op.id) response \(response.status) has no schema to validate against.")
        }
        return (response, node)
    }
}
