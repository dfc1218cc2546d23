import Foundation
import HTTP
import Harness
import JSON
import OpenAPI
import Reports

extension ExplorerSession {
    /// `try OP name=value ... [-d BODY]`: asks for missing required parameters (and a body) at a terminal,
    /// then sends through the step path and shows the answer.
    mutating func tryOperation(_ text: String, words: [String], body: String?, io: any ExplorerIO) async throws(ExplorerError) -> Outcome {
        let op = try lookup(text)
        var words = words
        // At a terminal, ask for what is missing; anything still missing is CallLine's error, as for `call`.
        for p in op.parameters where io.isInteractive && p.required && [.path, .query].contains(p.location) {
            guard !words.contains(where: { $0.hasPrefix(p.name + "=") }) else { continue }
            guard let answer = io.ask(ExplorerHelp.prompt(for: p), secret: false), !answer.isEmpty else { break }
            words.append("\(p.name)=\(answer)")
        }
        var line: CallLine
        do {
            line = try CallLine(words: [op.id] + words, model: model, master: master)
        } catch {
            throw ExplorerError("try: \(error.message)")
        }
        if let body {
            try setBody(body, on: &line.step)
        } else if let requestBody = op.requestBody {
            let sampled = requestBody.schemaNode.map { SchemaSampler(schemas: model.schemas, maxDepth: 0).sample($0) } ?? [:]
            let skeleton = skeletonFilled(sampled, path: line.step.path)
            let text = JSONWriter(style: .pretty).string(skeleton)
            if io.isInteractive {
                let edited =
                    io.edit(text)
                    ?? io.ask("body for \(op.id) (JSON; Enter sends this skeleton):\n\(text)\n> ", secret: false).flatMap {
                        $0.isEmpty ? text : $0
                    }
                try setBody(edited ?? text, on: &line.step)
            } else if requestBody.required {
                throw ExplorerError("try: \(op.id) needs a body: -d '\(JSONWriter().string(skeleton))' (a skeleton of the required fields)")
            }
        }
        return await send(line.step, io: io)
    }

    /// A body skeleton with the values this request already has: a field named like a path parameter (`id` for the
    /// only path id, `experimentId`) takes its value, and a field named like a variable takes the variable's.
    func skeletonFilled(_ skeleton: JSONValue, path: [(String, JSONValue)]) -> JSONValue {
        guard case .object(var fields) = skeleton else { return skeleton }
        for m in fields {
            if let value = path.first(where: { $0.0 == m.key })?.1 {
                fields[m.key] = value
            } else if m.key == "id", path.count == 1, path[0].0.lowercased().hasSuffix("id") {
                fields[m.key] = path[0].1
            } else if let value = variables.values[m.key], !Redactor.isSecretName(m.key), !m.key.hasPrefix("__"), m.key != "token" {
                fields[m.key] = value
            }
        }
        return .object(fields)
    }

    /// `METHOD /path [-d BODY]`: a raw request, validated when the path matches an operation.
    mutating func raw(_ method: String, _ target: String, body: String?, io: any ExplorerIO) async throws(ExplorerError) -> Outcome {
        var line: CallLine
        do {
            line = try CallLine(words: [method, target], model: model, master: master)
        } catch {
            throw ExplorerError(error.message)
        }
        if let body { try setBody(body, on: &line.step) }
        if variables.values["token"] != nil { line.step.auth = .bearer }
        return await send(line.step, io: io, master: line.master ?? master)
    }

    /// `login [USER]`: the password is asked without echo (in script mode it is $DET_PASS); the token is kept in
    /// memory only.
    mutating func login(_ name: String?, io: any ExplorerIO) async throws(ExplorerError) -> Outcome {
        guard model.operation(id: "Login") != nil else { throw ExplorerError("login: \(model.source) has no Login operation") }
        let who = name ?? user ?? credentials.user
        let password: String
        if io.isInteractive {
            guard let answer = io.ask("password for \(who): ", secret: true) else { return .ok }
            password = answer
        } else {
            password = credentials.password
        }
        variables.set("__password", .string(password), secret: true)
        var step = Step(name: "log in", operation: "Login", location: CallLine.location)
        step.auth = Step.Auth.none
        step.body = ["username": .string(who), "password": .string(password)]
        let outcome = await send(step, io: io)
        guard let document = last?.document, last?.result.status == 200,
            let token = document.value(at: document.root)["token"]?.stringValue
        else {
            io.write("login as '\(who)' failed; check the user and password\n")
            return outcome
        }
        variables.set("token", .string(token), secret: true)
        user = who
        loggedIn = true
        io.write("logged in as \(who); the token is kept for this session only\n")
        return outcome
    }

    /// `logout`: revokes the token on the master (when the spec has Logout) and forgets it.
    mutating func logout(io: any ExplorerIO) async throws(ExplorerError) -> Outcome {
        guard variables.values["token"] != nil else { throw ExplorerError("logout: not logged in") }
        var outcome = Outcome.ok
        if model.operation(id: "Logout") != nil {
            outcome = await send(Step(name: "log out", operation: "Logout", location: CallLine.location), io: io)
        }
        variables.remove("token")
        user = nil
        loggedIn = false
        io.write("logged out\n")
        return outcome
    }

    /// Sends one step through `Runner.exchange` and shows status, time, verdict and body.
    mutating func send(_ step: Step, io: any ExplorerIO, master: String? = nil) async -> Outcome {
        var step = step
        step.headers += headers.map { ($0.0, JSONValue.string($0.1)) }
        var options = Runner.Options(master: master ?? self.master, credentials: credentials)
        // Like `run`: an operation that needs a token logs in first ($DET_USER/$DET_PASS, else determined with a
        // blank password), once; `login USER` picks another user.
        options.autoLogin = true
        options.nulls = nulls
        let runner = Runner(model: model, client: client, options: options)
        let hadToken = variables.values["token"] != nil
        let exchange = await runner.exchange(step, vars: &variables)
        if !hadToken && variables.values["token"] != nil && step.operation != "Login" {
            user = credentials.user
            loggedIn = true
            io.write("logged in as \(credentials.user) (DET_USER/DET_PASS; login USER for another)\n")
        }
        last = exchange
        lastStep = step
        lastCaptures = []
        // An answer taller than the screen goes through the pager; the status and verdict come after it, on screen.
        if io.isInteractive, let response = exchange.response,
            io.page(ExploreReport.body(response, document: exchange.document, redactor: variables.redactor, maxLines: nil))
        {
            io.write(ExploreReport.status(exchange, color: io.color, showTime: true))
        } else {
            io.write(
                ExploreReport.response(exchange, redactor: variables.redactor, color: io.color, showTime: io.isInteractive, maxLines: 200))
        }
        switch exchange.result.outcome {
        case .failed, .error: return .invalidAnswer
        default: return .ok
        }
    }

    /// A `-d` body: inline JSON (or text), or `@file`.
    func setBody(_ text: String, on step: inout Step) throws(ExplorerError) {
        var bytes = Array(text.utf8)
        if text.hasPrefix("@") {
            let path = String(text.dropFirst())
            switch InputFile.read(path, what: "body") {
            case .success(let data): bytes = data
            case .failure(let failure): throw ExplorerError("-d @\(failure)")
            }
        }
        do {
            let op = try ScenarioChecker(model: model).operation(for: step)
            try CallLine.setBody(bytes, on: &step, operation: op)
        } catch {
            throw ExplorerError("-d: \(error.message)")
        }
    }
}
