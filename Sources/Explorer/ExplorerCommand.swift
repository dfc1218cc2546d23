import Harness
import OpenAPI

/// One line typed at the explore prompt, parsed into what it asks for; parsing decides nothing about the
/// session, so every command's grammar is tested without a server.
public enum ExplorerCommand: Sendable, Equatable {
    case help(String?)
    case tags
    case ops(String?)
    case show(String)
    /// `schema NAME[.field ...]`: a definition's fields, two levels deep.
    case schema(String)
    /// `try OP name=value ... [-d BODY]`
    case tryOperation(String, words: [String], body: String?)
    /// `GET /api/v1/... [-d BODY]`
    case raw(method: String, target: String, body: String?)
    case login(String?)
    case logout
    case set(String, String)
    case unset(String)
    case vars
    case header(String, String)
    case env
    case last(LastView)
    case save(file: String, name: String?, finally: Bool = false)
    /// `next` / `prev`: the last request again with its page moved.
    case page(forward: Bool)
    /// `again [name=value ...] [-d BODY]`: the last request with those values changed.
    case again(words: [String], body: String?)
    case exit
    case empty

    /// What `last` shows.
    public enum LastView: Sendable, Equatable {
        case body, headers, curl, errors
        case path(String)
    }

    /// Every command word, for help and completion.
    public static let names = [
        "help", "tags", "ops", "show", "schema", "try", "again", "next", "prev", "login", "logout", "set", "unset", "vars", "header", "env",
        "last", "save", "exit",
    ]
    /// The methods a raw request may start with.
    public static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    /// Parses a line; a mistake is an `ExplorerError` that names the command and how to write it.
    public static func parse(_ line: String) throws(ExplorerError) -> ExplorerCommand {
        // Everything after `-d ` is the body as typed (quotes kept); only a pair of single quotes around all of it
        // is taken off, as a shell would.
        let (head, typedBody) = try splitBody(line)
        let words = try ExplorerWords.split(head) + (typedBody.map { ["-d", $0] } ?? [])
        guard let first = words.first else { return .empty }
        let rest = Array(words.dropFirst())
        let command = first.lowercased()
        if methods.contains(first.uppercased()), let target = rest.first, target.hasPrefix("/") || target.hasPrefix("http") {
            let (plain, body) = try bodyOption(Array(rest.dropFirst()), command: first.uppercased())
            guard plain.isEmpty else { throw ExplorerError.usage(first.uppercased(), "a raw request is METHOD /path [-d BODY]") }
            return .raw(method: first.uppercased(), target: target, body: body)
        }
        switch command {
        case "help", "?": return .help(rest.first)
        case "tags": return try none(rest, .tags, command)
        case "ops": return .ops(rest.isEmpty ? nil : rest.joined(separator: " "))
        case "show":
            // `show GET /api/v1/master` needs no quotes.
            if rest.count == 2, methods.contains(rest[0].uppercased()), rest[1].hasPrefix("/") {
                return .show(rest[0].uppercased() + " " + rest[1])
            }
            guard rest.count == 1 else { throw ExplorerError.usage("show", "show OPERATION (or show METHOD /path)") }
            return .show(rest[0])
        case "schema":
            guard rest.count == 1 else { throw ExplorerError.usage("schema", "schema NAME (Tab completes; NAME.field goes deeper)") }
            return .schema(rest[0])
        case "try":
            guard let op = rest.first else { throw ExplorerError.usage("try", "try OPERATION [name=value ...] [-d BODY]") }
            let (words, body) = try bodyOption(Array(rest.dropFirst()), command: "try")
            return .tryOperation(op, words: words, body: body)
        case "next", "prev": return try none(rest, .page(forward: command == "next"), command)
        case "again":
            let (words, body) = try bodyOption(rest, command: "again")
            return .again(words: words, body: body)
        case "login":
            guard rest.count <= 1 else { throw ExplorerError.usage("login", "login [USER]; the password is asked without echo") }
            return .login(rest.first)
        case "logout": return try none(rest, .logout, command)
        case "set":
            guard rest.count >= 2 else {
                throw ExplorerError.usage("set", "set NAME VALUE (VALUE may be a JSONPath over the last body: $.id)")
            }
            // A JSONPath is the rest of the line as typed: its filter's quotes and spaces are part of it.
            let typed = remainder(of: line, after: 2)
            return .set(rest[0], typed.hasPrefix("$") ? typed : rest.dropFirst().joined(separator: " "))
        case "unset":
            guard rest.count == 1 else { throw ExplorerError.usage("unset", "unset NAME") }
            return .unset(rest[0])
        case "vars": return try none(rest, .vars, command)
        case "header":
            let text = rest.joined(separator: " ")
            guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else {
                throw ExplorerError.usage("header", "header NAME: VALUE (an empty VALUE removes it)")
            }
            return .header(
                String(text[..<colon]).trimmingSpaces, String(text[text.index(after: colon)...]).trimmingSpaces)
        case "env": return try none(rest, .env, command)
        case "last":
            // A JSONPath is the rest of the line as typed (`$.experiments[?(@.state == 'STATE_PAUSED')].id`).
            let typed = remainder(of: line, after: 1)
            if typed.hasPrefix("$") { return .last(.path(typed)) }
            guard rest.count <= 1 else { throw ExplorerError.usage("last", "last [headers|curl|errors|$.json.path]") }
            switch rest.first {
            case nil: return .last(.body)
            case "headers"?: return .last(.headers)
            case "curl"?: return .last(.curl)
            case "errors"?: return .last(.errors)
            case let p? where p.hasPrefix("$"): return .last(.path(p))
            case let other?:
                throw ExplorerError.usage("last", "'\(other)': write last, last headers, last curl, last errors or last $.path")
            }
        case "save":
            let usage = "save FILE [--name STEP] [--finally]"
            guard let file = rest.first else { throw ExplorerError.usage("save", usage) }
            var name: String?
            var finally = false
            var options = rest.dropFirst()
            while let option = options.popFirst() {
                switch option {
                case "--finally": finally = true
                case "--name":
                    guard let value = options.popFirst() else { throw ExplorerError.usage("save", usage) }
                    name = value
                default: throw ExplorerError.usage("save", usage)
                }
            }
            return .save(file: file, name: name, finally: finally)
        case "exit", "quit": return try none(rest, .exit, command)
        default:
            let near = (names + methods.map { $0.lowercased() }).min {
                EditDistance.between($0, command) < EditDistance.between($1, command)
            }
            throw ExplorerError.unknown(first, suggestion: near)
        }
    }

    private static func none(_ rest: [String], _ command: ExplorerCommand, _ word: String) throws(ExplorerError) -> ExplorerCommand {
        guard rest.isEmpty else { throw ExplorerError.usage(word, "\(word) takes no arguments") }
        return command
    }

    /// The text of `line` after its first `words` whitespace-separated words, as typed (quotes kept).
    static func remainder(of line: String, after words: Int) -> String {
        var rest = Substring(line)
        for _ in 0..<words {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            rest = rest.drop { $0 != " " && $0 != "\t" }
        }
        return String(rest).trimmingSpaces
    }

    /// The line before a `-d`/`--data` word (outside quotes), and the rest of the line after it, verbatim.
    static func splitBody(_ line: String) throws(ExplorerError) -> (String, String?) {
        var quote: Character?
        var atWordStart = true
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if atWordStart {
                for flag in ["-d", "--data"] {
                    guard line[i...].hasPrefix(flag) else { continue }
                    let after = line.index(i, offsetBy: flag.count)
                    guard after == line.endIndex || line[after] == " " || line[after] == "\t" else { continue }
                    var body = String(line[after...]).trimmingSpaces
                    if body.hasPrefix("'") {
                        guard body.count >= 2, body.hasSuffix("'") else {
                            throw ExplorerError.usage(
                                "-d", "the body opens a ' quote it does not close; write -d '{\"a\": 1}' or -d {\"a\": 1}")
                        }
                        body = String(body.dropFirst().dropLast())
                    }
                    // `-d` with nothing after it: left in the words, where it is an error saying how to write it.
                    return body.isEmpty ? (line, nil) : (String(line[..<i]), body)
                }
            }
            atWordStart = quote == nil && (c == " " || c == "\t")
            i = line.index(after: i)
        }
        return (line, nil)
    }

    /// Splits off `-d BODY` (also `--data BODY`).
    private static func bodyOption(_ words: [String], command: String) throws(ExplorerError) -> ([String], String?) {
        var out: [String] = []
        var body: String?
        var i = 0
        while i < words.count {
            if words[i] == "-d" || words[i] == "--data" {
                guard i + 1 < words.count else { throw ExplorerError.usage(command, "-d needs a body: -d '{\"a\":1}' or -d @file.json") }
                body = words[i + 1]
                i += 2
            } else {
                out.append(words[i])
                i += 1
            }
        }
        return (out, body)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }
}
