import Foundation
import JSON
import Yams

/// An OpenAPI Overlay 1.0 document: actions that correct a spec where it is wrong about the server, applied
/// when the spec is loaded (`--overlay FILE`, `DETAPI_OVERLAY`, and the built-in Determined overlay).
///
/// ```yaml
/// overlay: 1.0.0
/// info: {title: staging fixes, version: 1}
/// actions:
///   - target: $.definitions.v1Experiment.properties.forkedFrom
///     update: {x-nullable: true}
///   - target: $.paths['/api/v1/tasks']
///     remove: true
/// ```
/// `update` merges into each target (objects member by member, recursively; arrays get the items appended;
/// anything else is replaced); `remove: true` deletes each target. A target that matches nothing is a warning.
public struct Overlay: Sendable {
    /// One action, with the line it is written on.
    public struct Action: Sendable {
        public var target: String
        public var description: String
        public var update: JSONValue?
        public var remove: Bool
        public var line: Int
        let path: OverlayPath
    }

    /// What one action did to a spec.
    public struct Applied: Sendable, Hashable {
        public var overlay: String
        public var target: String
        /// The action's own `description`, or "".
        public var note: String
        /// How many places the target named (0: nothing happened, a warning).
        public var matches: Int

        /// `Determined master facts: the error envelope (1 place)`, for reports.
        public var text: String {
            "\(overlay): \(note.isEmpty ? target : note) (\(matches == 1 ? "1 place" : "\(matches) places"))"
        }
    }

    public var source: String
    public var title: String
    public var actions: [Action]

    /// Reads an overlay (YAML or JSON); a problem is a `SpecError` naming the file, the line and the field.
    public static func parse(_ bytes: [UInt8], source: String) throws(SpecError) -> Overlay {
        let root = try SpecLoader.parse(bytes, source: source)
        let lines = actionLines(bytes)
        func fail(_ line: Int?, _ message: String) -> SpecError {
            SpecError(kind: .invalid, location: line.map { "\(source):\($0)" } ?? source, message: message)
        }
        guard root.objectValue != nil else { throw fail(1, "an overlay is a mapping with overlay, info and actions") }
        guard let version = root["overlay"]?.stringValue ?? root["overlay"]?.description, version.hasPrefix("1.") else {
            throw fail(1, "'overlay' must name the Overlay version, 1.0.0")
        }
        guard let list = root["actions"]?.arrayValue, !list.isEmpty else {
            throw fail(1, "'actions' is a list of {target, update or remove}")
        }
        var actions: [Action] = []
        for (i, item) in list.enumerated() {
            let line = i < lines.count ? lines[i] : nil
            guard item.objectValue != nil else { throw fail(line, "action \(i + 1) is not a mapping") }
            guard let target = item["target"]?.stringValue else {
                throw fail(line, "action \(i + 1) needs a 'target' (a JSONPath such as $.paths)")
            }
            let remove = item["remove"]?.boolValue ?? false
            let update = item["update"]
            guard remove || update != nil else { throw fail(line, "action \(i + 1) (\(target)) needs 'update' or 'remove: true'") }
            let path: OverlayPath
            do {
                path = try OverlayPath(target)
            } catch {
                throw fail(line, error.message)
            }
            actions.append(
                Action(
                    target: target, description: item["description"]?.stringValue ?? "", update: update, remove: remove, line: line ?? 0,
                    path: path))
        }
        return Overlay(source: source, title: root["info"]?["title"]?.stringValue ?? source, actions: actions)
    }

    /// The line of each item of the top-level `actions` list (1-based), for messages.
    private static func actionLines(_ bytes: [UInt8]) -> [Int] {
        guard let text = String(validating: bytes, as: UTF8.self), let node = try? Yams.compose(yaml: text),
            let actions = node.mapping?["actions"]?.sequence
        else { return [] }
        return actions.map { ($0.mark?.line ?? 0) }
    }

    /// `document` with every action applied in order, and what each did.
    public func apply(to document: JSONValue) -> (JSONValue, [Applied]) {
        var doc = document
        var applied: [Applied] = []
        for action in actions {
            let places = action.path.locations(in: doc)
            // Removing from the last place first keeps the earlier array indices valid.
            for tokens in (action.remove ? places.reversed() : places) {
                if action.remove {
                    doc = Overlay.removing(tokens, from: doc)
                } else if let update = action.update {
                    doc = Overlay.updating(tokens, in: doc) { Overlay.merge($0, update) }
                }
            }
            applied.append(Applied(overlay: title, target: action.target, note: action.description, matches: places.count))
        }
        return (doc, applied)
    }

    static func merge(_ base: JSONValue, _ update: JSONValue) -> JSONValue {
        switch (base, update) {
        case (.object(var b), .object(let u)):
            for m in u { b[m.key] = b[m.key].map { merge($0, m.value) } ?? m.value }
            return .object(b)
        case (.array(let b), .array(let u)): return .array(b + u)
        case (.array(let b), _): return .array(b + [update])
        default: return update
        }
    }

    static func updating(_ tokens: [String], in value: JSONValue, _ change: (JSONValue) -> JSONValue) -> JSONValue {
        guard let first = tokens.first else { return change(value) }
        let rest = Array(tokens.dropFirst())
        switch value {
        case .object(var o):
            guard let child = o[first] else { return value }
            o[first] = updating(rest, in: child, change)
            return .object(o)
        case .array(var a):
            guard let k = Int(first), k < a.count else { return value }
            a[k] = updating(rest, in: a[k], change)
            return .array(a)
        default: return value
        }
    }

    static func removing(_ tokens: [String], from value: JSONValue) -> JSONValue {
        guard let last = tokens.last else { return value }
        return updating(Array(tokens.dropLast()), in: value) { parent in
            switch parent {
            case .object(var o):
                o[last] = nil
                return .object(o)
            case .array(var a):
                if let k = Int(last), k < a.count { a.remove(at: k) }
                return .array(a)
            default: return parent
            }
        }
    }
}
