import Foundation
import JSON

/// Renders a schema as indented text for people: `name: type (format) required — description`, nested
/// objects expanded to a depth, `$ref`s named by their definition.
public struct SchemaRenderer {
    public let document: JSONValue
    public var maxDepth = 2
    /// Every paragraph of a field's description (the API page); otherwise the first one (a terminal).
    public var wholeDescriptions = false

    public init(document: JSONValue, maxDepth: Int = 2, wholeDescriptions: Bool = false) {
        self.document = document
        self.maxDepth = maxDepth
        self.wholeDescriptions = wholeDescriptions
    }

    /// A description's paragraphs (split at blank lines), each with its wrapped lines joined.
    ///
    /// Specs generated from code comments wrap mid-sentence (`Negative values\ndenote …`), so a line is not a unit of meaning. A list
    /// item (`- `, `* `) starts a line of its own within its paragraph.
    public static func paragraphs(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                if !current.isEmpty { out.append(current) }
                current = ""
            } else if current.isEmpty {
                current = trimmed
            } else {
                current += (trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") ? "\n" : " ") + trimmed
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// The definition name a `$ref` points at (`#/definitions/v1User` → `v1User`).
    public static func refName(_ ref: String) -> String {
        String(ref.split(separator: "/").last ?? Substring(ref))
    }

    private func resolve(_ schema: JSONValue) -> (JSONValue, String?) {
        var current = schema
        var name: String?
        for _ in 0..<10 {
            guard let ref = current["$ref"]?.stringValue, ref.hasPrefix("#") else { break }
            name = Self.refName(ref)
            guard let p = try? JSONPointer(fragment: ref), let target = p.resolve(in: document) else { break }
            current = target
        }
        return (current, name)
    }

    /// A one-line type summary: `array of v1Experiment`, `string (date-time)`, `integer or null ≥ 0`, `v1Pagination`.
    public func typeSummary(_ schema: JSONValue) -> String {
        let (s, name) = resolve(schema)
        if let name, s["enum"] == nil { return name }
        var text: String
        if let types = s["type"]?.arrayValue?.compactMap(\.stringValue), !types.isEmpty {
            // 3.1's type arrays: `["integer", "null"]` reads "integer or null".
            text = types.map { $0 == "array" ? "array of " + (s["items"].map(typeSummary) ?? "any") : $0 }.joined(separator: " or ")
        } else if let alternatives = (s["oneOf"] ?? s["anyOf"])?.arrayValue, !alternatives.isEmpty {
            text = alternatives.map(typeSummary).joined(separator: " or ")
        } else {
            let type =
                s["type"]?.stringValue
                ?? (s["properties"] != nil ? "object" : s["allOf"] != nil ? "allOf" : s["const"]?.typeName ?? "any")
            text = type
            if type == "array", let items = s["items"] { text = "array of " + typeSummary(items) }
        }
        if s["nullable"]?.boolValue == true { text += " or null" }
        if let format = s["format"]?.stringValue { text += " (\(format))" }
        if let values = s["enum"]?.arrayValue {
            let shown = values.prefix(6).map { $0.stringValue ?? $0.description }.joined(separator: ", ")
            text += " enum [\(shown)\(values.count > 6 ? ", … \(values.count) values" : "")]"
            if let name { text = name + ": " + text }
        }
        text += constraints(s)
        return text
    }

    /// `≥ 0 ≤ 100`, `pattern ^a`, `const x`, `example 3`: what else a value must be, or looks like.
    func constraints(_ s: JSONValue) -> String {
        var parts: [String] = []
        if let min = s["minimum"] { parts.append((s["exclusiveMinimum"]?.boolValue == true ? "> " : "≥ ") + min.description) }
        if let min = s["exclusiveMinimum"], min.boolValue == nil { parts.append("> " + min.description) }
        if let max = s["maximum"] { parts.append((s["exclusiveMaximum"]?.boolValue == true ? "< " : "≤ ") + max.description) }
        if let max = s["exclusiveMaximum"], max.boolValue == nil { parts.append("< " + max.description) }
        if let n = s["minLength"] { parts.append("length ≥ \(n)") }
        if let n = s["maxLength"] { parts.append("length ≤ \(n)") }
        if let pattern = s["pattern"]?.stringValue { parts.append("pattern \(pattern)") }
        if let c = s["const"] { parts.append("const \(JSONWriter().string(c))") }
        if let e = s["example"] ?? s["examples"]?.arrayValue?.first { parts.append("example \(JSONWriter().string(e))") }
        return parts.isEmpty ? "" : " " + parts.joined(separator: " ")
    }

    /// The lines describing `schema`'s properties, indented by `indent` spaces.
    public func lines(_ schema: JSONValue, indent: Int = 2, depth: Int = 1) -> [String] {
        let (s, _) = resolve(schema)
        var target = s
        if s["type"]?.stringValue == "array", let items = s["items"] { target = resolve(items).0 }
        guard let properties = target["properties"]?.objectValue else { return [] }
        let required = Set(target["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        var out: [String] = []
        let pad = String(repeating: " ", count: indent)
        for p in properties {
            var line = "\(pad)\(p.key): \(typeSummary(p.value))"
            if required.contains(p.key) { line += " required" }
            let description = resolve(p.value).0["description"]?.stringValue ?? p.value["description"]?.stringValue ?? ""
            let paragraphs = Self.paragraphs(description)
            if let first = paragraphs.first {
                let shown = wholeDescriptions ? paragraphs.joined(separator: " ") : first
                line += " — " + shown.replacingOccurrences(of: "\n", with: " ")
            }
            out.append(line)
            if depth < maxDepth { out += lines(p.value, indent: indent + 2, depth: depth + 1) }
        }
        return out
    }
}
