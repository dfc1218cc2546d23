import Foundation
import JSON
import OpenAPI

extension ExplorerSession {
    /// `schema NAME[.field ...]`: the definition (Swagger `definitions`, OpenAPI 3 `components.schemas`), or one of
    /// its fields followed through `$ref`s and array items, with its fields two levels deep and every enum's values.
    func schemaText(_ text: String) throws(ExplorerError) -> String {
        let parts = text.split(separator: ".").map(String.init)
        guard let name = parts.first else { throw ExplorerError.usage("schema", "schema NAME") }
        let definitions = model.document["definitions"] ?? model.document["components"]?["schemas"]
        guard var schema = definitions?[name] else {
            let near = model.schemaNames.min { EditDistance.between($0, name) < EditDistance.between($1, name) }
            throw ExplorerError("schema: no definition '\(name)'\(near.map { " (did you mean '\($0)'?)" } ?? ""); Tab completes names")
        }
        let renderer = SchemaRenderer(document: model.document, maxDepth: 2)
        var path = name
        for field in parts.dropFirst() {
            var s = model.resolvingLocalReference(schema)
            if s["type"]?.stringValue == "array", let items = s["items"] { s = model.resolvingLocalReference(items) }
            guard let next = s["properties"]?[field] else {
                let fields = (s["properties"]?.objectValue ?? JSONObject()).map(\.key)
                throw ExplorerError("schema: \(path) has no field '\(field)' (its fields: \(fields.joined(separator: ", ")))")
            }
            schema = next
            path += "." + field
        }
        let resolved = model.resolvingLocalReference(schema)
        var out = "\(path): \(renderer.typeSummary(schema))"
        if let description = (resolved["description"] ?? schema["description"])?.stringValue, !description.isEmpty {
            out += "\n  " + description.split(separator: "\n").joined(separator: "\n  ")
        }
        out += "\n"
        let lines = renderer.lines(schema)
        out += lines.isEmpty ? "  (no fields)\n" : lines.joined(separator: "\n") + "\n"
        // Every enum among the first level's fields, with its values.
        var target = resolved
        if target["type"]?.stringValue == "array", let items = target["items"] { target = model.resolvingLocalReference(items) }
        for p in target["properties"]?.objectValue ?? JSONObject() {
            let field = model.resolvingLocalReference(p.value)
            let values = (field["enum"] ?? field["items"].map { model.resolvingLocalReference($0) }?["enum"])?.arrayValue ?? []
            guard !values.isEmpty else { continue }
            out += "  \(p.key) is one of: \(values.map { $0.stringValue ?? JSONWriter().string($0) }.joined(separator: ", "))\n"
        }
        return out
    }
}
