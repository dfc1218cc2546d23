import JSON
import OpenAPI

/// The gateway's parsing of query and path values by their declared type, for every operation of the loaded
/// spec: grpc-gateway converts each field of the request message before any handler runs, so a word in an
/// integer field, a bad boolean or an unknown enum name is a 400 even where the handler never reads the field.
///
/// The Go types come from the spec: `int32`/`int64` integers, `number`, `boolean` (strconv.ParseBool), string
/// enums (by name or number).
enum SpecParameterCheck {
    static func check(_ op: OpenAPI.Operation, query: QueryParameters) throws(GatewayError) {
        for p in op.parameters where p.location == .query {
            let values = query.all(p.name)
            guard !values.isEmpty else { continue }
            let schema = p.type == "array" ? (p.schema["items"] ?? .null) : p.schema
            for v in values { try value(v, schema: schema, name: p.name) }
        }
    }

    /// The body's top-level fields as jsonpb decodes them into the request message.
    ///
    /// A field of the wrong JSON type is the 400 it answers, whether or not the handler reads the field (`null` is
    /// "not given").
    static func check(_ op: OpenAPI.Operation, body: JSONValue, model: APIModel) throws(GatewayError) {
        guard let schema = op.requestBody?.schema, case .object(let fields) = body else { return }
        let properties = model.resolvingLocalReference(schema)["properties"]?.objectValue ?? JSONObject()
        for m in fields {
            guard !m.value.isNull, let property = properties[m.key] else { continue }
            let resolved = model.resolvingLocalReference(property)
            let type = resolved["type"]?.stringValue
            let goType: String
            switch (type, m.value) {
            case ("integer", .string(let text)), ("number", .string(let text)):
                // jsonpb takes a number in a string ("5"), parsed as the field's Go type: a word is the 400 it answers.
                try value(text, schema: resolved, name: m.key)
                continue
            case ("string", .string), ("integer", .number), ("number", .number),
                ("boolean", .bool), ("array", .array), ("object", .object), (nil, _):
                continue
            case ("string", _): goType = "string"
            case ("integer", _): goType = "int32"
            case ("number", _): goType = "float64"
            case ("boolean", _): goType = "bool"
            case ("array", _): goType = "[]json.RawMessage"
            default: goType = "map[string]json.RawMessage"
            }
            throw GatewayError(.invalidArgument, "json: cannot unmarshal \(m.value.typeName) into Go value of type \(goType)")
        }
    }

    /// Path values of `op` in `path` (the request path, matched to the operation's template).
    static func check(_ op: OpenAPI.Operation, path: String) throws(GatewayError) {
        let template = op.path.split(separator: "/", omittingEmptySubsequences: false)
        let actual = path.split(separator: "/", omittingEmptySubsequences: false)
        guard template.count == actual.count else { return }
        for (t, a) in zip(template, actual) where t.hasPrefix("{") && t.hasSuffix("}") {
            let name = String(t.dropFirst().dropLast())
            guard let p = op.parameters.first(where: { $0.location == .path && $0.name == name }) else { continue }
            do {
                try value(String(a), schema: p.schema, name: name)
            } catch {
                throw GatewayError(.invalidArgument, "type mismatch, parameter: \(snake(name)), error: \(error.message)")
            }
        }
    }

    private static func value(_ v: String, schema: JSONValue, name: String) throws(GatewayError) {
        switch schema["type"]?.stringValue {
        case "integer":
            if schema["format"]?.stringValue == "int64" || schema["format"]?.stringValue == "uint64" {
                guard GoInt.parse(v) != nil else {
                    throw GatewayError(.invalidArgument, "strconv.ParseInt: parsing \"\(v)\": invalid syntax")
                }
            } else {
                _ = try GoInt.parse32(v)
            }
        case "number":
            guard Double(v) != nil else { throw GatewayError(.invalidArgument, "strconv.ParseFloat: parsing \"\(v)\": invalid syntax") }
        case "boolean":
            guard ["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"].contains(v) else {
                throw GatewayError(.invalidArgument, "strconv.ParseBool: parsing \"\(v)\": invalid syntax")
            }
        case "string":
            if let cases = schema["enum"]?.arrayValue?.compactMap(\.stringValue), !cases.isEmpty {
                _ = try QueryParameters.enumCase(v, cases: cases, typeName: name)
            }
            // A google.protobuf.Timestamp field (format date-time) is parsed as RFC 3339 before any handler runs.
            if schema["format"]?.stringValue == "date-time", !FormatAssertion.accepts("date-time", string: v) {
                throw GatewayError(
                    .invalidArgument,
                    "parsing field \"\(snake(name))\": parsing time \"\(v)\" as \"2006-01-02T15:04:05.999999999Z07:00\": cannot parse \"\(v)\" as \"2006\""
                )
            }
        default: break
        }
    }

    /// The proto field name grpc-gateway reports (`experimentId` → `experiment_id`).
    static func snake(_ name: String) -> String {
        var out = ""
        for c in name {
            if c.isUppercase {
                out += "_" + c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }
}
