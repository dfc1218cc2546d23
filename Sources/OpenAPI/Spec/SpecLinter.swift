import JSON

/// Lint checks that look at the spec's text rather than its operations: URLs in info/externalDocs, and
/// `format` values that no validator knows for their type.
extension APIModelBuilder {
    static let knownFormats: [String: Set<String>] = [
        "string": [
            "date-time", "date", "time", "duration", "email", "idn-email", "hostname", "idn-hostname", "ipv4", "ipv6", "uri",
            "uri-reference", "iri", "iri-reference", "uri-template", "uuid", "byte", "binary", "password", "int64", "uint64",
            "int32", "uint32", "regex", "json-pointer", "relative-json-pointer", "double", "float",
        ],
        "integer": ["int32", "int64", "uint32", "uint64"],
        "number": ["float", "double", "int32", "int64"],
    ]

    /// JSON Schema's types, and Swagger 2.0's `file` (a binary answer or form upload).
    static let schemaTypes: Set<String> = ["null", "boolean", "integer", "number", "string", "array", "object", "file"]
    /// The `type` words of security schemes, which are not schema types.
    static let securityTypes: Set<String> = ["apiKey", "http", "oauth2", "openIdConnect", "basic", "mutualTLS"]

    mutating func lintDocumentation(_ root: JSONValue) {
        for (tokens, value) in [
            (["externalDocs", "url"], root["externalDocs"]?["url"]), (["info", "contact", "url"], root["info"]?["contact"]?["url"]),
            (["info", "license", "url"], root["info"]?["license"]?["url"]),
        ] {
            if let url = value?.stringValue, URIReference(url).scheme == nil {
                warn(.warning, "#" + JSONPointer(tokens: tokens).description, "'\(url)' is not an absolute URL")
            }
        }
        var path: [String] = []
        walkFormats(root, &path)
    }

    /// Looks for `format` values unknown for their `type`; the pointer is built only for a warning.
    private mutating func walkFormats(_ value: JSONValue, _ path: inout [String]) {
        guard path.count < 64 else { return }
        switch value {
        case .object(let o):
            // One pass for both keywords: this walk visits every object of the document.
            var typeValue: JSONValue?
            var formatValue: JSONValue?
            for m in o.members {
                if m.key == "type" { typeValue = m.value } else if m.key == "format" { formatValue = m.value }
            }
            if let type = typeValue?.stringValue, !Self.schemaTypes.contains(type), !Self.securityTypes.contains(type) {
                warn(
                    .warning, "#" + JSONPointer(tokens: path + ["type"]).description,
                    "unknown type '\(type)': values of it are not checked, and conform sends no forbidden values for it")
            }
            if let format = formatValue?.stringValue, let type = typeValue?.stringValue, Self.schemaTypes.contains(type) {
                let known = Self.knownFormats[type]
                if known == nil || !(known!.contains(format)) {
                    warn(
                        .warning, "#" + JSONPointer(tokens: path + ["format"]).description,
                        "format '\(format)' means nothing for type '\(type)'; it is ignored")
                }
            }
            for m in o where m.key != "example" && m.key != "examples" && m.key != "enum" && m.key != "default" {
                guard case .object = m.value else {
                    if case .array = m.value {} else { continue }
                    path.append(m.key)
                    walkFormats(m.value, &path)
                    path.removeLast()
                    continue
                }
                path.append(m.key)
                walkFormats(m.value, &path)
                path.removeLast()
            }
        case .array(let a):
            for (i, v) in a.enumerated() {
                path.append(String(i))
                walkFormats(v, &path)
                path.removeLast()
            }
        default: break
        }
    }
}
