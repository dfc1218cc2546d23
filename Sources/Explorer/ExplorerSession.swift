import Foundation
import HTTP
import Harness
import JSON
import OpenAPI
import Reports

/// One `detapi explore` session: what it knows and what each command does with it.
///
/// It holds the master, token, variables, headers and the last exchange. Requests go through `Runner.exchange` (RequestBuilder → HTTPClient →
/// Checks → Redactor), the same step path as `run` and `call`; text comes from `Reports`.
public struct ExplorerSession: Sendable {
    /// What a line came to, for script mode's exit code.
    public enum Outcome: Sendable, Equatable {
        case ok
        /// An answer broke the spec (script exit 1; the script goes on).
        case invalidAnswer
        /// An unknown command or bad arguments (script exit 2; the script stops).
        case error(ExplorerError)
        case exit
    }

    /// A variable set from the last answer with `set NAME $.path`: written as a `capture` by `save`.
    struct CapturedVariable: Sendable {
        var name: String
        var path: String
        var secret: Bool
    }

    public let model: APIModel
    public var master: String
    public var nulls: NullPolicy
    public let client: HTTPClient
    /// The user `login` logged in as, nil when the token came from `--token` or there is none.
    public internal(set) var user: String?
    var variables = Variables()
    var headers: [(String, String)] = []
    var last: StepExchange?
    /// The step of the last exchange as typed (templates unexpanded), for `save`.
    var lastStep: Step?
    var lastCaptures: [CapturedVariable] = []
    /// Every variable a `set NAME $.path` captured in this session.
    var captureHistory: [String] = []
    /// Whether the session logged in with `login` (then `save` writes a login step into a new file).
    var loggedIn = false
    /// The login used when an operation needs a token and the session has none, and the password `login` is
    /// given in script mode, where nothing can be asked ($DET_USER, $DET_PASS).
    public var credentials: Credentials

    public init(
        model: APIModel, master: String, token: String?, client: HTTPClient, nulls: NullPolicy = .optional,
        credentials: Credentials = Credentials()
    ) {
        self.model = model
        self.master = master
        self.client = client
        self.nulls = nulls
        self.credentials = credentials
        if let token { variables.set("token", .string(token), secret: true) }
    }

    /// The opening line: which master, which spec, how to get help.
    public var banner: String {
        "detapi explore · \(master) · \(model.title.isEmpty ? model.source : model.title) \(model.apiVersion) (\(Plural.count(model.operations.count, "operation"))) · help lists the commands, Tab completes, Ctrl-D quits\n"
    }

    /// Values the history must never hold (the token, passwords typed, secret variables).
    public var secretValues: [String] { variables.redactor.secretValues + variables.redactor.shortSecretValues }

    /// Names of the session's variables, for completion after `{{`.
    public var variableNames: [String] { variables.values.keys.filter { !$0.hasPrefix("__") }.sorted() }

    /// Sends `name: value` with every request of the session (`-H` on the command line, or the `header` command).
    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.0.lowercased() == name.lowercased() }
        headers.append((name, value))
    }

    /// Runs one line.
    public mutating func handle(_ line: String, io: any ExplorerIO) async -> Outcome {
        do {
            let command = try ExplorerCommand.parse(line)
            return try await perform(command, io: io)
        } catch {
            io.write("error: \(variables.redactor.redact(error.message))\n")
            return .error(error)
        }
    }

    mutating func perform(_ command: ExplorerCommand, io: any ExplorerIO) async throws(ExplorerError) -> Outcome {
        switch command {
        case .empty: return .ok
        case .exit: return .exit
        case .help(let topic): io.write(try ExplorerHelp.text(topic))
        case .tags: io.write(ExplorerHelp.tags(model))
        case .ops(let filter): io.write(try ops(filter))
        case .show(let op): io.write(SpecReport.show(try lookup(op), in: model))
        case .schema(let name): io.write(try schemaText(name))
        case .tryOperation(let op, let words, let body): return try await tryOperation(op, words: words, body: body, io: io)
        case .raw(let method, let target, let body): return try await raw(method, target, body: body, io: io)
        case .login(let user): return try await login(user, io: io)
        case .logout: return try await logout(io: io)
        case .set(let name, let value): try set(name, value, io: io)
        case .unset(let name):
            guard variables.values[name] != nil else { throw ExplorerError("unset: no variable '\(name)' (vars lists them)") }
            variables.remove(name)
        case .vars: io.write(varsText())
        case .header(let name, let value):
            headers.removeAll { $0.0.lowercased() == name.lowercased() }
            if !value.isEmpty {
                headers.append((name, value))
                if Redactor.isSecretName(name) || variables.redactor.isSensitiveHeader(name) {
                    variables.set("__header_\(name)", .string(value), secret: true)
                }
            }
        case .env: io.write(envText())
        case .last(let view): io.write(try lastText(view))
        case .save(let file, let name, let finally): io.write(try save(to: file, name: name, finally: finally))
        case .page(let forward): return try await page(forward: forward, io: io)
        case .again(let words, let body): return try await again(words: words, body: body, io: io)
        }
        return .ok
    }

    func lookup(_ text: String) throws(ExplorerError) -> OpenAPI.Operation {
        do {
            return try OperationLookup.find(text, in: model)
        } catch {
            throw ExplorerError(error.message)
        }
    }

    func ops(_ filter: String?) throws(ExplorerError) -> String {
        let isTag = filter.map { f in model.tags.contains { $0.name.lowercased() == f.lowercased() } } ?? false
        do {
            return try SpecReport.ops(model, tag: isTag ? filter : nil, grep: isTag ? nil : filter)
        } catch {
            throw ExplorerError(error.message)
        }
    }

    func varsText() -> String {
        let names = variableNames
        guard !names.isEmpty else { return "(no variables; set NAME VALUE, or set NAME $.path after a request)\n" }
        return names.map { name in
            let value = variables.values[name].map(Variables.text) ?? ""
            return "\(name) = \(variables.redactor.redact(value))\n"
        }.joined()
    }

    func envText() -> String {
        """
        master:  \(master)
        user:    \(user ?? (variables.values["token"] != nil ? "(a token from --token or $DET_TOKEN)" : "(not logged in)"))
        spec:    \(model.source) (\(model.title) \(model.apiVersion), \(Plural.count(model.operations.count, "operation")))
        nulls:   \(nulls.rawValue)
        headers: \(headers.isEmpty ? "(none)" : headers.map { "\($0.0): \(variables.redactor.headerValue(name: $0.0, value: $0.1))" }.joined(separator: ", "))

        """
    }

    mutating func set(_ name: String, _ value: String, io: any ExplorerIO) throws(ExplorerError) {
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }), !name.hasPrefix("__") else {
            throw ExplorerError("set: '\(name)' is not a variable name (letters, digits, _ and -)")
        }
        let secret = Redactor.isSecretName(name)
        lastCaptures.removeAll { $0.name == name }
        if value.hasPrefix("$") {
            guard let last, let document = last.document else {
                throw ExplorerError("set: \(value) reads the last JSON answer, and there is none")
            }
            let path: JSONPath
            do {
                path = try JSONPath(value)
            } catch {
                throw ExplorerError("set: \(error.message)")
            }
            let selected = path.select(document.value(at: document.root))
            guard let first = selected.first else {
                throw ExplorerError("set: \(value) selects nothing in the last answer (last shows it)")
            }
            // A path that selects many values (`[*]`, a filter) keeps them all, as an array.
            let found: JSONValue = path.isMulti ? .array(selected) : first
            if path.isMulti { io.write("\(name) holds \(selected.count) value\(selected.count == 1 ? "" : "s")\n") }
            variables.set(name, found, secret: secret)
            lastCaptures.append(CapturedVariable(name: name, path: value, secret: secret))
            captureHistory.append(name)
            io.write("\(name) = \(variables.redactor.redact(Variables.text(found)))\n")
        } else {
            do {
                variables.set(name, try variables.expand(.string(value)), secret: secret)
            } catch {
                throw ExplorerError("set: \(error.message)")
            }
        }
    }

    func lastText(_ view: ExplorerCommand.LastView) throws(ExplorerError) -> String {
        guard let last else { throw ExplorerError("last: nothing sent yet (try OPERATION, or GET /path)") }
        let r = last.result
        switch view {
        case .body:
            guard let response = last.response else { return "(no answer)\n" }
            return ExploreReport.body(response, document: last.document, redactor: variables.redactor, maxLines: nil)
        case .headers:
            return r.responseHeaders.map { "\($0.name): \($0.value)\n" }.joined()
        case .curl: return r.curl + "\n"
        case .errors:
            let lines = FailureText.lines(r.failures)
            return lines.isEmpty ? "(no problems: the last answer conforms)\n" : lines.joined(separator: "\n") + "\n"
        case .path(let text):
            guard let document = last.document else { throw ExplorerError("last: the last answer is not JSON") }
            let path: JSONPath
            do {
                path = try JSONPath(text)
            } catch {
                throw ExplorerError("last: \(error.message)")
            }
            let selected = path.select(document.value(at: document.root))
            guard !selected.isEmpty else { return "(nothing at \(text))\n" }
            return selected.map { variables.redactor.redact(JSONWriter(style: .pretty).string(variables.redactor.masked($0))) + "\n" }
                .joined()
        }
    }
}
