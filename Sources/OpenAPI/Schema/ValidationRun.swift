import Foundation
import JSON

/// One validation of one document: the walk over schema nodes and instance nodes, and what it found.
///
/// `state.probing > 0` means "only the verdict matters" (inside anyOf/oneOf/not/if/contains): nothing is
/// reported and the walk stops at the first failure.
struct ValidationRun {
    let document: JSONDocument
    let bytes: UnsafeBufferPointer<UInt8>
    let nodes: UnsafeBufferPointer<SchemaNode>
    let dynamicAnchors: [[String: Int]]
    let options: SchemaValidator.Options
    private let state = RunState()
    var result: ValidationResult { state.result }

    /// The walk's mutable part, kept in a class so that messages can be built while it changes.
    private final class RunState {
        init() {}
        @exclusivity(unchecked) var result = ValidationResult()
        @exclusivity(unchecked) var scope: [Int] = []
        @exclusivity(unchecked) var probing = 0
        /// Instance nodes of `result.violations` and `result.lenientNotes`, turned into pointers at the end.
        @exclusivity(unchecked) var violationNodes: [Int] = []
        @exclusivity(unchecked) var noteNodes: [Int] = []
    }

    /// The result with every pointer filled in, found in one pass over the document.
    func finish() -> ValidationResult {
        var result = state.result
        let targets = Set(state.violationNodes + state.noteNodes)
        guard !targets.isEmpty else { return result }
        let pointers = pointers(to: targets)
        for (i, node) in state.violationNodes.enumerated() { result.violations[i].instancePointer = pointers[node] ?? .root }
        for (i, node) in state.noteNodes.enumerated() { result.lenientNotes[i].instancePointer = pointers[node] ?? .root }
        return result
    }

    /// JSON pointers of many instance nodes in one depth-first walk that enters only subtrees holding a target.
    private func pointers(to targets: Set<Int>) -> [Int: JSONPointer] {
        let sorted = targets.sorted()
        var out: [Int: JSONPointer] = [:]
        var path: [String] = []
        /// Whether some target lies in [from, to).
        func anyTarget(_ from: Int, _ to: Int) -> Bool {
            var lo = 0
            var hi = sorted.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if sorted[mid] < from { lo = mid + 1 } else { hi = mid }
            }
            return lo < sorted.count && sorted[lo] < to
        }
        func walk(_ node: Int) {
            if targets.contains(node) { out[node] = JSONPointer(tokens: path) }
            switch document.kind(node) {
            case .object:
                for (k, v) in document.members(node) where anyTarget(k, document.next(after: v)) {
                    path.append(document.string(k))
                    walk(v)
                    path.removeLast()
                }
            case .array:
                var i = 0
                for e in document.elements(node) {
                    if anyTarget(e, document.next(after: e)) {
                        path.append(String(i))
                        walk(e)
                        path.removeLast()
                    }
                    i += 1
                }
            default: break
            }
        }
        walk(document.root)
        return out
    }

    private var stopEarly: Bool { state.probing > 0 || state.result.truncated }

    private func report(_ n: Int, _ inst: Int, _ keyword: String, _ message: @autoclosure () -> String) {
        guard state.probing == 0 else { return }
        guard state.result.violations.count < options.maxViolations else {
            state.result.truncated = true
            return
        }
        state.violationNodes.append(inst)
        state.result.violations.append(
            SchemaViolation(
                instancePointer: .root, schemaLocation: nodes[n].location + "/" + keyword, keyword: keyword,
                message: message()))
    }

    /// A short rendering of an instance value for messages.
    private func show(_ inst: Int) -> String {
        switch document.kind(inst) {
        case .null: return "null"
        case .true: return "true"
        case .false: return "false"
        case .number: return document.numberText(inst)
        case .string:
            let s = document.string(inst)
            return JSONWriter.quoted(s.count > 40 ? String(s.prefix(40)) + "…" : s)
        case .array: return "an array of \(document.count(inst))"
        case .object: return "an object with \(document.count(inst)) properties"
        }
    }

    private func typeName(_ inst: Int) -> String {
        switch document.kind(inst) {
        case .null: return "null"
        case .true, .false: return "boolean"
        case .number: return document.isIntegerLiteral(inst) ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    private func probe(_ n: Int, _ inst: Int) -> Bool {
        state.probing += 1
        defer { state.probing -= 1 }
        return validate(n, inst)
    }

    // MARK: the walk

    func validate(_ n: Int, _ inst: Int) -> Bool {
        switch nodes[n].constant {
        case .alwaysTrue: return true
        case .alwaysFalse:
            report(n, inst, "false", "no value is allowed here (schema is false), found \(show(inst))")
            return false
        case .none: break
        }
        let resource = nodes[n].resource
        let entered = state.scope.last != resource
        if entered { state.scope.append(resource) }
        defer { if entered { state.scope.removeLast() } }

        var valid = true
        if let r = nodes[n].ref {
            if !validate(r, inst) {
                valid = false
                if stopEarly { return false }
            }
            if nodes[n].refOverrides { return valid }
        }
        if nodes[n].dynamicRef != nil {
            if !validate(resolveDynamic(n), inst) {
                valid = false
                if stopEarly { return false }
            }
        }
        let kind = document.kind(inst)
        if kind == .null && nodes[n].nullable { return valid }

        if let types = nodes[n].types, !matches(types, inst, kind, n) {
            report(
                n, inst, "type",
                "expected \(types.names.joined(separator: " or ")), found \(kind == .null ? "null" : typeName(inst) + " " + show(inst))")
            valid = false
            if stopEarly { return false }
        }
        switch kind {
        case .string: valid = checkString(n, inst) && valid
        case .number: valid = checkNumber(n, inst) && valid
        case .object: valid = checkObject(n, inst) && valid
        case .array: valid = checkArray(n, inst) && valid
        default: break
        }
        if !valid && stopEarly { return false }
        if nodes[n].enumValues != nil || nodes[n].constValue != nil {
            valid = checkEnumConst(n, inst) && valid
            if !valid && stopEarly { return false }
        }
        valid = checkCombinators(n, inst) && valid
        if !valid && stopEarly { return false }
        if nodes[n].needsAnnotations {
            valid = checkUnevaluated(n, inst) && valid
        }
        return valid
    }

    private func matches(_ types: TypeSet, _ inst: Int, _ kind: JSONKind, _ n: Int) -> Bool {
        switch kind {
        case .null: return types.contains(.null)
        case .true, .false: return types.contains(.boolean)
        case .string: return types.contains(.string)
        case .array: return types.contains(.array)
        case .object: return types.contains(.object)
        case .number:
            if types.contains(.number) { return true }
            guard types.contains(.integer) else { return false }
            if document.isIntegerLiteral(inst) { return true }
            if nodes[n].dialect.base == .draft4 { return false }
            let d = document.double(inst)
            return d.isFinite && d == d.rounded()
        }
    }

    private func resolveDynamic(_ n: Int) -> Int {
        let fallback = nodes[n].dynamicRef!
        guard let name = nodes[n].dynamicName else { return fallback }
        for r in state.scope {
            if r < dynamicAnchors.count, let target = dynamicAnchors[r][name], target >= 0 { return target }
        }
        return fallback
    }

    // MARK: strings and numbers

    private func checkString(_ n: Int, _ inst: Int) -> Bool {
        var valid = true
        let range = document.rawRange(inst)
        let escapes = document.stringHasEscapes(inst)
        if nodes[n].minLength != nil || nodes[n].maxLength != nil {
            let length: Int
            if escapes {
                length = document.string(inst).unicodeScalars.count
            } else {
                var c = 0
                for i in range where bytes[i] & 0xC0 != 0x80 { c += 1 }
                length = c
            }
            if let min = nodes[n].minLength, length < min {
                report(n, inst, "minLength", "expected at least \(min) characters, found \(length): \(show(inst))")
                valid = false
            }
            if let max = nodes[n].maxLength, length > max {
                report(n, inst, "maxLength", "expected at most \(max) characters, found \(length): \(show(inst))")
                valid = false
            }
            if !valid && stopEarly { return false }
        }
        if let pattern = nodes[n].pattern, !pattern.matches(document.string(inst)) {
            report(n, inst, "pattern", "\(show(inst)) does not match the pattern \(JSONWriter.quoted(pattern.source))")
            valid = false
        }
        if options.assertFormats, let format = nodes[n].format {
            let ok: Bool
            if let fast = nodes[n].fastFormat, !escapes {
                ok = FormatChecker.check(fast, bytes: UnsafeBufferPointer(rebasing: bytes[range]))
            } else {
                ok = FormatChecker.check(format, string: document.string(inst))
            }
            if !ok {
                report(n, inst, "format", "\(show(inst)) is not a valid \(format)")
                valid = false
            }
        }
        return valid
    }

    private func checkNumber(_ n: Int, _ inst: Int) -> Bool {
        var valid = true
        if nodes[n].minimum != nil || nodes[n].maximum != nil || nodes[n].exclusiveMinimum != nil || nodes[n].exclusiveMaximum != nil {
            let v = document.double(inst)
            if let m = nodes[n].minimum, v < m {
                report(n, inst, "minimum", "expected at least \(fmt(m)), found \(show(inst))")
                valid = false
            }
            if let m = nodes[n].maximum, v > m {
                report(n, inst, "maximum", "expected at most \(fmt(m)), found \(show(inst))")
                valid = false
            }
            if let m = nodes[n].exclusiveMinimum, v <= m {
                report(n, inst, "exclusiveMinimum", "expected more than \(fmt(m)), found \(show(inst))")
                valid = false
            }
            if let m = nodes[n].exclusiveMaximum, v >= m {
                report(n, inst, "exclusiveMaximum", "expected less than \(fmt(m)), found \(show(inst))")
                valid = false
            }
        }
        if let m = nodes[n].multipleOf, !isMultiple(inst, of: m) {
            report(n, inst, "multipleOf", "expected a multiple of \(m.text), found \(show(inst))")
            valid = false
        }
        if options.assertFormats, let format = nodes[n].format {
            if !FormatChecker.check(format, number: document.numberText(inst), integerLiteral: document.isIntegerLiteral(inst)) {
                report(n, inst, "format", "\(show(inst)) is out of range for \(format)")
                valid = false
            }
        }
        return valid
    }

    private func fmt(_ d: Double) -> String { JSONNumber(d).text }

    private func isMultiple(_ inst: Int, of m: JSONNumber) -> Bool {
        if let v = document.int64(inst), m.isIntegerLiteral, let divisor = m.int64Value, divisor != 0 {
            return v % divisor == 0
        }
        if let v = Decimal(string: document.numberText(inst)), let d = Decimal(string: m.text), d != 0, v.isFinite {
            var q = v / d
            var rounded = Decimal()
            NSDecimalRound(&rounded, &q, 0, .plain)
            if q.isFinite { return rounded == q }
        }
        let q = document.double(inst) / m.doubleValue
        return q.isFinite && q == q.rounded()
    }

    // MARK: enum and const

    private func checkEnumConst(_ n: Int, _ inst: Int) -> Bool {
        var valid = true
        if let strings = nodes[n].enumStrings {
            var found = false
            if document.kind(inst) == .string {
                if document.stringHasEscapes(inst) {
                    let s = Array(document.string(inst).utf8)
                    found = strings.contains(s)
                } else {
                    let r = document.rawRange(inst)
                    let slice = UnsafeBufferPointer(rebasing: bytes[r])
                    found = strings.contains { $0.count == slice.count && $0.elementsEqual(slice) }
                }
            }
            if !found {
                report(n, inst, "enum", "\(show(inst)) is not one of \(listEnum(n))")
                valid = false
            }
        } else if let values = nodes[n].enumValues {
            let v = document.value(at: inst)
            if !values.contains(where: { strictEquals($0, v) }) {
                report(n, inst, "enum", "\(show(inst)) is not one of \(listEnum(n))")
                valid = false
            }
        }
        if let c = nodes[n].constValue, !strictEquals(c, document.value(at: inst)) {
            report(n, inst, "const", "expected \(cut(c.description)), found \(show(inst))")
            valid = false
        }
        return valid
    }

    /// JSON equality with booleans never equal to numbers, and 1 == 1.0.
    private func strictEquals(_ a: JSONValue, _ b: JSONValue) -> Bool { a == b }

    private func listEnum(_ n: Int) -> String {
        let values = nodes[n].enumValues ?? []
        let shown = values.prefix(8).map { $0.description }.joined(separator: ", ")
        return cut("[" + shown + (values.count > 8 ? ", … (\(values.count) values)" : "") + "]", 200)
    }

    private func cut(_ s: String, _ limit: Int = 60) -> String { s.count > limit ? String(s.prefix(limit)) + "…" : s }

    // MARK: objects

    private func checkObject(_ n: Int, _ inst: Int) -> Bool {
        var valid = true
        let count = document.count(inst)
        if let min = nodes[n].minProperties, count < min {
            report(n, inst, "minProperties", "expected at least \(min) properties, found \(count)")
            valid = false
        }
        if let max = nodes[n].maxProperties, count > max {
            report(n, inst, "maxProperties", "expected at most \(max) properties, found \(count)")
            valid = false
        }
        let hasProperties = !nodes[n].properties.isEmpty
        let hasPatterns = !nodes[n].patternProperties.isEmpty
        let additional = nodes[n].additionalProperties
        let names = nodes[n].propertyNames
        var requiredSeen = 0
        if hasProperties || hasPatterns || additional != nil || names != nil {
            for (k, v) in document.members(inst) {
                if let names, !validate(names, k) {
                    valid = false
                    if stopEarly { return false }
                }
                var matched = false
                if hasProperties, let position = propertyPosition(n, k) {
                    matched = true
                    let property = nodes[n].properties[position]
                    if property.required { requiredSeen += 1 }
                    if !checkProperty(n, property.node, k, v, required: property.required) {
                        valid = false
                        if stopEarly { return false }
                    }
                }
                if hasPatterns {
                    let key = document.string(k)
                    for (regex, p) in nodes[n].patternProperties where regex.matches(key) {
                        matched = true
                        if !validate(p, v) {
                            valid = false
                            if stopEarly { return false }
                        }
                    }
                }
                if !matched, let a = additional {
                    if nodes[a].constant == .alwaysFalse {
                        report(n, v, "additionalProperties", "property '\(document.string(k))' is not allowed here")
                        valid = false
                        if stopEarly { return false }
                    } else if !validate(a, v) {
                        valid = false
                        if stopEarly { return false }
                    }
                }
            }
        }
        // Required names: counted during the walk when declared; looked up otherwise (or to name the missing ones).
        if requiredSeen < nodes[n].requiredDeclared || !nodes[n].requiredUndeclared.isEmpty
            || (!hasProperties && !nodes[n].required.isEmpty)
        {
            for r in nodes[n].required where findMember(inst, r.bytes) == nil {
                report(n, inst, "required", "missing required property '\(r.name)'")
                valid = false
                if stopEarly { return false }
            }
        }
        for (trigger, requiredNames) in nodes[n].dependentRequired where findMember(inst, trigger.bytes) != nil {
            for r in requiredNames where findMember(inst, r.bytes) == nil {
                report(n, inst, "dependentRequired", "property '\(r.name)' is required when '\(trigger.name)' is present")
                valid = false
                if stopEarly { return false }
            }
        }
        for (trigger, schema) in nodes[n].dependentSchemas where findMember(inst, trigger.bytes) != nil {
            if !validate(schema, inst) {
                valid = false
                if stopEarly { return false }
            }
        }
        return valid
    }

    /// Validates one declared property, applying the null policy and the read/write direction.
    private func checkProperty(_ n: Int, _ p: Int, _ k: Int, _ v: Int, required: Bool) -> Bool {
        if options.direction == .response && nodes[p].writeOnly {
            report(p, v, "writeOnly", "writeOnly property '\(document.string(k))' must not appear in a response")
            return false
        }
        if options.direction == .request && nodes[p].readOnly {
            report(p, v, "readOnly", "readOnly property '\(document.string(k))' must not be sent in a request")
            return false
        }
        if let policy = options.nulls, policy == .optional, document.kind(v) == .null, !required, !probe(p, v) {
            if state.probing == 0 {
                state.result.lenientCount += 1
                if state.noteNodes.count < options.maxViolations {
                    state.noteNodes.append(v)
                    state.result.lenientNotes.append(LenientNote(instancePointer: .root, schemaLocation: nodes[p].location))
                }
            }
            return true
        }
        return validate(p, v)
    }

    private func propertyPosition(_ n: Int, _ k: Int) -> Int? {
        if document.stringHasEscapes(k) {
            var s = document.string(k)
            return s.withUTF8 { nodes[n].propertyPosition($0) }
        }
        return nodes[n].propertyPosition(UnsafeBufferPointer(rebasing: bytes[document.rawRange(k)]))
    }

    private func propertyNode(_ n: Int, _ k: Int) -> Int? {
        if document.stringHasEscapes(k) {
            var s = document.string(k)
            return s.withUTF8 { nodes[n].property($0) }
        }
        return nodes[n].property(UnsafeBufferPointer(rebasing: bytes[document.rawRange(k)]))
    }

    private func findMember(_ inst: Int, _ key: [UInt8]) -> Int? {
        key.withUnsafeBufferPointer { keyBytes in
            for (k, v) in document.members(inst) where document.stringEquals(k, keyBytes) { return v }
            return nil
        }
    }

    // MARK: arrays

    private func checkArray(_ n: Int, _ inst: Int) -> Bool {
        var valid = true
        let count = document.count(inst)
        if let min = nodes[n].minItems, count < min {
            report(n, inst, "minItems", "expected at least \(min) items, found \(count)")
            valid = false
        }
        if let max = nodes[n].maxItems, count > max {
            report(n, inst, "maxItems", "expected at most \(max) items, found \(count)")
            valid = false
        }
        if !valid && stopEarly { return false }
        let prefix = nodes[n].prefixItems
        let items = nodes[n].items
        if !prefix.isEmpty || items != nil {
            var i = 0
            for e in document.elements(inst) {
                let schema = i < prefix.count ? prefix[i] : items
                if let schema {
                    if !validate(schema, e) {
                        valid = false
                        if stopEarly { return false }
                    }
                } else {
                    break
                }
                i += 1
            }
        }
        if let contains = nodes[n].contains {
            var matches = 0
            for e in document.elements(inst) where probe(contains, e) { matches += 1 }
            let min = nodes[n].minContains ?? 1
            if matches < min {
                report(
                    n, inst, "contains",
                    min == 1
                        ? "no item matches the 'contains' schema" : "expected at least \(min) items matching 'contains', found \(matches)")
                valid = false
            }
            if let max = nodes[n].maxContains, matches > max {
                report(n, inst, "maxContains", "expected at most \(max) items matching 'contains', found \(matches)")
                valid = false
            }
        }
        if nodes[n].uniqueItems {
            var seen = Set<JSONValue>()
            var i = 0
            for e in document.elements(inst) {
                if !seen.insert(document.value(at: e)).inserted {
                    report(n, inst, "uniqueItems", "item \(i) repeats an earlier item: \(show(e))")
                    valid = false
                    break
                }
                i += 1
            }
        }
        return valid
    }

    // MARK: combinators

    private func checkCombinators(_ n: Int, _ inst: Int) -> Bool {
        var valid = true
        for s in nodes[n].allOf where !validate(s, inst) {
            valid = false
            if stopEarly { return false }
        }
        let anyOf = nodes[n].anyOf
        if !anyOf.isEmpty, !anyOf.contains(where: { probe($0, inst) }) {
            report(n, inst, "anyOf", "\(show(inst)) matches none of the \(anyOf.count) schemas in anyOf")
            valid = false
            if stopEarly { return false }
        }
        let oneOf = nodes[n].oneOf
        if !oneOf.isEmpty {
            var matched: [Int] = []
            for (i, s) in oneOf.enumerated() where probe(s, inst) {
                matched.append(i)
                if matched.count > 1 { break }
            }
            if matched.count != 1 {
                report(
                    n, inst, "oneOf",
                    matched.isEmpty
                        ? "\(show(inst)) matches none of the \(oneOf.count) schemas in oneOf"
                        : "\(show(inst)) matches more than one schema in oneOf (#\(matched[0]) and #\(matched[1]))")
                valid = false
                if stopEarly { return false }
            }
        }
        if let s = nodes[n].not, probe(s, inst) {
            report(n, inst, "not", "\(show(inst)) must not match the schema in 'not'")
            valid = false
            if stopEarly { return false }
        }
        if let cond = nodes[n].ifSchema {
            if probe(cond, inst) {
                if let t = nodes[n].thenSchema, !validate(t, inst) { valid = false }
            } else if let e = nodes[n].elseSchema, !validate(e, inst) {
                valid = false
            }
        }
        return valid
    }

    // MARK: unevaluated

    private func checkUnevaluated(_ n: Int, _ inst: Int) -> Bool {
        var valid = true
        let kind = document.kind(inst)
        if kind == .object, let u = nodes[n].unevaluatedProperties {
            var evaluated = Set<Int>()
            var all = false
            collectProperties(n, inst, &evaluated, &all, top: true)
            if !all {
                for (k, v) in document.members(inst) where !evaluated.contains(k) {
                    let ok: Bool
                    if nodes[u].constant == .alwaysFalse {
                        report(n, v, "unevaluatedProperties", "property '\(document.string(k))' is not allowed here (unevaluated)")
                        ok = false
                    } else {
                        ok = validate(u, v)
                    }
                    if !ok {
                        valid = false
                        if stopEarly { return false }
                    }
                }
            }
        }
        if kind == .array, let u = nodes[n].unevaluatedItems {
            var upTo = 0
            var all = false
            var indices = Set<Int>()
            collectItems(n, inst, &upTo, &all, &indices, top: true)
            if !all {
                var i = 0
                for e in document.elements(inst) {
                    if i >= upTo && !indices.contains(i) {
                        if !validate(u, e) {
                            valid = false
                            if stopEarly { return false }
                        }
                    }
                    i += 1
                }
            }
        }
        return valid
    }

    /// Properties of `inst` that schema `n` and its in-place subschemas evaluated (successful ones only).
    private func collectProperties(_ n: Int, _ inst: Int, _ keys: inout Set<Int>, _ all: inout Bool, top: Bool) {
        if all || nodes[n].constant != .none { return }
        let resource = nodes[n].resource
        let entered = state.scope.last != resource
        if entered { state.scope.append(resource) }
        defer { if entered { state.scope.removeLast() } }
        if let r = nodes[n].ref { collectProperties(r, inst, &keys, &all, top: false) }
        if nodes[n].dynamicRef != nil { collectProperties(resolveDynamic(n), inst, &keys, &all, top: false) }
        if !top && nodes[n].unevaluatedProperties != nil {
            all = true
            return
        }
        if nodes[n].additionalProperties != nil {
            all = true
            return
        }
        for (k, _) in document.members(inst) {
            if propertyNode(n, k) != nil {
                keys.insert(k)
            } else if !nodes[n].patternProperties.isEmpty {
                let key = document.string(k)
                if nodes[n].patternProperties.contains(where: { $0.0.matches(key) }) { keys.insert(k) }
            }
        }
        for s in nodes[n].allOf { collectProperties(s, inst, &keys, &all, top: false) }
        for s in nodes[n].anyOf + nodes[n].oneOf where probe(s, inst) { collectProperties(s, inst, &keys, &all, top: false) }
        if let cond = nodes[n].ifSchema {
            if probe(cond, inst) {
                collectProperties(cond, inst, &keys, &all, top: false)
                if let t = nodes[n].thenSchema { collectProperties(t, inst, &keys, &all, top: false) }
            } else if let e = nodes[n].elseSchema {
                collectProperties(e, inst, &keys, &all, top: false)
            }
        }
        for (trigger, s) in nodes[n].dependentSchemas where findMember(inst, trigger.bytes) != nil {
            collectProperties(s, inst, &keys, &all, top: false)
        }
    }

    /// Items of `inst` that schema `n` and its in-place subschemas evaluated.
    private func collectItems(_ n: Int, _ inst: Int, _ upTo: inout Int, _ all: inout Bool, _ indices: inout Set<Int>, top: Bool) {
        if all || nodes[n].constant != .none { return }
        let resource = nodes[n].resource
        let entered = state.scope.last != resource
        if entered { state.scope.append(resource) }
        defer { if entered { state.scope.removeLast() } }
        if let r = nodes[n].ref { collectItems(r, inst, &upTo, &all, &indices, top: false) }
        if nodes[n].dynamicRef != nil { collectItems(resolveDynamic(n), inst, &upTo, &all, &indices, top: false) }
        if (!top && nodes[n].unevaluatedItems != nil) || nodes[n].items != nil {
            all = true
            return
        }
        upTo = max(upTo, nodes[n].prefixItems.count)
        if let c = nodes[n].contains {
            var i = 0
            for e in document.elements(inst) {
                if probe(c, e) { indices.insert(i) }
                i += 1
            }
        }
        for s in nodes[n].allOf { collectItems(s, inst, &upTo, &all, &indices, top: false) }
        for s in nodes[n].anyOf + nodes[n].oneOf where probe(s, inst) { collectItems(s, inst, &upTo, &all, &indices, top: false) }
        if let cond = nodes[n].ifSchema {
            if probe(cond, inst) {
                collectItems(cond, inst, &upTo, &all, &indices, top: false)
                if let t = nodes[n].thenSchema { collectItems(t, inst, &upTo, &all, &indices, top: false) }
            } else if let e = nodes[n].elseSchema {
                collectItems(e, inst, &upTo, &all, &indices, top: false)
            }
        }
    }
}
