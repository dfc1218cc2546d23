import Foundation
import HTTP
import JSON

/// The bits of scenario YAML that `save` writes, and how it adds a step to a file without rewriting it.
enum ScenarioText {
    /// The login step a saved file starts with after `login`: the user and password come from the variables
    /// (${DET_USER}, ${DET_PASS}), never the password typed.
    static let loginStep = """
          - name: log in
            operation: Login
            auth: none
            body: {username: "{{user}}", password: "{{password}}"}
            expect: {status: 200}
            capture: {token: {json: $.token, secret: true}}

        """

    /// A YAML double-quoted scalar (JSON string escaping is valid YAML).
    static func quoted(_ s: String) -> String { JSONWriter().string(.string(s)) }

    /// `step` inserted after the last item of the top-level `list` (`steps:` before `finally:` or whatever key
    /// follows; or `finally:`), or a new list of that name at the end; every existing line is kept as it is.
    static func inserting(step: String, into text: String, list: String = "steps") -> String {
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        guard let start = lines.firstIndex(where: { $0.hasPrefix(list + ":") }) else {
            return lines.joined(separator: "\n") + "\n\(list):\n" + step
        }
        // The list ends at the next line that starts a top-level key (no indent, not a comment or a list item).
        var end = lines.count
        for i in (start + 1)..<lines.count {
            let line = lines[i]
            if let first = line.first, first != " ", first != "\t", first != "#", first != "-" {
                end = i
                break
            }
        }
        // Keep blank lines and comments that lead into the next key with that key.
        while end > start + 1, lines[end - 1].trimmingSpaces.isEmpty || lines[end - 1].hasPrefix("#") { end -= 1 }
        let stepLines = step.components(separatedBy: "\n").filter { !$0.isEmpty }
        lines.insert(contentsOf: stepLines, at: end)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `value` with the string values of secret-named fields replaced by `{{field}}`; their names are collected.
    static func secretsAsTemplates(_ value: JSONValue, found: inout [String]) -> JSONValue {
        switch value {
        case .object(let o):
            var out = JSONObject()
            for m in o {
                if Redactor.isSecretName(m.key), let s = m.value.stringValue, !s.isEmpty, !s.contains("{{") {
                    found.append(m.key)
                    out[m.key] = .string("{{\(m.key)}}")
                } else {
                    out[m.key] = secretsAsTemplates(m.value, found: &found)
                }
            }
            return .object(out)
        case .array(let a): return .array(a.map { secretsAsTemplates($0, found: &found) })
        default: return value
        }
    }
}
