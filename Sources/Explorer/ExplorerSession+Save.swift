import Foundation
import HTTP
import Harness
import JSON
import OpenAPI

extension ExplorerSession {
    /// `save FILE [--name STEP]`: appends the last request to a scenario file as a step.
    ///
    /// The step has the operation and its parameters, `expect` on the status seen and a `capture` for each
    /// variable set from its answer. A missing file is created with a header (and, after a login, a login step
    /// that reads ${DET_USER}/${DET_PASS}). What the file holds is never rewritten: the step is inserted at the end of its `steps:` list,
    /// and the result must still parse before anything is written.
    func save(to file: String, name: String?, finally: Bool = false) throws(ExplorerError) -> String {
        guard let step = lastStep, let last else { throw ExplorerError("save: nothing sent yet") }
        let kind = InputFile.kind(file)
        let exists = kind == .file
        if kind == .folder { throw ExplorerError("save: \(file) is a folder; give a file name such as \(file)/session.yaml") }
        if finally && !exists {
            throw ExplorerError("save --finally: \(file) does not exist yet; save the steps it cleans up after first (save \(file))")
        }
        var notes: [String] = []
        if let text = try? scenarioText(
            file: file, exists: exists, step: step, name: name, status: last.result.status, expandAll: false, finally: finally,
            notes: &notes)
        {
            return try write(text, to: file, exists: exists, notes: notes)
        }
        // A template names a variable no step of the file captures: write the values it has now instead.
        notes = ["variables no saved step captures were written as their current values"]
        let text = try scenarioText(
            file: file, exists: exists, step: step, name: name, status: last.result.status, expandAll: true, finally: finally,
            notes: &notes)
        return try write(text, to: file, exists: exists, notes: notes)
    }

    private func scenarioText(
        file: String, exists: Bool, step: Step, name: String?, status: Int?, expandAll: Bool, finally: Bool = false,
        notes: inout [String]
    ) throws(ExplorerError) -> String {
        let isLogin = step.operation == "Login"
        let stepText = yaml(for: step, name: name, status: status, isLogin: isLogin, expandAll: expandAll, notes: &notes)
        var text: String
        if exists {
            switch InputFile.readText(file, what: "scenario", limit: ScenarioFiles.limit) {
            case .success(let old): text = ScenarioText.inserting(step: stepText, into: old, list: finally ? "finally" : "steps")
            case .failure(let failure): throw ExplorerError("save: \(failure); nothing written")
            }
        } else {
            let base = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            text = "name: \(ScenarioText.quoted(base))\ndescription: Saved from detapi explore.\n"
            if loggedIn || isLogin {
                text += "vars:\n  user: ${DET_USER:-determined}\n  password: ${DET_PASS:-}\n"
            }
            text += "steps:\n"
            if loggedIn && !isLogin { text += ScenarioText.loginStep }
            text += stepText
        }
        do {
            let scenario = try ScenarioParser.parse(text, file: file)
            try ScenarioChecker(model: model).check(scenario, predefined: ["token"])
        } catch {
            throw ExplorerError("save: the step would not make \(file) a valid scenario (\(error.description)); nothing written")
        }
        return text
    }

    private func write(_ text: String, to file: String, exists: Bool, notes: [String]) throws(ExplorerError) -> String {
        var made: [String] = []
        // Missing folders are made (and said), as `mkdir -p` would.
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                made.append("made the folder \(folder)")
            } catch {
                throw ExplorerError("save: cannot make the folder \(folder) for \(file): \(error.localizedDescription)")
            }
        }
        do {
            try text.write(toFile: file, atomically: true, encoding: .utf8)
        } catch {
            throw ExplorerError("save: cannot write \(file): \(error.localizedDescription)")
        }
        return (made + ["\(exists ? "added a step to" : "wrote") \(file) (detapi run \(file))"] + notes).joined(separator: "\n") + "\n"
    }

    /// The step as YAML list item lines, two spaces in.
    private func yaml(for step: Step, name: String?, status: Int?, isLogin: Bool, expandAll: Bool, notes: inout [String]) -> String {
        func templated(_ value: JSONValue) -> JSONValue { self.templated(value, expandAll: expandAll) }
        if isLogin { return ScenarioText.loginStep }
        let title = name ?? step.operation ?? step.request.map { "\($0.method) \($0.path)" } ?? "step"
        var out = "  - name: \(ScenarioText.quoted(title))\n"
        if let op = step.operation {
            out += "    operation: \(op)\n"
        } else if let request = step.request {
            out += "    request: \(ScenarioText.quoted("\(request.method) \(request.path)"))\n"
        }
        func mapping(_ pairs: [(String, JSONValue)]) -> String {
            JSONWriter().string(.object(JSONObject(pairs.map { JSONObject.Member(key: $0.0, value: templated($0.1)) })))
        }
        if !step.path.isEmpty { out += "    path: \(mapping(step.path))\n" }
        if !step.query.isEmpty { out += "    query: \(mapping(step.query))\n" }
        let shownHeaders = step.headers.filter { !variables.redactor.isSensitiveHeader($0.0) && !Redactor.isSecretName($0.0) }
        if shownHeaders.count < step.headers.count { notes.append("headers that carry secrets were left out of the step") }
        if !shownHeaders.isEmpty { out += "    headers: \(mapping(shownHeaders))\n" }
        if let body = step.body {
            var secrets: [String] = []
            let written = ScenarioText.secretsAsTemplates(templated(body), found: &secrets)
            out += "    body: \(JSONWriter().string(written))\n"
            for s in Set(secrets).sorted() {
                notes.append(
                    "the secret field '\(s)' is written as {{\(s)}}: define it under vars (e.g. \(s): ${MY_SECRET}) or pass --var \(s)=…")
            }
        }
        if let status { out += "    expect: {status: \(status)}\n" }
        if !lastCaptures.isEmpty {
            let pairs = lastCaptures.map { c in
                c.secret ? "\(c.name): {json: \(ScenarioText.quoted(c.path)), secret: true}" : "\(c.name): \(ScenarioText.quoted(c.path))"
            }
            out += "    capture: {\(pairs.joined(separator: ", "))}\n"
        }
        return out
    }

    /// Templates that name variables set by hand (`set x 5`) are written as their values; those captured from an
    /// answer stay `{{x}}` (an earlier saved step captures them).
    private func templated(_ value: JSONValue, expandAll: Bool) -> JSONValue {
        switch value {
        case .string(let s):
            guard s.contains("{{") else { return value }
            let names = Variables.references(in: value)
            if !expandAll && names.allSatisfy({ captureHistory.contains($0) }) { return value }
            return (try? variables.expand(value)) ?? value
        case .array(let a): return .array(a.map { templated($0, expandAll: expandAll) })
        case .object(let o):
            return .object(JSONObject(o.map { JSONObject.Member(key: $0.key, value: templated($0.value, expandAll: expandAll)) }))
        default: return value
        }
    }
}
