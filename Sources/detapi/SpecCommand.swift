import ArgumentParser
import OpenAPI

/// `detapi spec …`: read a spec without a server.
struct SpecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spec",
        abstract: "Read an OpenAPI spec: summary, operations, one operation in detail, lint.",
        subcommands: [SpecInfoCommand.self, SpecOpsCommand.self, SpecShowCommand.self, SpecLintCommand.self]
    )
}

/// `detapi spec info`.
struct SpecInfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Print the spec's title, version, dialect and counts.")

    @OptionGroup var specOptions: SpecOptions

    func run() async throws {
        let model = try await specOptions.load(strict: false)
        let errors = model.warnings.filter { $0.severity == .error }.count
        Console.out(
            """
            title:       \(model.title)
            version:     \(model.apiVersion)
            format:      \(model.version.rawValue) (\(model.specVersionString)), schemas validated as \(model.version == .openAPI31 ? "JSON Schema 2020-12" : model.version == .openAPI30 ? "OAS 3.0 schema objects" : "JSON Schema draft 4 + x-nullable")
            servers:     \(model.servers.isEmpty ? "(none; pass --master)" : model.servers.joined(separator: ", "))
            paths:       \(model.pathCount)
            operations:  \(model.operations.count)
            schemas:     \(model.schemaNames.count) named, \(model.schemas.count) compiled nodes
            tags:        \(model.tags.count)
            security:    \(model.securitySchemes.keys.sorted().joined(separator: ", "))
            lint:        \(errors) errors, \(model.warnings.count - errors) warnings (detapi spec lint)

            """)
    }
}

/// `detapi spec ops`.
struct SpecOpsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ops", abstract: "List operations grouped by tag.")

    @OptionGroup var specOptions: SpecOptions

    @Option(name: .long, help: ArgumentHelp("Only operations with this tag (any case).", valueName: "tag"))
    var tag: String?

    @Option(name: .long, help: ArgumentHelp("Only operations whose id, path or summary contains this text (any case).", valueName: "text"))
    var grep: String?

    func run() async throws {
        let model = try await specOptions.load(strict: false)
        var shown = 0
        var tags = 0
        var text = ""
        for group in model.operationsByTag() {
            if let tag, group.tag.lowercased() != tag.lowercased() { continue }
            let ops = group.operations.filter { op in
                guard let grep = grep?.lowercased() else { return true }
                return op.id.lowercased().contains(grep) || op.path.lowercased().contains(grep) || op.summary.lowercased().contains(grep)
            }
            guard !ops.isEmpty else { continue }
            tags += 1
            text += "\(group.tag) (\(ops.count))\n"
            let idWidth = min(40, ops.map(\.id.count).max() ?? 0)
            let pathWidth = min(60, ops.map(\.path.count).max() ?? 0)
            for op in ops {
                let method = op.method.padding(toLength: 7, withPad: " ", startingAt: 0)
                let path = op.path.padding(toLength: max(pathWidth, op.path.count), withPad: " ", startingAt: 0)
                let id = op.id.padding(toLength: max(idWidth, op.id.count), withPad: " ", startingAt: 0)
                let summary = op.summary.split(separator: "\n").first.map(String.init) ?? ""
                text += "  \(method) \(path)  \(id)  \(op.deprecated ? "[deprecated] " : "")\(summary)\n"
                shown += 1
            }
        }
        if let tag, tags == 0 {
            throw CommandFailure.usage("no tag '\(tag)'; tags are: \(model.tags.map(\.name).joined(separator: ", "))")
        }
        text += "\(shown) operations in \(tags) tags\n"
        Console.out(text)
    }
}

/// `detapi spec show`.
struct SpecShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Describe one operation: parameters, request body, responses, security.")

    @OptionGroup var specOptions: SpecOptions

    @Argument(help: ArgumentHelp("operationId (any case), or 'METHOD /path'.", valueName: "operation"))
    var operation: String

    func run() async throws {
        let model = try await specOptions.load(strict: false)
        let op = try OperationLookup.find(operation, in: model)
        let renderer = SchemaRenderer(document: model.document)
        var out = "\(op.id)\(op.deprecated ? " [deprecated]" : "")\n  \(op.method) \(op.path)\n"
        if !op.summary.isEmpty { out += "  \(op.summary.split(separator: "\n").joined(separator: "\n  "))\n" }
        if !op.tags.isEmpty { out += "  tags: \(op.tags.joined(separator: ", "))\n" }
        let security = op.security ?? model.globalSecurity
        out +=
            "  security: \(security.isEmpty || security.contains { $0.schemes.isEmpty } ? "none (anonymous)" : security.map { $0.schemes.joined(separator: " + ") }.joined(separator: " or "))\n"
        out += "\nParameters (\(op.parameters.count))\n"
        if op.parameters.isEmpty { out += "  (none)\n" }
        for p in op.parameters {
            var line = "  \(p.name) [\(p.location.rawValue)] \(renderer.typeSummary(p.schema))"
            if p.required { line += " required" }
            if let d = p.defaultValue { line += " default \(d)" }
            if p.schema["type"]?.stringValue == "array" { line += " (\(p.collectionFormat))" }
            out += line + "\n"
            if let first = p.description.split(separator: "\n").first { out += "      \(first)\n" }
        }
        out += "\nRequest body\n"
        if let body = op.requestBody {
            out += "  \(body.mediaTypes.joined(separator: ", "))\(body.required ? " required" : "")"
            if let schema = body.schema { out += " — \(renderer.typeSummary(schema))" }
            out += "\n"
            if let schema = body.schema { out += renderer.lines(schema, indent: 4).joined(separator: "\n") + "\n" }
        } else {
            out += "  (none)\n"
        }
        out += "\nResponses\n"
        for r in op.responses {
            out += "  \(r.status) \(r.description.split(separator: "\n").first ?? "")"
            if let schema = r.schema { out += " — \(renderer.typeSummary(schema))" }
            out += "\n"
            if let schema = r.schema { out += renderer.lines(schema, indent: 4).joined(separator: "\n") + "\n" }
        }
        Console.out(out)
    }
}

/// `detapi spec lint`.
struct SpecLintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint", abstract: "List spec problems with their JSON pointers; exit 1 when there are errors.")

    @OptionGroup var specOptions: SpecOptions

    func run() async throws {
        let model = try await specOptions.load(strict: false)
        var text = ""
        for w in model.warnings { text += "\(model.source)\(w.pointer): \(w.severity.rawValue): \(w.message)\n" }
        let errors = model.warnings.filter { $0.severity == .error }.count
        text += "\(errors) errors, \(model.warnings.count - errors) warnings\n"
        Console.out(text)
        if errors > 0 { throw ExitCode(DetapiExit.checkFailed.rawValue) }
    }
}
