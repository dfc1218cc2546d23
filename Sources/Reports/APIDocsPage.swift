import Foundation
import JSON
import Mustache
import OpenAPI

/// detapi's single-file API reference for a spec: operations grouped by tag, their parameters and schemas, and a
/// "Try it out" form that sends the request from the page to its own origin and shows the status, the body and
/// the equivalent curl command.
///
/// The mock serves it at `/docs/rest-api/` (where a real master serves Swagger UI) and `detapi docs --out FILE`
/// writes it for any spec. Rendered from a swift-mustache template as the HTML report is: every spec string goes
/// through Mustache's HTML escaping, answers are shown with `textContent`, nothing is fetched from elsewhere,
/// and the token typed into the page is sent only as the request's `Authorization` header (the curl line shows
/// `$DET_TOKEN`, never the token).
public enum APIDocsPage {
    public static func render(_ model: APIModel) throws -> String {
        let template = try MustacheTemplate(string: APIDocsTemplate.text)
        let renderer = SchemaRenderer(document: model.document, maxDepth: 3, wholeDescriptions: true)
        var tags: [[String: Any]] = []
        for group in model.operationsByTag() {
            let ops: [[String: Any]] = group.operations.map { op in operation(op, model: model, renderer: renderer) }
            var tag: [String: Any] = ["name": group.tag, "anchor": anchor("tag-" + group.tag), "operations": ops, "count": ops.count]
            tag["tagDescription"] = folded(model.tags.first(where: { $0.name == group.tag })?.description ?? "")
            tags.append(tag)
        }
        var context: [String: Any] = [
            "title": model.title.isEmpty ? "API reference" : model.title, "version": model.apiVersion, "source": model.source,
            "operationCount": model.operations.count, "tags": tags,
        ]
        context["apiDescription"] = folded(model.description)
        return template.render(context)
    }

    private static func operation(_ op: OpenAPI.Operation, model: APIModel, renderer: SchemaRenderer) -> [String: Any] {
        let secured = op.requiresAuthentication(global: model.globalSecurity)
        let parameters: [[String: Any]] = op.parameters.filter { $0.location != .formData }.map { p in
            var row: [String: Any] = [
                "name": p.name, "in": p.location.rawValue, "type": typeText(p), "required": p.required,
                "paramDescription": folded(p.description), "isArray": p.type == "array", "collection": p.collectionFormat,
            ]
            if let values = p.enumValues?.compactMap(\.stringValue), !values.isEmpty {
                row["enum"] = values.map { ["value": $0] }
                row["hasEnum"] = true
            } else if p.type == "boolean" || p.schema["items"]?["type"]?.stringValue == "boolean" {
                row["enum"] = [["value": "true"], ["value": "false"]]
                row["hasEnum"] = true
            } else {
                row["hasEnum"] = false
            }
            return row
        }
        var out: [String: Any] = [
            "id": op.id, "anchor": anchor("op-" + op.id), "method": op.method, "methodClass": op.method.lowercased(), "path": op.path,
            "parameters": parameters, "hasParameters": !parameters.isEmpty,
            "secured": secured, "opDescription": folded(op.description == op.summary ? "" : op.description),
            "responses": op.responses.map { r -> [String: Any] in
                var row: [String: Any] = ["status": r.status.description, "description": r.description]
                if let schema = r.schema { row["schema"] = schemaText(schema, renderer) }
                return row
            },
        ]
        if !op.summary.isEmpty { out["summary"] = op.summary }
        if op.deprecated { out["deprecated"] = true }
        if let body = op.requestBody {
            var b: [String: Any] = ["required": body.required]
            if let schema = body.schema {
                b["schema"] = schemaText(schema, renderer)
                b["example"] = JSONWriter(style: .pretty(indent: 2)).string(exampleBody(schema, model: model, node: body.schemaNode))
            }
            out["body"] = b
        }
        return out
    }

    /// A description shown whole: its first paragraph, and the others folded under it (`false` when there is
    /// none, so that Mustache does not take an enclosing section's description instead).
    static func folded(_ text: String) -> Any {
        let paragraphs = SchemaRenderer.paragraphs(text)
        guard let head = paragraphs.first else { return false }
        let rest = paragraphs.dropFirst().joined(separator: "\n")
        return ["head": head, "rest": rest.isEmpty ? false : rest] as [String: Any]
    }

    /// `integer (int32)`, `array of string`, `string, one of 4`.
    private static func typeText(_ p: Parameter) -> String {
        var t = p.type ?? "string"
        if t == "array" { t = "array of \(p.schema["items"]?["type"]?.stringValue ?? "string")" }
        if let f = p.format, f != t { t += " (\(f))" }
        return t
    }

    private static func schemaText(_ schema: JSONValue, _ renderer: SchemaRenderer) -> String {
        let head = renderer.typeSummary(schema)
        let body = renderer.lines(schema, indent: 2, depth: 1)
        return ([head] + body).joined(separator: "\n")
    }

    /// A starting body for the form: a sample of the schema, with no secrets in it.
    private static func exampleBody(_ schema: JSONValue, model: APIModel, node: Int?) -> JSONValue {
        if let example = schema["example"] { return example }
        guard let node else { return .object(JSONObject()) }
        return SchemaSampler(schemas: model.schemas, maxDepth: 2).sample(node, seed: 1)
    }

    /// An id for links: letters, digits and `-` only.
    static func anchor(_ s: String) -> String {
        String(s.map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }
}
