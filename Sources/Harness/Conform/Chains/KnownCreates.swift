import Foundation
import JSON
import OpenAPI

/// Create bodies conform cannot infer from a spec, for the APIs it knows.
///
/// Determined's CreateExperiment takes its config as YAML inside a string, which no schema describes; conform sends
/// the smallest config a master takes, with `activate: false`, so the experiment is made paused and never trains.
enum KnownCreates {
    /// The fields that replace the inferred ones in `op`'s body, or nil when conform knows nothing of `op`.
    static func fields(_ op: OpenAPI.Operation, model: APIModel, name: String, runID: String) -> [(String, JSONValue)]? {
        guard model.isDetermined, op.id == "CreateExperiment" else { return nil }
        let config = """
            name: \(name)
            description: made by detapi conform \(runID); never activated, and deleted by the same run
            entrypoint: "true"
            searcher:
              name: single
              metric: loss
              max_length:
                batches: 1
            resources:
              slots_per_trial: 0
            max_restarts: 0
            """
        let readme = Data("made by detapi conform \(runID); this experiment is never activated\n".utf8).base64EncodedString()
        let file: JSONValue = .object(
            JSONObject([
                .init(key: "path", value: "README.txt"), .init(key: "type", value: .number(JSONNumber(48))),
                .init(key: "content", value: .string(readme)), .init(key: "mtime", value: "0"),
                .init(key: "mode", value: .number(JSONNumber(420))), .init(key: "uid", value: .number(JSONNumber(0))),
                .init(key: "gid", value: .number(JSONNumber(0))),
            ]))
        return [("config", .string(config)), ("modelDefinition", .array([file])), ("activate", false), ("unmanaged", false)]
    }
}
