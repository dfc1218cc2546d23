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

    mutating func lintDocumentation(_ root: JSONValue) {
        for (tokens, value) in [(["externalDocs", "url"], root["externalDocs"]?["url"]), (["info", "contact", "url"], root["info"]?["contact"]?["url"]),
            (["info", "license", "url"], root["info"]?["license"]?["url"])]
        {
            if let url = value?.stringValue, URIReference(url).scheme == nil {
                warn(.warning, "#" + JSONPointer(tokens: tokens).description, "'\(url)' is not an absolute URL")
            }
        }
        walkFormats(root, JSONPointer.root, depth: 0)
    }

    private mutating func walkFormats(_ value: JSONValue, _ pointer: JSONPointer, depth: Int) {
        guard depth < 64 else { return }
        switch value {
        case .object(let o):
            if let format = o["format"]?.stringValue, let type = o["type"]?.stringValue, o["in"] == nil || o["type"] != nil {
                let known = Self.knownFormats[type]
                if known == nil || !(known!.contains(format)) {
                    warn(.warning, "#" + pointer.appending("format").description, "format '\(format)' means nothing for type '\(type)'; it is ignored")
                }
            }
            for m in o where m.key != "example" && m.key != "examples" && m.key != "enum" && m.key != "default" {
                walkFormats(m.value, pointer.appending(m.key), depth: depth + 1)
            }
        case .array(let a):
            for (i, v) in a.enumerated() { walkFormats(v, pointer.appending(i), depth: depth + 1) }
        default: break
        }
    }
}
