import Foundation
import JSON
import OpenAPI

/// The words of `detapi call` (and of explore's `try`) turned into the one `Step` they mean.
///
/// They are checked against the spec before anything is sent:
///
/// - `OPERATION [name=value ...]`: an operationId in any case; each `name=value` fills a path, query or header
///   parameter, typed by its schema (`limit=1` is a number, `archived=true` a boolean); a name given twice
///   makes an array. Unknown names and missing required parameters are errors with the nearest valid name.
/// - `METHOD URL-or-path`: a raw request; still validated when the path matches an operation.
public struct CallLine: Sendable {
    /// The step to send.
    public var step: Step
    /// The master to send it to: the one given, or the origin of a full URL.
    public var master: String?

    /// The place a call's errors and results point at: the command line, not a file.
    public static let location = SourceLocation(file: "command line", line: 0, column: 0)

    public init(words: [String], model: APIModel, master: String?) throws(HarnessError) {
        guard let first = words.first else {
            throw HarnessError(message: "name an operation (detapi call GetMaster) or a method and path (detapi call GET /api/v1/master)")
        }
        if words.count >= 2, CallLine.isTarget(words[1]) {
            guard first.allSatisfy(\.isLetter) else {
                throw HarnessError(message: "'\(first)' is not an HTTP method; try GET, POST, PUT, PATCH, DELETE or HEAD")
            }
            guard words.count == 2 else {
                throw HarnessError(
                    message: "a raw request takes no name=value words; write the query into the path ('\(words[1])?name=value')")
            }
            let (origin, path) = try CallLine.split(words[1], master: master)
            step = Step(name: "\(first.uppercased()) \(path)", request: (first.uppercased(), path), location: CallLine.location)
            self.master = origin
            return
        }
        guard let op = model.operation(id: first) else {
            let near = model.suggestions(for: first, limit: 3).map { "'\($0)'" }.joined(separator: ", ")
            throw HarnessError(
                message:
                    "no operation '\(first)' in \(model.source); did you mean \(near)? (detapi spec ops lists them all; for a raw request write METHOD /path)"
            )
        }
        step = Step(name: op.id, operation: op.id, location: CallLine.location)
        self.master = master
        var grouped: [(Parameter, [String])] = []
        for word in words.dropFirst() {
            guard let eq = word.firstIndex(of: "="), eq != word.startIndex else {
                throw HarnessError(message: "'\(word)': give parameters as name=value (\(CallLine.names(op)))")
            }
            let name = String(word[..<eq])
            let value = String(word[word.index(after: eq)...])
            guard let p = op.parameters.first(where: { $0.name == name && [.path, .query, .header].contains($0.location) }) else {
                let near = op.parameters.map(\.name).min { EditDistance.between($0, name) < EditDistance.between($1, name) }
                throw HarnessError(
                    message: "\(op.id) has no parameter '\(name)'\(near.map { "; did you mean '\($0)'?" } ?? "") (\(CallLine.names(op)))")
            }
            if let i = grouped.firstIndex(where: { $0.0.name == p.name && $0.0.location == p.location }) {
                grouped[i].1.append(value)
            } else {
                grouped.append((p, [value]))
            }
        }
        for (p, values) in grouped {
            let typed = try CallLine.typed(values, p)
            switch p.location {
            case .path: step.path.append((p.name, typed))
            case .header: step.headers.append((p.name, typed))
            default: step.query.append((p.name, typed))
            }
        }
        for p in op.parameters where p.required && [.path, .query].contains(p.location) {
            guard grouped.contains(where: { $0.0.name == p.name && $0.0.location == p.location }) else {
                throw HarnessError(message: "\(op.id) needs the \(p.location.rawValue) parameter '\(p.name)' (\(p.name)=…)")
            }
        }
    }

    /// `-H 'Name: value'` options as step headers.
    public static func headers(_ options: [String]) throws(HarnessError) -> [(String, JSONValue)] {
        var out: [(String, JSONValue)] = []
        for h in options {
            guard let colon = h.firstIndex(of: ":"), colon != h.startIndex else {
                throw HarnessError(message: "header '\(h)' must look like 'Name: value'")
            }
            out.append(
                (
                    h[..<colon].trimmingCharacters(in: .whitespaces),
                    .string(h[h.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                ))
        }
        return out
    }

    /// A `-d` body, as the operation takes it.
    ///
    /// For an operation whose body is JSON, the text must be JSON (sent as application/json), else
    /// the error names its line and column; `raw` sends the bytes as given (with `contentType`, else
    /// application/octet-stream). A raw request that matches no operation sends JSON as JSON and other text as bytes.
    public static func setBody(
        _ bytes: [UInt8], on step: inout Step, operation: OpenAPI.Operation?, raw: Bool = false, contentType: String? = nil
    ) throws(HarnessError) {
        if raw {
            step.bodyBytes = bytes
            step.contentType = contentType
            return
        }
        do {
            step.body = try JSONValue(parsing: bytes)
        } catch {
            let media = operation?.requestBody?.mediaTypes ?? []
            guard operation?.requestBody != nil, media.isEmpty || media.contains(where: { $0.lowercased().contains("json") }) else {
                step.bodyBytes = bytes
                step.contentType = contentType
                return
            }
            throw HarnessError(
                message:
                    "the body is not JSON (\(error.description)), and \(operation?.id ?? "the operation") takes JSON; fix it, or send it as it is with --raw-body"
            )
        }
    }

    /// Whether a word is the target of a raw request (a path or an http(s) URL) rather than `name=value`.
    static func isTarget(_ word: String) -> Bool {
        word.hasPrefix("/") || word.hasPrefix("http://") || word.hasPrefix("https://")
    }

    /// A path stays relative to `master`; a full URL brings its own origin.
    static func split(_ target: String, master: String?) throws(HarnessError) -> (origin: String?, path: String) {
        guard target.hasPrefix("http://") || target.hasPrefix("https://") else { return (master, target) }
        let afterScheme = target.range(of: "://")!.upperBound
        let slash = target[afterScheme...].firstIndex(where: { $0 == "/" || $0 == "?" }) ?? target.endIndex
        guard slash > afterScheme else { throw HarnessError(message: "'\(target)' has no host") }
        let path = String(target[slash...])
        return (String(target[..<slash]), path.isEmpty ? "/" : (path.hasPrefix("?") ? "/" + path : path))
    }

    /// Values typed by the parameter's schema (`ParameterCheck`, the same check scenarios get).
    static func typed(_ values: [String], _ p: Parameter) throws(HarnessError) -> JSONValue {
        do {
            return try ParameterCheck.typed(values, p)
        } catch {
            throw HarnessError(message: error.description)
        }
    }

    private static func names(_ op: OpenAPI.Operation) -> String {
        let names = op.parameters.filter { [.path, .query, .header].contains($0.location) }.map(\.name)
        return names.isEmpty ? "it takes no parameters" : "it takes: " + names.joined(separator: ", ")
    }
}
