import Foundation
import JSON
import OpenAPI

/// CreateExperiment, as far as a client that never trains can see it: the experiment row, paused unless activated.
///
/// The reference does not trace this handler; what is modelled follows the spec's request and answer and the
/// lifecycle of §9 and §11 (docs/mock.md lists it as an uncertainty). An experiment created here has no trials, so
/// a kill or cancel ends it at once (§11.3) and it can then be deleted (§11.4).
extension ClusterStore {
    /// `{modelDefinition, config, validateOnly, parentId, activate, projectId, template, unmanaged}` →
    /// `{experiment, config, warnings}`.
    func createExperiment(caller: MockUser, body: JSONValue) throws(GatewayError) -> JSONValue {
        advance()
        let text = try MockGateway.string(body, "config")
        let config: JSONValue
        do {
            config = try YAMLConversion.value(from: text)
        } catch {
            throw GatewayError(.invalidArgument, "invalid experiment configuration: \(error.message)")
        }
        guard let fields = config.objectValue else {
            throw GatewayError(.invalidArgument, "invalid experiment configuration: the config must be a YAML mapping")
        }
        let unmanaged = try MockGateway.bool(body, "unmanaged")
        let searcher = fields["searcher"]?.objectValue
        if !unmanaged {
            guard fields["entrypoint"] != nil else {
                throw GatewayError(.invalidArgument, "invalid experiment configuration: entrypoint is a required property")
            }
            guard let searcher, searcher["name"]?.stringValue != nil else {
                throw GatewayError(.invalidArgument, "invalid experiment configuration: searcher.name is a required property")
            }
        }
        var projectID = try MockGateway.int(body, "projectId", "project_id")
        if projectID == 0 { projectID = 1 }
        guard let project = state.projects.first(where: { $0.id == projectID }) else { throw .notFound("project", projectID) }
        if project.archived || (state.workspaces.first { $0.id == project.workspaceID }?.archived ?? false) {
            throw GatewayError(.failedPrecondition, "project \(projectID) is archived and cannot add new experiments")
        }
        let parent = try MockGateway.int(body, "parentId", "parent_id")
        if parent != 0, !state.experiments.contains(where: { $0.id == parent }) { throw .notFound("experiment", parent) }
        if try MockGateway.bool(body, "validateOnly", "validate_only") {
            return MockJSON.object([("config", config), ("warnings", .array([]))])
        }
        let activate = try MockGateway.bool(body, "activate")
        let labels = (fields["labels"]?.arrayValue ?? []).compactMap(\.stringValue)
        let now = clock.now()
        let e = MockExperiment(
            id: (state.experiments.map(\.id).max() ?? 0) + 1, name: fields["name"]?.stringValue ?? "Experiment",
            description: fields["description"]?.stringValue ?? "", labels: labels, ownerID: caller.id,
            state: unmanaged || activate ? "ACTIVE" : "PAUSED", archived: false, startTime: now, endTime: nil, numTrials: 0,
            projectID: projectID, searcherType: searcher?["name"]?.stringValue ?? "single",
            searcherMetric: searcher?["metric"]?.stringValue ?? "", resourcePool: "default", progress: nil,
            forkedFrom: parent == 0 ? nil : parent, jobID: UUID().uuidString.lowercased(), checkpointSize: 0, checkpointCount: 0,
            notes: "", unmanaged: unmanaged, pendingAt: nil, pendingState: nil)
        state.experiments.append(e)
        persist()
        return MockJSON.object([
            ("experiment", MockJSON.experiment(e, list: false, store: state, now: now)), ("config", MockJSON.config(e)),
            ("warnings", .array([])),
        ])
    }
}
