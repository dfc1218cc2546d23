import Harness
import JSON
import OpenAPI
import Reports
import Testing

@Suite("Scenario files: parsing, static checks, JSONPath, templates")
struct ScenarioParserTests {
    static let model = try! SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source)

    @Test("the built-in scenarios parse and pass the static check")
    func builtIn() throws {
        for source in EmbeddedScenarios.all {
            let scenario = try ScenarioParser.parse(source.text, file: source.file)
            try ScenarioChecker(model: Self.model).check(scenario, predefined: ["token"])
            #expect(!scenario.steps.isEmpty)
        }
    }

    @Test(
        "mistakes are reported with file:line:column and the nearest valid name",
        arguments: [
            ("name: x\nstepz: []\n", "x.yaml:2:1: unknown scenario key 'stepz'; did you mean 'steps'?"),
            (
                "name: x\nsteps:\n  - name: a\n    operation: GetExperimnts\n",
                "x.yaml:3:5: step 'a': no operation 'GetExperimnts' in (built-in) specs/determined.swagger.json; did you mean 'GetExperiments'?"
            ),
            (
                "name: x\nsteps:\n  - name: a\n    operation: GetExperiment\n",
                "x.yaml:3:5: step 'a': GetExperiment needs the path parameter 'experimentId'"
            ),
            (
                "name: x\nsteps:\n  - name: a\n    operation: GetExperiments\n    query: {limt: 1}\n",
                "x.yaml:3:5: step 'a': GetExperiments has no query parameter 'limt'; did you mean 'limit'?"
            ),
            (
                "name: x\nsteps:\n  - name: a\n    operation: GetExperiment\n    path: {experimentId: '{{id}}'}\n",
                "x.yaml:3:5: step 'a': undefined variable 'id' (define it under vars, or capture it in an earlier step)"
            ),
            (
                "name: x\nsteps:\n  - name: a\n    operation: GetMaster\n    expect: {stauts: 200}\n",
                "x.yaml:5:14: unknown expect key 'stauts'; did you mean 'status'?"
            ),
            (
                "name: x\nsteps:\n  - name: a\n    operation: GetMaster\n    capture: {v: '$.a['}\n",
                "x.yaml:5:18: bad JSONPath '$.a[': '[' is not closed"
            ),
            (
                "name: x\nsteps:\n  - name: a\n    operation: Login\n    body: {username: 5}\n",
                "x.yaml:3:5: step 'a': the body does not match Login's request schema: /username: expected string, found integer 5"
            ),
            (
                "name: x\nvars:\n  a: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\nsteps: []\n",
                "x.yaml:3:262: nested more than 256 levels deep; detapi stops here"
            ),
            (
                "name: x\nsteps:\n  - name: a\n    operation: GetMaster\n    expect: {json: {$.a: {matches: '[a-'}}}\n",
                "x.yaml:5:27: 'matches': '[a-' is not a regular expression"
            ),
            (
                "name: x\nsteps:\n  - name: a\n    operation: GetMaster\n    expect: {json: {$.a: {type: integr}}}\n",
                "x.yaml:5:27: 'type' is one of string, integer, number, boolean, array, object, null; did you mean 'integer'?"
            ),
            (
                "name: x\nsteps:\n  - name: a\n    operation: GetMaster\n    expect: {json: {$.a: {equal: 1}}}\n",
                "x.yaml:5:27: unknown check 'equal'; did you mean 'equals'? (to compare with an object, write {equals: {...}})"
            ),
            (
                "name: x\nsteps:\n  - name: a\n    operation: GetMaster\n    capture: {v: {json: $.a, secrit: true}}\n",
                "x.yaml:5:30: unknown capture key 'secrit'; did you mean 'secret'?"
            ),
            (
                "name: x\nsteps:\n  - name: a\n    operation: GetMaster\n    retry: {until: {json: $.a, equals: 1}, timout: 5s}\n",
                "x.yaml:5:44: unknown retry key 'timout'; did you mean 'timeout'?"
            ),
            (
                "name: x\nsteps:\n  - name: a\n    operation: GetMaster\n    retry: {until: {json: $.a, equals: 1}, timeout: 10 seconds}\n",
                "x.yaml:5:53: 'timeout': '10 seconds' is not a duration; write e.g. 10s, 250ms or 2m"
            ),
            (
                "name: x\nsteps:\n  - name: a\n    operation: GetMaster\n    retry: {until: {json: $.a, equals: 1}, backoff: 0.5}\n",
                "x.yaml:5:53: 'backoff' is the factor each wait grows by, a number from 1 to 10 (e.g. 2)"
            ),
        ])
    func errors(text: String, message: String) {
        do {
            let scenario = try ScenarioParser.parse(text, file: "x.yaml")
            try ScenarioChecker(model: Self.model).check(scenario, predefined: ["token"])
            Issue.record("expected: \(message)")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }

    @Test("retry waits grow by the backoff factor up to max_interval; a plain interval stays fixed")
    func retryWaits() throws {
        let text = """
            name: x
            steps:
              - name: a
                operation: GetMaster
                retry: {until: {json: $.a, equals: 1}, interval: 100ms, backoff: 2, max_interval: 1s, timeout: 1m}
              - name: b
                operation: GetMaster
                retry: {until: {json: $.a, equals: 1}, interval: 250ms}
            """
        let scenario = try ScenarioParser.parse(text, file: "x.yaml")
        let grows = try #require(scenario.steps[0].retry)
        #expect((1...6).map { grows.wait(after: $0) } == [0.1, 0.2, 0.4, 0.8, 1, 1])
        #expect(grows.timeout == 60)
        let fixed = try #require(scenario.steps[1].retry)
        #expect((1...3).map { fixed.wait(after: $0) } == [0.25, 0.25, 0.25])
        #expect(fixed.timeout == 10)
    }

    @Test("the dry-run plan shows each request as it would be sent, marks every non-GET, and masks secret fields")
    func plan() throws {
        let scenarios = try EmbeddedScenarios.all.filter { $0.file.hasSuffix("unarchive.yaml") }.map {
            try ScenarioParser.parse($0.text, file: $0.file)
        }
        let text = PlanReport.render(Plan(scenarios, model: Self.model))
        #expect(text.contains("POST   /api/v1/experiments/{{id}}/unarchive  ← POST"))
        #expect(text.contains("GET    /api/v1/experiments/{{id}}  polls up to 10s\n"))
        #expect(text.contains(#"{"username":"{{user}}","password":"***"}"#))
        #expect(text.hasSuffix("1 scenario, 6 requests (3 with a method other than GET, marked ←); nothing sent (--dry-run)\n"))
        #expect(DurationText.describe(0.25) == "250ms" && DurationText.describe(90) == "90s" && DurationText.describe(120) == "2m")
    }

    @Test(
        "--max-body sizes: K/M/G (binary), an optional B or iB, or bytes; zero, negative, fractions and overflow are refused",
        arguments: [
            ("512K", 512 << 10), ("64M", 64 << 20), ("1g", 1 << 30), ("2GiB", 2 << 30), ("100MB", 100 << 20), ("4096", 4096),
            (" 8M ", 8 << 20), ("0", nil), ("-1M", nil), ("1.5M", nil), ("M", nil), ("", nil), ("17G", nil),
            ("99999999999999999999", nil), ("9223372036854775807K", nil),
        ] as [(String, Int?)])
    func byteSizes(text: String, bytes: Int?) {
        #expect(ByteSizeText.bytes(text) == bytes)
    }

    @Test("a YAML alias bomb in a scenario is an error at its line, not a hang")
    func aliasBomb() {
        let levels =
            ["a: &a [x, x, x, x, x, x, x, x, x]"]
            + (1..<9).map { i -> String in
                let name = String(UnicodeScalar(UInt8(97 + i)))
                let previous = String(UnicodeScalar(UInt8(96 + i)))
                return "\(name): &\(name) [" + Array(repeating: "*" + previous, count: 9).joined(separator: ", ") + "]"
            }
        let text = "name: bomb\nvars:\n" + levels.map { "  " + $0 }.joined(separator: "\n") + "\nsteps: []\n"
        do {
            _ = try ScenarioParser.parse(text, file: "bomb.yaml")
            Issue.record("the bomb parsed")
        } catch {
            #expect(error.description.hasPrefix("bomb.yaml:"), "\(error.description)")
            #expect(error.description.contains("YAML aliases expand this file to more values than it has bytes"))
        }
    }

    @Test("JSONPath: names, indexes, negative indexes, wildcards, filters")
    func jsonPath() throws {
        let doc: JSONValue = [
            "experiments": [
                ["id": 1, "state": "STATE_RUNNING"], ["id": 2, "state": "STATE_COMPLETED"], ["id": 3, "state": "STATE_COMPLETED"],
            ], "a b": true,
        ]
        #expect(try JSONPath("$.experiments[0].id").first(doc) == 1)
        #expect(try JSONPath("$.experiments[-1].id").first(doc) == 3)
        #expect(try JSONPath("$.experiments[*].id").select(doc) == [1, 2, 3])
        #expect(try JSONPath("$.experiments[?(@.state=='STATE_COMPLETED')].id").select(doc) == [2, 3])
        #expect(try JSONPath("$.experiments[?(@.state != 'STATE_COMPLETED')].id").select(doc) == [1])
        #expect(try JSONPath("$['a b']").first(doc) == true)
        #expect(try JSONPath("$.missing").first(doc) == nil)
        #expect(throws: HarnessError.self) { try JSONPath("experiments") }
    }

    @Test("templates: whole values keep their type, parts interpolate, ${ENV:-default}")
    func templates() throws {
        var vars = Variables()
        vars.set("id", 16, secret: false)
        vars.set("name", "mnist", secret: false)
        #expect(try vars.expand("{{id}}") == 16)
        #expect(try vars.expand(["path": "/x/{{id}}/{{name}}"]) == ["path": "/x/16/mnist"])
        #expect(throws: HarnessError.self) { try vars.expand("{{nope}}") }
        #expect(Variables.expandEnvironment("${DETAPI_TEST_UNSET:-determined}", environment: [:]) == "determined")
        #expect(Variables.expandEnvironment("${USER_X:-d}", environment: ["USER_X": "admin"]) == "admin")
        #expect(Variables.expandEnvironment("${USER_X:-d}", environment: ["USER_X": ""]) == "d")
    }
}

@Suite("Scenario includes")
struct IncludeTests {
    @Test("include: puts the included vars and steps first, relative to the including file")
    func include() throws {
        let files = [
            "dir/login.yaml":
                "name: login\nvars: {user: determined}\nsteps:\n  - name: log in\n    operation: Login\n    auth: none\n    body: {username: '{{user}}', password: ''}\n",
            "dir/main.yaml": "name: main\ninclude: login.yaml\nsteps:\n  - name: me\n    operation: GetMe\n",
        ]
        let s = try ScenarioParser.parse(files["dir/main.yaml"]!, file: "dir/main.yaml") { files[$0] }
        #expect(s.steps.map(\.name) == ["log in", "me"])
        #expect(s.vars.map(\.name) == ["user"])
        #expect(s.steps[0].location.file == "dir/login.yaml")
        do {
            _ = try ScenarioParser.parse("name: x\ninclude: missing.yaml\nsteps: []\n", file: "dir/x.yaml") { files[$0] }
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "dir/x.yaml:2:10: cannot read the included file dir/missing.yaml")
        }
    }
}
