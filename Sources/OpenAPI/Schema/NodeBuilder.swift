import JSON

/// Decodes one schema object's keywords into a `SchemaNode`, compiling subschemas through the compiler.
struct NodeBuilder {
    let compiler: SchemaCompiler
    let location: SchemaCompiler.Location
    let base: String
    let dialect: SchemaDialect
    /// The schema being decoded; children are read from it rather than looked up again from the document root.
    let value: JSONValue

    private func fail(_ keyword: String, _ message: String) -> SchemaCompileError {
        SchemaCompileError(location: location.key + "/" + keyword, message: message)
    }

    private func child(_ tokens: String...) throws(SchemaCompileError) -> Int {
        var v: JSONValue? = value
        for t in tokens {
            switch v {
            case .object(let o)?: v = o[t]
            case .array(let a)?: v = Int(t).flatMap { $0 >= 0 && $0 < a.count ? a[$0] : nil }
            default: v = nil
            }
        }
        return try compiler.compileChild(location, tokens, value: v)
    }

    private func property(_ name: String, _ node: Int = -1) -> SchemaNode.Property {
        SchemaNode.Property(name: name, bytes: Array(name.utf8), node: node)
    }

    func build(into node: inout SchemaNode) throws(SchemaCompileError) {
        switch value {
        case .bool(let b):
            node.constant = b ? .alwaysTrue : .alwaysFalse
            return
        case .object(let o):
            try build(SchemaObject(o), into: &node)
        default:
            throw SchemaCompileError(location: location.key, message: "a schema must be an object or a boolean, found \(value.typeName)")
        }
    }

    private func build(_ o: SchemaObject, into node: inout SchemaNode) throws(SchemaCompileError) {
        let draft4 = dialect.base == .draft4
        if let ref = o[.ref]?.stringValue {
            node.ref = try compiler.compileReference(ref, base: base, from: location).0
            if draft4 {
                node.refOverrides = true
                return
            }
        }
        if !draft4, let ref = o[.dynamicRef]?.stringValue {
            let (target, uri) = try compiler.compileReference(ref, base: base, from: location)
            node.dynamicRef = target
            if let fragment = uri.fragment, !fragment.isEmpty, !fragment.hasPrefix("/"),
                compiler.declaresDynamicAnchor(uri, fragment)
            {
                node.dynamicName = fragment
            }
        }
        if dialect.honoursNullable, o[.nullable]?.boolValue == true { node.nullable = true }
        if dialect.honoursXNullable, o[.xNullable]?.boolValue == true { node.nullable = true }
        node.readOnly = o[.readOnly]?.boolValue == true
        node.writeOnly = o[.writeOnly]?.boolValue == true
        if let format = o[.format]?.stringValue {
            node.format = format
            node.fastFormat = FormatChecker.FastFormat(format)
        }

        try buildApplicators(o, &node, draft4: draft4)
        if dialect.validationVocabulary { try buildValidation(o, &node, draft4: draft4) }
        node.buildPropertyIndex()
        node.linkRequired()
    }

    private func buildApplicators(_ o: SchemaObject, _ node: inout SchemaNode, draft4: Bool) throws(SchemaCompileError) {
        for (keyword, keyPath) in [(SchemaKeyword.allOf, \SchemaNode.allOf), (.anyOf, \SchemaNode.anyOf), (.oneOf, \SchemaNode.oneOf)] {
            guard let v = o[keyword] else { continue }
            let key = keyword.name
            guard case .array(let items) = v, !items.isEmpty else { throw fail(key, "\(key) must be a non-empty array of schemas") }
            var list: [Int] = []
            for i in items.indices { list.append(try child(key, String(i))) }
            node[keyPath: keyPath] = list
        }
        if o[.`not`] != nil { node.not = try child("not") }
        if let props = o[.properties] {
            guard case .object(let map) = props else { throw fail("properties", "properties must be an object") }
            for m in map { node.properties.append(property(m.key, try child("properties", m.key))) }
        }
        if let pp = o[.patternProperties]?.objectValue {
            for m in pp {
                guard let regex = SchemaRegex(m.key) else { throw fail("patternProperties", "invalid regular expression '\(m.key)'") }
                node.patternProperties.append((regex, try child("patternProperties", m.key)))
            }
        }
        if let ap = o[.additionalProperties], ap.objectValue != nil || ap.boolValue != nil {
            node.additionalProperties = try child("additionalProperties")
        }
        switch o[.items] {
        case .array(let list)?:
            for i in list.indices { node.prefixItems.append(try child("items", String(i))) }
            if let additional = o[.additionalItems], additional.objectValue != nil || additional.boolValue != nil {
                node.items = try child("additionalItems")
            }
        case .some:
            node.items = try child("items")
        case nil: break
        }
        do {
            if let deps = o[.dependencies]?.objectValue {
                for m in deps {
                    if case .array(let names) = m.value {
                        node.dependentRequired.append((property(m.key), names.compactMap { $0.stringValue }.map { property($0) }))
                    } else {
                        node.dependentSchemas.append((property(m.key), try child("dependencies", m.key)))
                    }
                }
            }
        }
        if draft4 { return }
        if case .array(let list)? = o[.prefixItems] {
            for i in list.indices { node.prefixItems.append(try child("prefixItems", String(i))) }
        }
        if o[.contains] != nil { node.contains = try child("contains") }
        if o[.propertyNames] != nil { node.propertyNames = try child("propertyNames") }
        if o[.`if`] != nil {
            node.ifSchema = try child("if")
            if o[.then] != nil { node.thenSchema = try child("then") }
            if o[.`else`] != nil { node.elseSchema = try child("else") }
        }
        if let ds = o[.dependentSchemas]?.objectValue {
            for m in ds { node.dependentSchemas.append((property(m.key), try child("dependentSchemas", m.key))) }
        }
        if o[.unevaluatedItems] != nil { node.unevaluatedItems = try child("unevaluatedItems") }
        if o[.unevaluatedProperties] != nil { node.unevaluatedProperties = try child("unevaluatedProperties") }
    }

    private func buildValidation(_ o: SchemaObject, _ node: inout SchemaNode, draft4: Bool) throws(SchemaCompileError) {
        switch o[.type] {
        case .string(let name)?:
            // Swagger 2.0's `file` (a binary answer) and a type no validator knows (`int`, linted as a warning)
            // constrain nothing: the status and content type are still checked, the body is not judged.
            if let t = TypeSet(name: name) { node.types = t }
        case .array(let names)?:
            var bits: UInt8 = 0
            for n in names {
                guard let name = n.stringValue else { throw fail("type", "a type is a string, not \(n)") }
                guard let t = TypeSet(name: name) else {
                    bits = 0
                    break
                }
                bits |= t.bits
            }
            if bits != 0 { node.types = TypeSet(bits: bits) }
        default: break
        }
        if case .array(let values)? = o[.`enum`] {
            node.enumValues = values
            if values.allSatisfy({ $0.stringValue != nil }) {
                node.enumStrings = values.map { Array($0.stringValue!.utf8) }
            }
        }
        node.minimum = o[.minimum]?.doubleValue
        node.maximum = o[.maximum]?.doubleValue
        if draft4 {
            if o[.exclusiveMinimum]?.boolValue == true, let m = node.minimum {
                node.exclusiveMinimum = m
                node.minimum = nil
            }
            if o[.exclusiveMaximum]?.boolValue == true, let m = node.maximum {
                node.exclusiveMaximum = m
                node.maximum = nil
            }
        } else {
            node.exclusiveMinimum = o[.exclusiveMinimum]?.doubleValue
            node.exclusiveMaximum = o[.exclusiveMaximum]?.doubleValue
        }
        if let m = o[.multipleOf]?.numberValue {
            guard m.doubleValue > 0 else { throw fail("multipleOf", "multipleOf must be greater than 0") }
            node.multipleOf = m
        }
        node.minLength = o[.minLength]?.intValue
        node.maxLength = o[.maxLength]?.intValue
        if let p = o[.pattern]?.stringValue {
            guard let regex = SchemaRegex(p) else { throw fail("pattern", "invalid regular expression '\(p)'") }
            node.pattern = regex
        }
        node.minItems = o[.minItems]?.intValue
        node.maxItems = o[.maxItems]?.intValue
        node.uniqueItems = o[.uniqueItems]?.boolValue == true
        node.minProperties = o[.minProperties]?.intValue
        node.maxProperties = o[.maxProperties]?.intValue
        if case .array(let names)? = o[.required] {
            node.required = names.compactMap { $0.stringValue }.map { property($0) }
        }
        guard !draft4 else { return }
        if let c = o[.`const`] { node.constValue = c }
        node.minContains = o[.minContains]?.intValue
        node.maxContains = o[.maxContains]?.intValue
        if let dr = o[.dependentRequired]?.objectValue {
            for m in dr {
                node.dependentRequired.append(
                    (property(m.key), (m.value.arrayValue ?? []).compactMap { $0.stringValue }.map { property($0) }))
            }
        }
    }
}
