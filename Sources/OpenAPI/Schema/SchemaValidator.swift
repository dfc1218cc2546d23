import JSON

/// Checks JSON documents against compiled schemas: compile once, validate many, from any number of tasks.
///
/// Walks the parsed document's flat index directly, so validating a 10 MB body builds no tree of Swift
/// values. Every violation is collected (up to `maxViolations`), each with the instance pointer, the schema
/// location and a message giving expected and actual.
public struct SchemaValidator: Sendable {
    /// Switches that differ between uses (suite conformance, OpenAPI responses, requests).
    public struct Options: Sendable {
        /// nil: plain JSON Schema.
        ///
        /// Otherwise the policy for `null` in optional fields (OpenAPI 2.0/3.0).
        public var nulls: NullPolicy?
        /// Check `format` (date-time, uuid, int64, …) instead of treating it as an annotation.
        public var assertFormats: Bool
        public var maxViolations: Int
        public var direction: MessageDirection

        public init(nulls: NullPolicy? = nil, assertFormats: Bool = false, maxViolations: Int = 100, direction: MessageDirection = .either)
        {
            self.nulls = nulls
            self.assertFormats = assertFormats
            self.maxViolations = maxViolations
            self.direction = direction
        }
    }

    public let schemas: CompiledSchemas
    public var options: Options

    public init(schemas: CompiledSchemas, options: Options = .init()) {
        self.schemas = schemas
        self.options = options
    }

    /// Validates the whole document against the schema node `schema`.
    public func validate(_ document: JSONDocument, against schema: Int) -> ValidationResult {
        validate(document, node: document.root, against: schema)
    }

    /// Validates the value at `node` of `document`.
    ///
    /// The walk recurses once per level of nesting; a document nested deeper than `LargeStack.threshold`
    /// levels is validated on a thread with a large stack, so the deepest document the parser accepts is
    /// validated, never a stack overflow (whatever the build's frame sizes and the caller's thread).
    public func validate(_ document: JSONDocument, node: Int, against schema: Int) -> ValidationResult {
        if document.depth > LargeStack.threshold {
            return LargeStack.run { validateHere(document, node: node, against: schema) }
        }
        return validateHere(document, node: node, against: schema)
    }

    private func validateHere(_ document: JSONDocument, node: Int, against schema: Int) -> ValidationResult {
        schemas.nodes.withUnsafeBufferPointer { nodes in
            document.bytes.withUnsafeBufferPointer { bytes in
                let run = ValidationRun(
                    document: document, bytes: bytes, nodes: nodes, dynamicAnchors: schemas.dynamicAnchors,
                    options: options)
                _ = run.validate(schema, node)
                return run.finish()
            }
        }
    }

    /// Parses and validates; parse errors are thrown.
    public func validate(_ bytes: [UInt8], against schema: Int) throws(JSONParseError) -> ValidationResult {
        validate(try JSONDocument(parsing: bytes), against: schema)
    }

    /// Whether `document` is valid, stopping at the first violation.
    public func isValid(_ document: JSONDocument, against schema: Int) -> Bool {
        var o = options
        o.maxViolations = 1
        return SchemaValidator(schemas: schemas, options: o).validate(document, against: schema).isValid
    }
}
