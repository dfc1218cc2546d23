import Foundation
import JSON
import OpenAPI
import Testing

@Suite("Overlays (OpenAPI Overlay 1.0)")
struct OverlayTests {
    static func overlay(_ text: String) throws(SpecError) -> Overlay { try Overlay.parse(Array(text.utf8), source: "o.yaml") }

    static let document: JSONValue = try! JSONValue(
        parsing:
            #"{"paths":{"/a":{"get":{"responses":{"default":{"d":1}}},"post":{"responses":{"default":{"d":2},"200":{}}}},"/b":{"get":{"responses":{}}}},"list":[1,2,3],"deep":{"x":{"title":"t"},"y":[{"title":"u"}]}}"#
    )

    @Test("update merges objects, appends to arrays, replaces scalars; wildcards, indices, quoted names and .. pick the places")
    func apply() throws {
        let o = try Self.overlay(
            """
            overlay: 1.0.0
            info: {title: t, version: 1}
            actions:
              - target: $.paths.*.*.responses.default
                update: {d: 9, e: true}
              - target: $.list
                update: [4]
              - target: $.paths['/b']
                remove: true
              - target: $..title
                update: T
              - target: $.list[0]
                remove: true
              - target: $.missing
                update: {a: 1}
            """)
        let (out, applied) = o.apply(to: Self.document)
        #expect(out["paths"]?["/a"]?["get"]?["responses"]?["default"] == ["d": 9, "e": true])
        #expect(out["paths"]?["/a"]?["post"]?["responses"]?["default"] == ["d": 9, "e": true])
        #expect(out["paths"]?["/a"]?["post"]?["responses"]?["200"] == [:], "a sibling is left alone")
        #expect(out["paths"]?["/b"] == nil)
        #expect(out["list"] == [2, 3, 4])
        #expect(out["deep"]?["x"]?["title"] == "T" && out["deep"]?["y"]?[0]?["title"] == "T")
        #expect(applied.map(\.matches) == [2, 1, 1, 2, 1, 0])
        #expect(applied.last?.text == "t: $.missing (0 places)")
    }

    @Test(
        "a bad overlay names the file, the line and what is wrong",
        arguments: [
            ("info: {title: t}\nactions: []\n", "o.yaml:1: 'overlay' must name the Overlay version, 1.0.0"),
            ("overlay: 1.0.0\nactions: []\n", "o.yaml:1: 'actions' is a list of {target, update or remove}"),
            ("overlay: 1.0.0\nactions:\n  - target: $.a\n    update: {}\n  - update: {a: 1}\n", "o.yaml:5: action 2 needs a 'target'"),
            ("overlay: 1.0.0\nactions:\n  - target: $.a\n", "o.yaml:3: action 1 ($.a) needs 'update' or 'remove: true'"),
            ("overlay: 1.0.0\nactions:\n  - target: $.a[?(@.x)]\n    remove: true\n", "o.yaml:3: target '$.a[?(@.x)]'"),
            ("overlay: 1.0.0\nactions:\n  - target: paths\n    remove: true\n", "o.yaml:3: target 'paths': a target starts with $"),
            ("overlay: [1.0.0\n", "o.yaml:"),
        ])
    func errors(text: String, message: String) {
        do {
            _ = try Self.overlay(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }

    @Test("the built-in Determined overlay parses, and leaves detapi's own spec alone (it says these things itself)")
    func builtIn() throws {
        let overlay = try #require(DeterminedOverlay.overlay)
        #expect(overlay.actions.count >= 7)
        let own = try SpecLoader.load(bytes: Array(EmbeddedSpec.text.utf8), source: EmbeddedSpec.source, strict: true)
        #expect(own.overlaysApplied.isEmpty)
    }

    @Test(
        "the full Determined spec: a master's error envelope validates against default with the built-in overlay, not without",
        .enabled(if: SharedFixtures.hasDeterminedSpec, "../shared spec not found; skipped"))
    func envelope() throws {
        let body = try JSONDocument(parsing: Array(#"{"error":{"code":16,"reason":"Unauthenticated","error":"token missing"}}"#.utf8))
        let with = try SpecLoader.load(path: SharedFixtures.determinedSpec.path)
        let without = try SpecLoader.load(path: SharedFixtures.determinedSpec.path, overlays: SpecOverlays(builtIn: false))
        #expect(
            with.overlaysApplied.allSatisfy { $0.matches > 0 }, "every built-in action finds its place: \(with.overlaysApplied.map(\.text))"
        )
        #expect(without.overlaysApplied.isEmpty)
        for (model, valid) in [(with, true), (without, false)] {
            let node = try #require(model.operation(id: "GetExperiments")?.response(for: 401)?.schemaNode)
            #expect(model.validator().validate(body, against: node).isValid == valid)
        }
        let workload = try JSONDocument(parsing: Array(#"{"metrics":{"avgMetrics":null},"numInputs":1,"totalBatches":2}"#.utf8))
        let node = try #require(with.schemaNode(named: "v1MetricsWorkload"))
        #expect(with.validator().validate(workload, against: node).isValid, "no state, null avgMetrics: as a master sends")
    }
}
