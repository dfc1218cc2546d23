import Foundation
import Harness
import JSON
import OpenAPI

/// How a spec reads as text: `spec info`, `spec ops`, `spec show` and `spec lint` (and explore's `tags`,
/// `ops` and `show`, which render the same way).
public enum SpecReport {
    public static func info(_ model: APIModel) -> String {
        let errors = model.warnings.filter { $0.severity == .error }.count
        let dialect =
            model.version == .openAPI31
            ? "JSON Schema 2020-12" : model.version == .openAPI30 ? "OAS 3.0 schema objects" : "JSON Schema draft 4 + x-nullable"
        return """
            spec:        \(model.describedSource)
            title:       \(model.title)
            version:     \(model.apiVersion)
            format:      \(model.version.rawValue) (\(model.specVersionString)), schemas validated as \(dialect)
            servers:     \(model.servers.isEmpty ? "(none; pass --master)" : model.servers.joined(separator: ", "))
            paths:       \(model.pathCount)
            operations:  \(model.operations.count)
            schemas:     \(model.schemaNames.count) named, \(model.schemas.count) compiled nodes
            tags:        \(model.tags.count)
            security:    \(model.securitySchemes.keys.sorted().joined(separator: ", "))
            lint:        \(Plural.count(errors, "error")), \(Plural.count(model.warnings.count - errors, "warning")) (detapi spec lint)
            overlays:    \(model.overlaysApplied.isEmpty ? "none" : Plural.count(model.overlaysApplied.count, "action") + " applied")\(model.overlaysApplied.map { "\n  " + $0.text }.joined())

            """
    }

    /// Operations grouped by tag, filtered by tag (any case) and by text in id, path or summary.
    public static func ops(_ model: APIModel, tag: String?, grep: String?) throws(HarnessError) -> String {
        var shown = 0
        var tags = 0
        var text = ""
        for group in model.operationsByTag() {
            if let tag, group.tag.lowercased() != tag.lowercased() { continue }
            let ops = group.operations.filter { op in
                guard let grep = grep?.lowercased() else { return true }
                return op.id.lowercased().contains(grep) || op.path.lowercased().contains(grep) || op.summary.lowercased().contains(grep)
            }
            guard !ops.isEmpty else { continue }
            tags += 1
            text += "\(group.tag) (\(ops.count))\n"
            let idWidth = min(40, ops.map(\.id.count).max() ?? 0)
            let pathWidth = min(60, ops.map(\.path.count).max() ?? 0)
            for op in ops {
                let method = op.method.padding(toLength: 7, withPad: " ", startingAt: 0)
                let path = op.path.padding(toLength: max(pathWidth, op.path.count), withPad: " ", startingAt: 0)
                let id = op.id.padding(toLength: max(idWidth, op.id.count), withPad: " ", startingAt: 0)
                let summary = op.summary.split(separator: "\n").first.map(String.init) ?? ""
                text += "  \(method) \(path)  \(id)  \(op.deprecated ? "[deprecated] " : "")\(summary)\n"
                shown += 1
            }
        }
        if let tag, tags == 0 {
            throw HarnessError(message: "no tag '\(tag)'; tags are: \(model.tags.map(\.name).joined(separator: ", "))")
        }
        text += "\(Plural.count(shown, "operation")) in \(Plural.count(tags, "tag"))\n"
        if !model.origin.isEmpty { text += "spec: \(model.describedSource)\n" }
        return text
    }

    /// One operation: parameters (type, enum, default, required), body schema, responses, security.
    public static func show(_ op: OpenAPI.Operation, in model: APIModel) -> String {
        let renderer = SchemaRenderer(document: model.document)
        var out = "\(op.id)\(op.deprecated ? " [deprecated]" : "")\n  \(op.method) \(op.path)\n"
        if !op.summary.isEmpty { out += "  \(op.summary.split(separator: "\n").joined(separator: "\n  "))\n" }
        if !op.tags.isEmpty { out += "  tags: \(op.tags.joined(separator: ", "))\n" }
        let security = op.security ?? model.globalSecurity
        out +=
            "  security: \(security.isEmpty || security.contains { $0.schemes.isEmpty } ? "none (anonymous)" : security.map { $0.schemes.joined(separator: " + ") }.joined(separator: " or "))\n"
        out += "\nParameters (\(op.parameters.count))\n"
        if op.parameters.isEmpty { out += "  (none)\n" }
        for p in op.parameters {
            var line = "  \(p.name) [\(p.location.rawValue)] \(renderer.typeSummary(p.schema))"
            if p.required { line += " required" }
            if let d = p.defaultValue { line += " default \(d)" }
            if p.schema["type"]?.stringValue == "array" { line += " (\(p.collectionFormat))" }
            out += line + "\n"
            if let first = p.description.split(separator: "\n").first { out += "      \(first)\n" }
        }
        out += "\nRequest body\n"
        if let body = op.requestBody {
            out += "  \(body.mediaTypes.joined(separator: ", "))\(body.required ? " required" : "")"
            if let schema = body.schema { out += " — \(renderer.typeSummary(schema))" }
            out += "\n"
            if let schema = body.schema { out += renderer.lines(schema, indent: 4).joined(separator: "\n") + "\n" }
        } else {
            out += "  (none)\n"
        }
        out += "\nResponses\n"
        for r in op.responses {
            out += "  \(r.status) \(r.description.split(separator: "\n").first ?? "")"
            if let schema = r.schema { out += " — \(renderer.typeSummary(schema))" }
            out += "\n"
            if let schema = r.schema { out += renderer.lines(schema, indent: 4).joined(separator: "\n") + "\n" }
        }
        return out
    }

    /// Every lint problem with its pointer, then the counts.
    public static func lint(_ model: APIModel) -> String {
        var text = ""
        for w in model.warnings { text += "\(model.source)\(w.pointer): \(w.severity.rawValue): \(w.message)\n" }
        let errors = model.warnings.filter { $0.severity == .error }.count
        text += "\(Plural.count(errors, "error")), \(Plural.count(model.warnings.count - errors, "warning"))\n"
        return text
    }
}
