import Explorer
import Testing

@Suite("Explorer: command lines")
struct ExplorerCommandTests {
    @Test("commands parse into what they ask for; quotes group words")
    func parse() throws {
        #expect(
            try ExplorerCommand.parse("try GetExperiments archived=true limit=1")
                == .tryOperation("GetExperiments", words: ["archived=true", "limit=1"], body: nil))
        #expect(
            try ExplorerCommand.parse(#"try Login -d '{"username": "admin"}'"#)
                == .tryOperation("Login", words: [], body: #"{"username": "admin"}"#))
        // Everything after -d is the body as typed: quotes kept, spaces kept, nothing re-split.
        #expect(
            try ExplorerCommand.parse(#"try PostModel -d {"name": "m 1", "metadata": {"key":"Zm9v"}}"#)
                == .tryOperation("PostModel", words: [], body: #"{"name": "m 1", "metadata": {"key":"Zm9v"}}"#))
        #expect(
            try ExplorerCommand.parse(#"POST /api/v1/models -d {"name":"x"}"#)
                == .raw(method: "POST", target: "/api/v1/models", body: #"{"name":"x"}"#))
        #expect(try ExplorerCommand.parse("GET /api/v1/master") == .raw(method: "GET", target: "/api/v1/master", body: nil))
        #expect(try ExplorerCommand.parse("post /api/v1/auth/logout") == .raw(method: "POST", target: "/api/v1/auth/logout", body: nil))
        #expect(try ExplorerCommand.parse("last $.experiments[*].id") == .last(.path("$.experiments[*].id")))
        #expect(try ExplorerCommand.parse("last curl") == .last(.curl))
        #expect(try ExplorerCommand.parse("header X-Trace: a b") == .header("X-Trace", "a b"))
        #expect(try ExplorerCommand.parse("save out.yaml --name list") == .save(file: "out.yaml", name: "list"))
        #expect(try ExplorerCommand.parse("save out.yaml --finally --name undo") == .save(file: "out.yaml", name: "undo", finally: true))
        #expect(try ExplorerCommand.parse("next") == .page(forward: true) && ExplorerCommand.parse("prev") == .page(forward: false))
        #expect(try ExplorerCommand.parse("again limit=5 -d {}") == .again(words: ["limit=5"], body: "{}"))
        #expect(try ExplorerCommand.parse("schema v1Experiment.state") == .schema("v1Experiment.state"))
        #expect(try ExplorerCommand.parse(#"save out.yaml --name "list them""#) == .save(file: "out.yaml", name: "list them"))
        #expect(try ExplorerCommand.parse("set id $.experiments[0].id") == .set("id", "$.experiments[0].id"))
        #expect(try ExplorerCommand.parse("   ") == .empty)
        #expect(try ExplorerCommand.parse("quit") == .exit)
    }

    @Test("an unknown command suggests the nearest; bad arguments say how to write them")
    func mistakes() {
        #expect(throws: ExplorerError.unknown("sohw", suggestion: "show")) { try ExplorerCommand.parse("sohw GetMe") }
        #expect(throws: ExplorerError.usage("show", "show OPERATION (or show METHOD /path)")) { try ExplorerCommand.parse("show") }
        #expect(throws: ExplorerError.self) { try ExplorerCommand.parse("try GetMe -d") }
        #expect(throws: ExplorerError.self) { try ExplorerCommand.parse(#"try Login -d '{"a": 1}"#) }
        #expect(throws: ExplorerError.self) { try ExplorerCommand.parse("last everything") }
        #expect(throws: ExplorerError.self) { try ExplorerCommand.parse("save out.yaml --name list them") }
    }
}
