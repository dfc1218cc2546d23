import Harness
import Testing

@Suite("Suite: discovery, --tag/--grep, --shard, --repeat")
struct SuiteTests {
    static func scenario(_ name: String, tags: [String] = []) -> String {
        "name: \(name)\ntags: [\(tags.joined(separator: ", "))]\nsteps:\n  - name: s\n    operation: GetMaster\n"
    }

    static let files = ScenarioFiles.memory([
        "checks/b.yaml": scenario("beta", tags: ["reads"]),
        "checks/a.yaml": scenario("alpha", tags: ["writes"]),
        "checks/c.yml": scenario("gamma"),
        "checks/notes.txt": "not a scenario",
        "checks/deeper/d.yaml": scenario("delta"),
        "empty/readme.md": "",
        "one.yaml": scenario("single"),
    ])

    @Test("a folder's *.yaml and *.yml files load in name order; a file loads as given; no paths means the built-in ones")
    func discovery() throws {
        #expect(try Suite.load(paths: ["checks"], files: Self.files).map(\.name) == ["alpha", "beta", "gamma"])
        #expect(try Suite.load(paths: ["one.yaml", "checks/"], files: Self.files).map(\.name) == ["single", "alpha", "beta", "gamma"])
        #expect(try Suite.load(paths: []).map(\.file) == EmbeddedScenarios.all.map(\.file))
    }

    @Test("missing paths, folders without scenarios and folders given as files are errors naming the path")
    func badPaths() {
        #expect(throws: HarnessError.self) { try Suite.load(paths: ["nope.yaml"], files: Self.files) }
        do {
            _ = try Suite.load(paths: ["empty"], files: Self.files)
            Issue.record("a folder with no scenario files loaded")
        } catch {
            #expect(error.description == "empty: a folder with no *.yaml or *.yml scenario files")
        }
        do {
            _ = try Suite.load(paths: ["nope.yaml"], files: Self.files)
        } catch {
            #expect(error.description == "nope.yaml: no such file or folder")
        }
    }

    @Test("--tag and --grep select; nothing selected names what was asked and what there is")
    func selection() throws {
        let all = try Suite.load(paths: ["checks"], files: Self.files)
        #expect(try Suite(all, selection: .init(tags: ["reads", "writes"])).selected.map(\.name) == ["alpha", "beta"])
        #expect(try Suite(all, selection: .init(grep: "AMM")).selected.map(\.name) == ["gamma"])
        #expect(try Suite(all, selection: .init(tags: ["writes"], grep: "ph")).selected.map(\.name) == ["alpha"], "both must hold")
        do {
            _ = try Suite(all, selection: .init(tags: ["nightly"], grep: "x"))
            Issue.record("an empty selection was accepted")
        } catch {
            #expect(error.message == "no scenario matches --tag nightly and --grep 'x' (there are 3: alpha, beta, gamma)")
        }
    }

    @Test("--shard i/n takes every n-th from the i-th, so the shards cover each scenario once; --repeat repeats the queue")
    func shards() throws {
        let all = try Suite.load(paths: ["checks", "one.yaml"], files: Self.files)
        var seen: [String] = []
        for i in 1...3 {
            let suite = try Suite(all, selection: .init(shard: Shard(argument: "\(i)/3")))
            seen += suite.scenarios.map(\.name)
        }
        #expect(seen.sorted() == all.map(\.name).sorted())
        #expect(try Suite(all, selection: .init(shard: Shard(argument: "2/3"))).scenarios.map(\.name) == ["beta"])
        #expect(try Suite(all, selection: .init(shard: Shard(argument: "4/4"))).scenarios.map(\.name) == ["single"])
        let five = try Suite(all, selection: .init(shard: Shard(argument: "5/5")))
        #expect(five.scenarios.isEmpty && five.selected.count == 4, "a shard can be empty")
        #expect(try Suite(all, selection: .init(repeat: 3)).queue.count == 12)
        for bad in ["0/3", "4/3", "1/0", "x/2", "1/2/3", "2"] { #expect(Shard(argument: bad) == nil, "\(bad)") }
    }

    @Test("--var name=value (the value may hold '='); anything else names the option")
    func overrides() throws {
        #expect(try VarOverrides.parse(["a=1", "b=x=y", "c="]) == ["a": "1", "b": "x=y", "c": ""])
        #expect(throws: HarnessError.self) { try VarOverrides.parse(["novalue"]) }
        #expect(throws: HarnessError.self) { try VarOverrides.parse(["=1"]) }
    }
}
