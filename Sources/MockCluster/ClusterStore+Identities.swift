import Foundation
import JSON

/// What the mock knows of an object a path names, for the answers it samples instead of modelling.
enum KnownObject: Sendable {
    /// A kind the mock does not keep (agents, tasks, webhooks …): the sample stands.
    case untracked
    /// A kind it keeps, and no such object: the gateway's 404.
    case missing(GatewayError)
    /// The object: its own fields (set on the answer's member named `owner`) and its parents' ids (set at any depth
    /// where the answer has a field of that name).
    case found(owner: String, fields: [String: JSONValue], parents: [String: JSONValue])
}

/// Resolves a path parameter (`trialId`, `{id}` after `/experiments/`, `modelName`, …) to an object the mock keeps.
extension ClusterStore {
    /// The kind a path parameter names: `trialId` → trial, `experiment.id` → experiment, `{id}` after `/projects/` →
    /// project, `modelName` → model, `templateName`/`template.name` → template, `checkpointUuid` → checkpoint.
    static func objectKind(parameter name: String, previousSegment: String) -> String? {
        let lowered = name.lowercased()
        for suffix in ["uuid", "id", "name"] where lowered.hasSuffix(suffix) && lowered.count > suffix.count {
            return String(lowered.dropLast(suffix.count)).trimmingCharacters(in: CharacterSet(charactersIn: "._"))
        }
        if lowered == "id" { return previousSegment.hasSuffix("s") ? String(previousSegment.dropLast()) : previousSegment }
        return nil
    }

    func lookup(kind: String, _ text: String) -> KnownObject {
        advance()
        let id = Int(text)
        switch kind {
        case "experiment":
            guard let e = state.experiments.first(where: { $0.id == id }) else { return .missing(.notFound("experiment", id ?? 0)) }
            return .found(owner: kind, fields: ["id": MockJSON.int(e.id), "name": .string(e.name)], parents: experimentParents(e))
        case "trial":
            guard let id, let (e, _) = trialOwner(id) else { return .missing(.notFound("trial", id ?? 0)) }
            return .found(
                owner: kind, fields: ["id": MockJSON.int(id)], parents: experimentParents(e).merging(["trialId": MockJSON.int(id)]) { $1 })
        case "project":
            guard let p = state.projects.first(where: { $0.id == id }) else { return .missing(.notFound("project", id ?? 0)) }
            return .found(
                owner: kind, fields: ["id": MockJSON.int(p.id), "name": .string(p.name), "workspaceId": MockJSON.int(p.workspaceID)],
                parents: ["projectId": MockJSON.int(p.id), "workspaceId": MockJSON.int(p.workspaceID)])
        case "workspace":
            guard let w = state.workspaces.first(where: { $0.id == id }) else { return .missing(.notFound("workspace", id ?? 0)) }
            return .found(
                owner: kind, fields: ["id": MockJSON.int(w.id), "name": .string(w.name)], parents: ["workspaceId": MockJSON.int(w.id)])
        case "user":
            guard let u = state.users.first(where: { $0.id == id || (id == nil && $0.username == text) }) else {
                return .missing(GatewayError(.notFound, "user not found"))
            }
            return .found(
                owner: kind, fields: ["id": MockJSON.int(u.id), "username": .string(u.username)], parents: ["userId": MockJSON.int(u.id)])
        case "model":
            guard let i = try? modelIndex(text) else { return .missing(GatewayError(.notFound, "model \(Self.goQuoted(text)) not found")) }
            let m = state.models[i]
            return .found(
                owner: kind,
                fields: [
                    "id": MockJSON.int(m.id), "name": .string(m.name), "workspaceId": MockJSON.int(m.workspaceID),
                    "userId": MockJSON.int(m.ownerID),
                ],
                parents: ["modelId": MockJSON.int(m.id), "modelName": .string(m.name)])
        case "template":
            guard let t = state.templates.first(where: { $0.name == text }) else {
                return .missing(GatewayError(.notFound, "template '\(text)' not found"))
            }
            return .found(owner: kind, fields: ["name": .string(t.name), "workspaceId": MockJSON.int(t.workspaceID)], parents: [:])
        case "checkpoint":
            guard let (e, k, _) = checkpointLocation(text.lowercased()) else {
                return .missing(GatewayError(.notFound, "checkpoint '\(text)' not found"))
            }
            return .found(
                owner: kind, fields: ["uuid": .string(text.lowercased())],
                parents: experimentParents(e).merging(["trialId": MockJSON.int(e.id * 100 + k)]) { $1 })
        default:
            return .untracked
        }
    }

    private func experimentParents(_ e: MockExperiment) -> [String: JSONValue] {
        let workspace = state.projects.first { $0.id == e.projectID }?.workspaceID ?? 0
        return ["experimentId": MockJSON.int(e.id), "projectId": MockJSON.int(e.projectID), "workspaceId": MockJSON.int(workspace)]
    }
}
