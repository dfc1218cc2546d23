import Foundation
import JSON
import OpenAPI

/// The deterministic dataset a fresh mock starts with: two users, the "Uncategorized" workspace and project
/// plus a second workspace with two projects, and `experiments` experiments in mixed states, some archived.
enum SeedData {
    static func state(seed: UInt64, experiments count: Int, passwordHash: String?, now: Date) -> MockState {
        var rng = SeededRandom(seed)
        let migrated = now.addingTimeInterval(-86_400 * 30)
        let users = [
            MockUser(
                id: 1, username: "admin", admin: true, active: true, displayName: "", passwordHash: passwordHash, modifiedAt: migrated,
                lastAuthAt: nil),
            MockUser(
                id: 2, username: "determined", admin: false, active: true, displayName: "", passwordHash: passwordHash,
                modifiedAt: migrated, lastAuthAt: nil),
        ]
        let hex = Array("0123456789ABCDEF")
        let workspaces = [
            MockWorkspace(id: 1, name: "Uncategorized", archived: false, ownerID: 1, immutable: true),
            MockWorkspace(id: 2, name: "Research", archived: false, ownerID: 2, immutable: false),
        ]
        let projects = [
            MockProject(
                id: 1, name: "Uncategorized", workspaceID: 1, description: "", archived: false, ownerID: 1, immutable: true,
                key: "UNC" + String([hex[rng.below(16)], hex[rng.below(16)]])),
            MockProject(
                id: 2, name: "Vision", workspaceID: 2, description: "Image models", archived: false, ownerID: 2, immutable: false,
                key: "VIS"),
            MockProject(
                id: 3, name: "Language", workspaceID: 2, description: "Text models", archived: false, ownerID: 2, immutable: false,
                key: "LAN"),
        ]
        // States by weight: mostly finished, some running or paused, a few errors.
        let states = ["COMPLETED", "COMPLETED", "COMPLETED", "CANCELED", "ERROR", "ACTIVE", "ACTIVE", "PAUSED"]
        let names = ["mnist", "cifar10", "resnet50", "bert-base", "gpt2-finetune", "unet", "iris"]
        let searchers = ["single", "adaptive_asha", "grid", "random"]
        let labelSets: [[String]] = [[], [], ["baseline"], ["nightly"], ["baseline", "nightly"], ["sweep"]]
        var experiments: [MockExperiment] = []
        for id in 1...max(0, count) {
            // The first experiments cover every case a scenario needs, whatever the seed.
            var state = states[rng.below(states.count)]
            if id == 1 || id == 2 { state = "COMPLETED" }
            if id == 3 { state = "ACTIVE" }
            if id == 4 { state = "PAUSED" }
            let terminal = MockExperiment.terminal.contains(state)
            let archived = id == 2 || (terminal && id > 4 && rng.below(4) == 0)
            let start = now.addingTimeInterval(-Double(86_400 * (count - id + 1)) - Double(rng.below(3600)))
            let name = names[rng.below(names.count)]
            let project = id <= 4 ? 1 : [1, 1, 2, 3][rng.below(4)]
            experiments.append(
                MockExperiment(
                    id: id, name: "\(name)-\(searchers[id % searchers.count])", description: "\(name) experiment \(id)",
                    labels: labelSets[rng.below(labelSets.count)], ownerID: id % 3 == 0 ? 1 : 2, state: state, archived: archived,
                    startTime: start, endTime: terminal ? start.addingTimeInterval(Double(600 + rng.below(7200))) : nil,
                    numTrials: 1 + rng.below(8), projectID: project, searcherType: searchers[id % searchers.count],
                    searcherMetric: "validation_loss", resourcePool: "default",
                    progress: state == "COMPLETED" ? 1.0 : (terminal ? Double(rng.below(100)) / 100 : nil),
                    forkedFrom: id > 5 && rng.below(6) == 0 ? id - 1 - rng.below(3) : nil, jobID: rng.uuid(),
                    checkpointSize: Int64(rng.below(900_000_000)), checkpointCount: rng.below(12), notes: "", unmanaged: false,
                    pendingAt: nil, pendingState: nil))
        }
        return MockState(
            clusterID: rng.uuid(), users: users, sessions: [], experiments: experiments, workspaces: workspaces, projects: projects,
            accessTokens: [])
    }
}

extension SeedData {
    /// The seeded model registry and templates, derived from the experiments so that every run with the same seed
    /// starts alike: one model per two experiments (at least three), `id % 4` versions each on checkpoints of
    /// completed experiments after the first four (so experiments 1–4 stay deletable), and two templates.
    static func registry(experiments: [MockExperiment], users: [MockUser]) -> (
        models: [MockModel], versions: [MockModelVersion], templates: [MockTemplate]
    ) {
        let count = max(3, experiments.count / 2)
        let base = experiments.first?.startTime ?? Date(timeIntervalSince1970: 1_700_000_000)
        let checkpoints = experiments.filter { $0.id > 4 && $0.state == "COMPLETED" }.flatMap { e in
            ClusterStore.checkpointUUIDs(e, 0).enumerated().map { (experiment: e.id, index: $0.offset, uuid: $0.element) }
        }
        var models: [MockModel] = []
        var versions: [MockModelVersion] = []
        for id in 1...count {
            let owner = users.isEmpty ? 1 : users[id % users.count].id
            let created = base.addingTimeInterval(Double(id * 3_600))
            models.append(
                MockModel(
                    id: id, name: "model-\(id)", description: id % 2 == 0 ? "registered from experiment \(id * 2)" : "",
                    metadata: .emptyObject, labels: id % 3 == 0 ? ["production"] : [], notes: "", ownerID: owner,
                    workspaceID: id % 2 + 1, archived: id % 5 == 0, created: created,
                    updated: created.addingTimeInterval(Double((id * 7) % 24) * 3_600)))
            guard !checkpoints.isEmpty else { continue }
            for version in 1...max(1, id % 4) where id % 4 > 0 {
                let checkpoint = checkpoints[(id * 3 + version) % checkpoints.count]
                versions.append(
                    MockModelVersion(
                        id: versions.count + 1, modelID: id, version: version, checkpointUUID: checkpoint.uuid,
                        experimentID: checkpoint.experiment, trial: 0, checkpointIndex: checkpoint.index, name: "", comment: "",
                        metadata: .emptyObject, labels: [], notes: "", ownerID: owner,
                        created: created.addingTimeInterval(Double(version * 600)),
                        updated: created.addingTimeInterval(Double(version * 600))))
            }
        }
        let gpu: JSONValue = ["resources": ["slots_per_trial": 1]]
        let research: JSONValue = [
            "description": "Research defaults", "searcher": ["name": "single", "metric": "validation_loss"],
        ]
        let templates = [
            MockTemplate(name: "gpu-defaults", config: StoredJSON(gpu), workspaceID: 1),
            MockTemplate(name: "research-base", config: StoredJSON(research), workspaceID: 2),
        ]
        return (models, versions, templates)
    }
}
