import JSON

extension APIModelBuilder {
    mutating func buildOperation(path: String, method: String, op: JSONValue, item: JSONValue, document: String, pointer: String)
        -> Operation
    {
        let root = documents.root
        var id = op["operationId"]?.stringValue ?? ""
        if id.isEmpty {
            id = method.uppercased() + " " + path
            warn(.warning, pointer, "operation has no operationId; detapi calls it '\(id)'")
        }
        // Path-level parameters first; operation-level ones override by (name, in).
        var parameters: [Parameter] = []
        var body: RequestBody?
        let consumes =
            op["consumes"]?.arrayValue?.compactMap(\.stringValue)
            ?? root["consumes"]?.arrayValue?.compactMap(\.stringValue) ?? ["application/json"]
        let pathParamsPointer = String(pointer.dropLast(method.count + 1)) + "/parameters"
        for (list, listPointer) in [(item["parameters"], pathParamsPointer), (op["parameters"], pointer + "/parameters")] {
            for (i, raw) in (list?.arrayValue ?? []).enumerated() {
                let p = "\(listPointer)/\(i)"
                guard let (value, doc, ptr) = documents.resolve(raw, document: document, pointer: p) else {
                    warn(.error, p, "$ref '\(raw["$ref"]?.stringValue ?? "")' cannot be resolved", brokenReference: true)
                    continue
                }
                if version == .swagger2, value["in"]?.stringValue == "body" {
                    body = RequestBody(
                        required: value["required"]?.boolValue ?? false, description: value["description"]?.stringValue ?? "",
                        mediaTypes: consumes, schema: value["schema"],
                        schemaNode: value["schema"] == nil ? nil : compile(doc, ptr + "/schema", known: value["schema"]),
                        pointer: ptr)
                    continue
                }
                guard let parameter = buildParameter(value, document: doc, pointer: ptr) else { continue }
                parameters.removeAll { $0.name == parameter.name && $0.location == parameter.location }
                parameters.append(parameter)
            }
        }
        if version != .swagger2, let raw = op["requestBody"] {
            if let (value, doc, ptr) = documents.resolve(raw, document: document, pointer: pointer + "/requestBody") {
                let (media, schema, schemaPointer) = pickContent(value["content"])
                body = RequestBody(
                    required: value["required"]?.boolValue ?? false, description: value["description"]?.stringValue ?? "",
                    mediaTypes: media, schema: schema, schemaNode: schemaPointer.flatMap { compile(doc, ptr + $0, known: schema) },
                    pointer: ptr)
            } else {
                warn(.error, pointer + "/requestBody", "$ref of the request body cannot be resolved", brokenReference: true)
            }
        }
        // A template variable no parameter declares is filled like a string parameter (and linted as a warning).
        for name in checkPathParameters(path: path, parameters: parameters, pointer: pointer) {
            parameters.append(
                Parameter(
                    name: name, location: .path, required: true, description: "", schema: ["type": "string"], schemaNode: nil,
                    collectionFormat: "csv", pointer: pointer))
        }

        var responses: [Response] = []
        let produces =
            op["produces"]?.arrayValue?.compactMap(\.stringValue)
            ?? root["produces"]?.arrayValue?.compactMap(\.stringValue) ?? ["application/json"]
        for m in op["responses"]?.objectValue ?? JSONObject() {
            let p = pointer + "/responses/" + m.key
            guard let status = Self.status(m.key) else {
                if !m.key.hasPrefix("x-") { warn(.warning, p, "'\(m.key)' is not a status code, a 2XX-style range or 'default'") }
                continue
            }
            guard let (value, doc, ptr) = documents.resolve(m.value, document: document, pointer: p) else {
                warn(.error, p, "$ref '\(m.value["$ref"]?.stringValue ?? "")' cannot be resolved", brokenReference: true)
                continue
            }
            if value["description"] == nil { warn(.warning, p, "response has no description (required by the spec format)") }
            var response = Response(
                status: status, description: value["description"]?.stringValue ?? "", mediaTypes: [], schema: nil, schemaNode: nil,
                headers: value["headers"]?.objectValue?.keys ?? [], pointer: ptr)
            for h in value["headers"]?.objectValue ?? JSONObject() {
                guard let (header, _, _) = documents.resolve(h.value, document: doc, pointer: ptr + "/headers/" + h.key) else { continue }
                response.headerSpecs.append(
                    ResponseHeader(
                        name: h.key, required: version != .swagger2 && header["required"]?.boolValue == true,
                        schema: version == .swagger2 ? header : header["schema"] ?? .null))
            }
            if version == .swagger2 {
                response.mediaTypes = value["schema"] == nil ? [] : produces
                response.schema = value["schema"]
                if value["schema"] != nil { response.schemaNode = compile(doc, ptr + "/schema", known: value["schema"]) }
            } else {
                let (media, schema, schemaPointer) = pickContent(value["content"])
                response.mediaTypes = media
                response.schema = schema
                response.schemaNode = schemaPointer.flatMap { compile(doc, ptr + $0, known: schema) }
            }
            responses.append(response)
        }
        if responses.isEmpty { warn(.warning, pointer + "/responses", "operation documents no responses") }

        var built = Operation(
            id: id, method: method.uppercased(), path: path, tags: op["tags"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            summary: op["summary"]?.stringValue ?? "", description: op["description"]?.stringValue ?? "",
            deprecated: op["deprecated"]?.boolValue ?? false, parameters: parameters, requestBody: body, responses: responses,
            security: security(op["security"]), pointer: pointer)
        built.markedSafe = op["x-detapi-safe"]?.boolValue == true
        return built
    }

    private mutating func buildParameter(_ value: JSONValue, document: String, pointer: String) -> Parameter? {
        guard let name = value["name"]?.stringValue, let inText = value["in"]?.stringValue,
            let location = Parameter.Location(rawValue: inText)
        else {
            warn(.error, pointer, "parameter needs a 'name' and an 'in' of path, query, header or cookie")
            return nil
        }
        var schema: JSONValue
        var schemaNode: Int?
        var collection = "csv"
        if version == .swagger2 {
            // The parameter object itself carries type/format/items/enum: keep just those keywords.
            var o = JSONObject()
            for m in value.objectValue ?? JSONObject()
            where !["name", "in", "description", "required", "collectionFormat", "allowEmptyValue"].contains(m.key) {
                o[m.key] = m.value
            }
            schema = .object(o)
            schemaNode = compile(document, pointer, known: value)
            collection = value["collectionFormat"]?.stringValue ?? "csv"
        } else {
            schema = value["schema"] ?? .object(JSONObject())
            schemaNode = value["schema"] == nil ? nil : compile(document, pointer + "/schema", known: value["schema"])
            // A `$ref` schema (an enum in components) is read through, so its type and values are known.
            if schema["$ref"] != nil, let (resolved, _, _) = documents.resolve(schema, document: document, pointer: pointer + "/schema") {
                schema = resolved
            }
            // The parameter's own `example`/`examples` are documented values like the schema's.
            if case .object(var o) = schema {
                if o["example"] == nil, let e = value["example"] { o["example"] = e }
                if let named = value["examples"]?.objectValue {
                    var list = o["examples"]?.arrayValue ?? []
                    for m in named {
                        if let v = m.value["value"], !list.contains(v) { list.append(v) }
                    }
                    if !list.isEmpty { o["examples"] = .array(list) }
                }
                schema = .object(o)
            }
            let style = value["style"]?.stringValue ?? (location == .query || location == .cookie ? "form" : "simple")
            let explode = value["explode"]?.boolValue ?? (style == "form")
            collection =
                style == "form" && explode ? "multi" : style == "spaceDelimited" ? "ssv" : style == "pipeDelimited" ? "pipes" : "csv"
        }
        let required = value["required"]?.boolValue ?? false
        if location == .path && !required { warn(.warning, pointer, "path parameter '\(name)' must be required: true") }
        return Parameter(
            name: name, location: location, required: required || location == .path,
            description: value["description"]?.stringValue ?? "", schema: schema, schemaNode: schemaNode, collectionFormat: collection,
            pointer: pointer)
    }

    /// The JSON media type of a `content` map (else the first), its schema and the schema's relative pointer.
    private func pickContent(_ content: JSONValue?) -> ([String], JSONValue?, String?) {
        guard let map = content?.objectValue, !map.isEmpty else { return ([], nil, nil) }
        let types = map.keys
        let chosen =
            types.first { $0.lowercased().hasPrefix("application/json") } ?? types.first { $0.lowercased().contains("json") } ?? types[0]
        let schema = map[chosen]?["schema"]
        return (types, schema, schema == nil ? nil : "/content/" + JSONPointer(tokens: [chosen]).description.dropFirst() + "/schema")
    }

    /// Lints the path's template variables against its path parameters; returns the variables nobody declares.
    private mutating func checkPathParameters(path: String, parameters: [Parameter], pointer: String) -> [String] {
        var templated: [String] = []
        var rest = Substring(path)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            templated.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        let declared = parameters.filter { $0.location == .path }.map(\.name)
        for name in templated where !declared.contains(name) {
            warn(.warning, pointer, "path template variable '{\(name)}' has no path parameter; it is filled like a string parameter")
        }
        for name in declared where !templated.contains(name) {
            warn(.error, pointer, "path parameter '\(name)' does not appear in the path '\(path)'")
        }
        return templated.filter { !declared.contains($0) }
    }

    static func status(_ key: String) -> Response.Status? {
        if key == "default" { return .default }
        if key.count == 3, let code = Int(key), (100...599).contains(code) { return .code(code) }
        let upper = key.uppercased()
        if upper.count == 3, upper.hasSuffix("XX"), let d = Int(upper.prefix(1)), (1...5).contains(d) { return .range(d) }
        return nil
    }
}
