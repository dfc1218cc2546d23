import Foundation
import JSON
import OpenAPI
import Reports

/// The help texts of explore's commands, and the prompts it asks with.
enum ExplorerHelp {
    static let commands: [(name: String, usage: String, what: String)] = [
        ("tags", "tags", "the spec's tags, with how many operations each has"),
        ("ops", "ops [TAG|TEXT]", "operations of a tag, or those whose id, path or summary contains TEXT"),
        ("show", "show OPERATION", "parameters (type, enum, default, required), body schema, responses, security"),
        ("schema", "schema NAME[.field]", "a definition's fields (types, required, enums, descriptions), two levels deep"),
        (
            "try", "try OPERATION [name=value ...] [-d BODY]",
            "send it: missing required parameters are asked for; a body starts from a skeleton of the required fields"
        ),
        ("again", "again [name=value ...] [-d BODY]", "the last request again with those values changed, the others kept"),
        ("next", "next", "the last request's next page (pagination offset, page, a next cursor, or Link rel=next)"),
        ("prev", "prev", "the last request's previous page"),
        ("GET", "GET /api/v1/... [-d BODY]", "a raw request (any method); validated when the path is an operation"),
        ("login", "login [USER]", "log in (the password is asked without echo); the token is kept in memory only"),
        ("logout", "logout", "revoke the token and forget it"),
        ("set", "set NAME VALUE", "a variable; VALUE may be a JSONPath over the last answer ($.experiments[0].id); use it as {{NAME}}"),
        ("unset", "unset NAME", "forget a variable"),
        ("vars", "vars", "the variables (secrets hidden)"),
        ("header", "header NAME: VALUE", "send a header with every request (an empty VALUE removes it)"),
        ("env", "env", "master, user, spec, null policy, headers"),
        ("last", "last [headers|curl|errors|$.path]", "the last answer's whole body, headers, curl repro, schema problems, or a JSONPath"),
        ("save", "save FILE [--name STEP]", "append the last request to a scenario file as a step (detapi run FILE replays it)"),
        ("help", "help [COMMAND]", "this list, or one command"),
        ("exit", "exit", "leave (Ctrl-D too)"),
    ]

    static func text(_ topic: String?) throws(ExplorerError) -> String {
        guard let topic else {
            let width = commands.map(\.usage.count).max() ?? 0
            return commands.map { "  \($0.usage.padding(toLength: width, withPad: " ", startingAt: 0))  \($0.what)\n" }.joined()
                + "Tab completes commands, operations, tags, name= parameters, enum values, {{variables}} and file names.\n"
        }
        let key = ExplorerCommand.methods.contains(topic.uppercased()) ? "GET" : topic.lowercased()
        guard let c = commands.first(where: { $0.name.lowercased() == key.lowercased() }) else {
            throw ExplorerError.unknown(
                topic, suggestion: commands.map(\.name).min { EditDistance.between($0, topic) < EditDistance.between($1, topic) })
        }
        return "\(c.usage)\n  \(c.what)\n"
    }

    static func tags(_ model: APIModel) -> String {
        let groups = model.operationsByTag()
        let width = groups.map(\.tag.count).max() ?? 0
        return groups.map { g in
            let description = model.tags.first { $0.name == g.tag }?.description.split(separator: "\n").first.map(String.init) ?? ""
            return
                "  \(g.tag.padding(toLength: width, withPad: " ", startingAt: 0))  \(String(g.operations.count).leftPadded(4))  \(description)\n"
        }.joined() + "\(Plural.count(groups.count, "tag")); ops TAG lists one\n"
    }

    /// `experimentId (integer, required): ` with enum values and the default when there are some.
    static func prompt(for p: Parameter) -> String {
        var parts = [p.type ?? "string"]
        if let values = p.enumValues, !values.isEmpty {
            parts.append("one of " + values.map { $0.stringValue ?? $0.description }.joined(separator: ", "))
        }
        if let d = p.defaultValue { parts.append("default \(d.stringValue ?? d.description)") }
        return "\(p.name) (\(parts.joined(separator: "; ")), required): "
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
