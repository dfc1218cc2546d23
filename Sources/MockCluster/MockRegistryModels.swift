import Foundation
import JSON

/// A JSON value kept in the state file as its JSON text (metadata, template configs), since `JSONValue` itself
/// is not `Codable`.
struct StoredJSON: Sendable, Codable, Equatable {
    var value: JSONValue

    init(_ value: JSONValue) { self.value = value }

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            value = try JSONValue(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not JSON: \(error.message)"))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(JSONWriter(sortedKeys: true).string(value))
    }

    static let emptyObject = StoredJSON(.object(JSONObject()))
}

/// A registered model (reference part 4 §26): a name unique case-sensitively, owned by its creator, in a workspace.
struct MockModel: Sendable, Codable {
    var id: Int
    var name: String
    var description: String
    var metadata: StoredJSON
    var labels: [String]
    var notes: String
    var ownerID: Int
    var workspaceID: Int
    var archived: Bool
    var created: Date
    var updated: Date
}

/// One version of a model: a checkpoint uuid with a number (`MAX + 1` per model) and its own notes.
///
/// The checkpoint's place (experiment, trial, index) is kept because checkpoints are derived from experiments: the
/// version is shown only while its experiment exists, as the master's view joins the checkpoint row.
struct MockModelVersion: Sendable, Codable {
    var id: Int
    var modelID: Int
    var version: Int
    var checkpointUUID: String
    var experimentID: Int
    var trial: Int
    var checkpointIndex: Int
    var name: String
    var comment: String
    var metadata: StoredJSON
    var labels: [String]
    var notes: String
    var ownerID: Int
    var created: Date
    var updated: Date
}

/// An experiment-config template (§27): keyed by name, in a workspace.
struct MockTemplate: Sendable, Codable {
    var name: String
    var config: StoredJSON
    var workspaceID: Int
}

/// A webhook (§29): global when `workspaceID` is 0.
struct MockWebhook: Sendable, Codable {
    var id: Int
    var url: String
    var triggers: [MockTrigger]
    var webhookType: String
    var name: String
    var workspaceID: Int
    var mode: String
}

/// One trigger of a webhook.
struct MockTrigger: Sendable, Codable {
    var id: Int
    var triggerType: String
    var condition: StoredJSON
}
