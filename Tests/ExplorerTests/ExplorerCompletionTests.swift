import Explorer
import HTTP
import Harness
import OpenAPI
import Testing

@Suite("Explorer: Tab completion")
struct ExplorerCompletionTests {
    static let model = try! SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source)

    func complete(_ line: String, variables: [String] = []) -> [String] {
        ExplorerCompletion.complete(line, model: Self.model, variables: variables) { _ in ["a.yaml", "b.yml"] }.candidates
    }

    @Test("commands, operationIds in any case, tags, files after save")
    func words() {
        #expect(complete("").contains("try") && complete("").contains("GET"))
        #expect(complete("sh") == ["show"])
        #expect(complete("try GetExp") == ["GetExperiment", "GetExperimentCheckpoints", "GetExperimentTrials", "GetExperiments"])
        #expect(complete("show getexperimentS") == ["GetExperiments"])
        #expect(complete("ops Exp") == ["Experiments"])
        #expect(complete("save ") == ["a.yaml", "b.yml"])
        #expect(complete("last c") == ["curl"])
    }

    @Test("name= for the operation's parameters not given yet; enum values after name=")
    func parameters() {
        #expect(complete("try GetExperiments ord") == ["orderBy="])
        #expect(complete("try GetExperiments orderBy=") == ["ORDER_BY_ASC", "ORDER_BY_DESC", "ORDER_BY_UNSPECIFIED"])
        #expect(complete("try GetExperiments orderBy=ORDER_BY_D") == ["ORDER_BY_DESC"])
        #expect(complete("try GetExperiments archived=") == ["false", "true"])
        #expect(!complete("try GetExperiments limit=1 ").contains("limit="), "a parameter given once is not offered again")
        #expect(complete("try GetExperiment ").contains("experimentId="))
    }

    @Test("variable names after {{, closed")
    func variables() {
        #expect(complete("try GetExperiment experimentId={{", variables: ["id", "other"]) == ["id}}", "other}}"])
        #expect(complete("set x {{i", variables: ["id", "other"]) == ["id}}"])
    }
}
