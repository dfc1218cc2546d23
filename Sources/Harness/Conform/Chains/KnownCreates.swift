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
        guard model.isDetermined else { return nil }
        switch op.id {
        case "CreateExperiment": return experiment(name: name, runID: runID)
        case "PostWebhook": return webhook(runID: runID)
        default: return nil
        }
    }

    /// A webhook the master takes (§29: at least one trigger, a request URI, a type), that never fires: it is
    /// SPECIFIC (only experiments whose config names it), on a COMPLETED state change (the run's experiment is
    /// killed), and its URL is the discard port of the loopback address.
    static func webhook(runID: String) -> [(String, JSONValue)] {
        let trigger: JSONValue = .object(
            JSONObject([
                .init(key: "triggerType", value: "TRIGGER_TYPE_EXPERIMENT_STATE_CHANGE"),
                .init(key: "condition", value: .object(JSONObject([.init(key: "state", value: "COMPLETED")]))),
            ]))
        return [
            ("url", .string(Sweep.harmlessURL(runID: runID))), ("triggers", .array([trigger])), ("webhookType", "WEBHOOK_TYPE_DEFAULT"),
            ("mode", "WEBHOOK_MODE_SPECIFIC"),
        ]
    }

    /// The smallest experiment config a master takes, paused and never activated.
    static func experiment(name: String, runID: String) -> [(String, JSONValue)] {
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
