import JSON

/// Writes a deterministic GetExperiments response of about the requested size, shaped as a real master's
/// list answer (../shared/reference/determined-master.md §4): every field, nulls for unset messages,
/// int64 `checkpointSize` as a string, a full expconf `config`.
struct ExperimentsGenerator {
    var seed: UInt64 = 42
    /// Drop null-valued fields, for validators that know no null policy (the cross-tool comparison).
    var omitNulls = false
    private var state: UInt64 = 0

    init(seed: UInt64 = 42, omitNulls: Bool = false) {
        self.seed = seed
        self.state = seed
        self.omitNulls = omitNulls
    }

    private mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }

    private mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }

    mutating func response(targetBytes: Int) -> [UInt8] {
        var experiments: [JSONValue] = []
        var size = 0
        var id = 1
        while size < targetBytes {
            var e = experiment(id: id)
            if omitNulls, case .object(let o) = e { e = .object(JSONObject(o.members.filter { !$0.value.isNull })) }
            size += JSONWriter().bytes(e).count + 1
            experiments.append(e)
            id += 1
        }
        let n = experiments.count
        let body: JSONValue = .object(
            JSONObject([
                .init(key: "experiments", value: .array(experiments)),
                .init(
                    key: "pagination",
                    value: [
                        "offset": 0, "limit": .number(JSONNumber(n)), "startIndex": 0, "endIndex": .number(JSONNumber(n)),
                        "total": .number(JSONNumber(n)),
                    ]),
            ]))
        return JSONWriter().bytes(body)
    }

    private mutating func timestamp() -> String {
        let day = 1 + next() % 28
        let h = next() % 24
        let m = next() % 60
        let s = next() % 60
        let ms = next() % 1000
        func two(_ v: UInt64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "2026-10-\(two(day))T\(two(h)):\(two(m)):\(two(s)).\(ms)Z"
    }

    private mutating func uuid() -> String {
        let hex = Array("0123456789abcdef")
        var out = ""
        for i in 0..<32 {
            if [8, 12, 16, 20].contains(i) { out.append("-") }
            out.append(hex[Int(next() % 16)])
        }
        return out
    }

    mutating func experiment(id: Int) -> JSONValue {
        let states = ["STATE_COMPLETED", "STATE_CANCELED", "STATE_ERROR", "STATE_ACTIVE", "STATE_PAUSED"]
        let state = pick(states)
        let terminal = state != "STATE_ACTIVE" && state != "STATE_PAUSED"
        let user = pick([("admin", 1), ("determined", 2)])
        let name =
            "\(pick(["mnist", "cifar10", "gpt2-finetune", "resnet50", "bert-base"]))-\(pick(["adaptive", "grid", "single", "random"]))"
        let searcher = pick(["single", "adaptive_asha", "grid", "random"])
        let numTrials = 1 + Int(next() % 16)
        let lr = Double(1 + next() % 999) / 10000
        let hyper: JSONValue = [
            "global_batch_size": ["type": "const", "val": .number(JSONNumber(32 << Int(next() % 4)))],
            "learning_rate": ["type": "double", "minval": 0.0001, "maxval": .number(JSONNumber(lr))],
            "dropout": ["type": "double", "minval": 0.1, "maxval": 0.5],
            "n_filters": ["type": "int", "minval": 8, "maxval": 64],
        ]
        let config: JSONValue = [
            "name": .string(name), "description": .string("\(name) experiment \(id)"),
            "entrypoint": "model_def:Trial", "labels": ["bench"],
            "searcher": [
                "name": .string(searcher), "metric": "validation_loss", "smaller_is_better": true,
                "max_trials": .number(JSONNumber(numTrials)), "max_length": ["batches": 1000],
            ],
            "hyperparameters": hyper,
            "resources": ["slots_per_trial": 1, "resource_pool": "default", "max_slots": nil, "priority": nil],
            "checkpoint_storage": [
                "type": "shared_fs", "host_path": "/tmp", "storage_path": "determined-checkpoint", "save_trial_best": 1,
            ],
            "max_restarts": 5, "records_per_epoch": 0, "scheduling_unit": 100, "min_validation_period": ["batches": 100],
            "environment": [
                "image": ["cpu": "determinedai/pytorch-ngc:0.38.1", "cuda": "determinedai/pytorch-ngc:0.38.1"],
                "environment_variables": ["cpu": [], "cuda": []], "force_pull_image": false,
            ],
        ]
        let labels: JSONValue = next() % 3 == 0 ? ["baseline", "nightly"] : []
        return .object(
            JSONObject([
                .init(key: "id", value: .number(JSONNumber(id))),
                .init(key: "description", value: .string("\(name) experiment \(id)")),
                .init(key: "labels", value: labels),
                .init(key: "startTime", value: .string(timestamp())),
                .init(key: "endTime", value: terminal ? .string(timestamp()) : .null),
                .init(key: "state", value: .string(state)),
                .init(key: "archived", value: .bool(terminal && next() % 4 == 0)),
                .init(key: "numTrials", value: .number(JSONNumber(numTrials))),
                .init(key: "trialIds", value: []),
                .init(key: "displayName", value: .string(user.0)),
                .init(key: "userId", value: .number(JSONNumber(user.1))),
                .init(key: "username", value: .string(user.0)),
                .init(key: "resourcePool", value: "default"),
                .init(key: "searcherType", value: .string(searcher)),
                .init(key: "searcherMetric", value: "validation_loss"),
                .init(key: "hyperparameters", value: hyper),
                .init(key: "name", value: .string(name)),
                .init(key: "notes", value: ""),
                .init(key: "jobId", value: .string(uuid())),
                .init(key: "forkedFrom", value: next() % 5 == 0 ? .number(JSONNumber(max(1, id - 1))) : .null),
                .init(key: "progress", value: terminal ? .number(JSONNumber(1.0)) : .number(JSONNumber(Double(next() % 100) / 100))),
                .init(key: "projectId", value: 1),
                .init(key: "projectName", value: "Uncategorized"),
                .init(key: "workspaceId", value: 1),
                .init(key: "workspaceName", value: "Uncategorized"),
                .init(key: "parentArchived", value: false),
                .init(key: "config", value: config),
                .init(key: "originalConfig", value: ""),
                .init(key: "projectOwnerId", value: 1),
                .init(key: "checkpointSize", value: .string(String(next() % 900_000_000))),
                .init(key: "checkpointCount", value: .number(JSONNumber(Int(next() % 20)))),
                .init(key: "unmanaged", value: false),
                .init(key: "duration", value: .number(JSONNumber(Int(next() % 86400)))),
            ]))
    }
}
