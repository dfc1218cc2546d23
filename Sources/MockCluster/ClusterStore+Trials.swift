import Foundation
import JSON
import OpenAPI

/// Trials, their workloads, checkpoints and logs (reference part 3 §18.2–18.5), derived from the experiments:
/// experiment E has trials `E*100 + k` for k in 0..<numTrials (the ids its `trialIds` lists), whose state
/// follows the experiment's, so killing or cancelling an experiment moves its trials along.
extension ClusterStore {
    /// The experiment and position of a trial id.
    func trialOwner(_ trialID: Int) -> (experiment: MockExperiment, index: Int)? {
        let e = trialID / 100
        let k = trialID % 100
        guard let experiment = state.experiments.first(where: { $0.id == e }), k < experiment.numTrials, trialID > 0 else { return nil }
        return (experiment, k)
    }

    /// `trialv1.State` from the experiment's state (an active trial is enriched to RUNNING or QUEUED).
    static func trialState(_ e: MockExperiment, _ k: Int) -> String {
        switch e.state {
        case "ACTIVE": return k == 0 ? "STATE_RUNNING" : "STATE_QUEUED"
        case "ERROR": return k == 0 ? "STATE_ERROR" : "STATE_COMPLETED"
        case "PAUSED", "COMPLETED", "CANCELED": return "STATE_" + e.state
        case let s where s.hasPrefix("STOPPING_"): return "STATE_" + s
        default: return "STATE_" + e.state
        }
    }

    static func trialIsTerminal(_ state: String) -> Bool { ["STATE_COMPLETED", "STATE_CANCELED", "STATE_ERROR"].contains(state) }

    /// Batches a trial has trained: more for later trials of finished experiments, fewer while running.
    static func batches(_ e: MockExperiment, _ k: Int) -> Int { (e.isTerminal ? 1000 : 400) + 100 * ((e.id + k) % 5) }

    /// The checkpoint uuids of a trial, one per 500 batches (deterministic).
    static func checkpointUUIDs(_ e: MockExperiment, _ k: Int) -> [String] {
        let count = batches(e, k) / 500
        return (0..<count).map { i in
            let n = UInt64(e.id) &* 1_000_003 &+ UInt64(k) &* 10_007 &+ UInt64(i)
            var r = SeededRandom(n)
            return r.uuid()
        }
    }

    static func metrics(_ loss: Double) -> JSONValue {
        MockJSON.object([("avgMetrics", MockJSON.object([("loss", .number(JSONNumber(loss)))])), ("batchMetrics", .array([]))])
    }

    func trialJSON(_ e: MockExperiment, _ k: Int) -> JSONValue {
        let id = e.id * 100 + k
        let state = Self.trialState(e, k)
        let total = Self.batches(e, k)
        let start = e.startTime.addingTimeInterval(Double(k * 60))
        let end: JSONValue = Self.trialIsTerminal(state) ? MockJSON.time(e.endTime ?? start.addingTimeInterval(600)) : .null
        let uuids = Self.checkpointUUIDs(e, k)
        let validation = MockJSON.object([
            ("endTime", MockJSON.time(start.addingTimeInterval(300))), ("metrics", Self.metrics(0.5 - Double(k) * 0.01)),
            ("numInputs", MockJSON.int(total * 32)), ("totalBatches", MockJSON.int(total)),
        ])
        let checkpoint: JSONValue =
            uuids.last.map { uuid in
                MockJSON.object([
                    ("uuid", .string(uuid)), ("endTime", MockJSON.time(start.addingTimeInterval(310))), ("state", "STATE_COMPLETED"),
                    ("resources", MockJSON.object([("state_dict.pth", "104857600")])), ("totalBatches", MockJSON.int(total)),
                    ("metadata", .null),
                ])
            } ?? .null
        return MockJSON.object([
            ("id", MockJSON.int(id)), ("experimentId", MockJSON.int(e.id)), ("startTime", MockJSON.time(start)), ("endTime", end),
            ("state", .string(state)), ("restarts", 0),
            ("hparams", MockJSON.object([("learning_rate", .number(JSONNumber(0.01 * Double(k + 1))))])),
            ("totalBatchesProcessed", MockJSON.int(total)), ("bestValidation", validation), ("latestValidation", validation),
            ("bestCheckpoint", checkpoint), ("runnerState", ""), ("wallClockTime", .number(JSONNumber(Double(total) * 0.5))),
            ("warmStartCheckpointUuid", ""), ("taskId", .string("\(e.id).\(k)")),
            ("totalCheckpointSize", .string(String(uuids.count * 104_857_600))),
            ("checkpointCount", MockJSON.int(uuids.count)), ("summaryMetrics", .null), ("taskIds", .array([.string("\(e.id).\(k)")])),
            ("searcherMetricValue", 0),
        ])
    }

    /// The rows `page_info` returns: [start, end) of `total`.
    static func pageInfoBounds(total: Int, offset: Int, limit: Int) -> (start: Int, end: Int) {
        var start = offset
        if offset > total || offset < -total { start = total } else if offset < 0 { start = total + offset }
        switch limit {
        case -2: return (start, start)
        case -1: return (start, total)
        case 0: return (start, min(start + 100, total))
        default: return (start, start + limit > total ? total : max(start, start + limit))
        }
    }

    /// `page_info` (reference §4): limit 0 is 100 rows, -1 all, -2 none; an offset out of range an empty page.
    static func pageInfo<T>(_ rows: [T], offset: Int, limit: Int) -> (page: [T], pagination: JSONValue) {
        let total = rows.count
        let (start, end) = pageInfoBounds(total: total, offset: offset, limit: limit)
        return (Array(rows[start..<end]), MockJSON.pagination(offset: offset, limit: limit, start: start, end: end, total: total))
    }

    /// GetExperimentTrials: the experiment's trials by id (or `sortBy=SORT_BY_BATCHES_PROCESSED`), `orderBy`, paged.
    func experimentTrials(experimentID: Int, _ q: QueryParameters) throws(GatewayError) -> JSONValue {
        advance()
        guard let e = state.experiments.first(where: { $0.id == experimentID }) else { throw .notFound("experiment", experimentID) }
        let descending = try q.enumValue("orderBy", cases: Self.orderNames, typeName: "apiv1.OrderBy") == "ORDER_BY_DESC"
        let offset = try q.int32("offset") ?? 0
        let limit = try q.int32("limit") ?? 0
        var ks = Array(0..<e.numTrials)
        if descending { ks.reverse() }
        let (page, pagination) = Self.pageInfo(ks, offset: offset, limit: limit)
        return MockJSON.object([("trials", .array(page.map { trialJSON(e, $0) })), ("pagination", pagination)])
    }

    func trial(id: Int) throws(GatewayError) -> JSONValue {
        advance()
        guard let (e, k) = trialOwner(id) else { throw .notFound("trial", id) }
        return MockJSON.object([("trial", trialJSON(e, k))])
    }

    /// GetTrialWorkloads: a training workload every 100 batches, a validation every 500, a checkpoint after each
    /// validation; `limit` 0 means all (shown as -1).
    func trialWorkloads(id: Int, _ q: QueryParameters) throws(GatewayError) -> JSONValue {
        advance()
        guard let (e, k) = trialOwner(id) else { throw .notFound("trial", id) }
        let offset = try q.int32("offset") ?? 0
        var limit = try q.int32("limit") ?? 0
        if limit == 0 { limit = -1 }
        let start = e.startTime.addingTimeInterval(Double(k * 60))
        let uuids = Self.checkpointUUIDs(e, k)
        var workloads: [JSONValue] = []
        for b in stride(from: 100, through: Self.batches(e, k), by: 100) {
            let at = MockJSON.time(start.addingTimeInterval(Double(b) * 0.5))
            let metrics = MockJSON.object([
                ("endTime", at), ("metrics", Self.metrics(1.0 / Double(b) * 100)), ("numInputs", MockJSON.int(3200)),
                ("totalBatches", MockJSON.int(b)),
            ])
            workloads.append(MockJSON.object([("training", metrics)]))
            if b % 500 == 0 {
                workloads.append(MockJSON.object([("validation", metrics)]))
                if b / 500 - 1 < uuids.count {
                    workloads.append(
                        MockJSON.object([
                            (
                                "checkpoint",
                                MockJSON.object([
                                    ("uuid", .string(uuids[b / 500 - 1])), ("endTime", at), ("state", "STATE_COMPLETED"),
                                    ("resources", MockJSON.object([("state_dict.pth", "104857600")])), ("totalBatches", MockJSON.int(b)),
                                    ("metadata", MockJSON.object([("steps_completed", MockJSON.int(b))])),
                                ])
                            )
                        ]))
                }
            }
        }
        let (page, pagination) = Self.pageInfo(workloads, offset: offset, limit: limit)
        return MockJSON.object([("workloads", .array(page)), ("pagination", pagination)])
    }

    func checkpointJSON(_ e: MockExperiment, _ k: Int, _ i: Int, _ uuid: String) -> JSONValue {
        let batches = (i + 1) * 500
        let at = e.startTime.addingTimeInterval(Double(k * 60 + batches / 2))
        return MockJSON.object([
            ("taskId", .string("\(e.id).\(k)")), ("uuid", .string(uuid)), ("reportTime", MockJSON.time(at)),
            ("resources", MockJSON.object([("state_dict.pth", "104857600"), ("metadata.json", "512")])),
            ("metadata", MockJSON.object([("steps_completed", MockJSON.int(batches))])), ("state", "STATE_COMPLETED"),
            (
                "training",
                MockJSON.object([
                    ("trialId", MockJSON.int(e.id * 100 + k)), ("experimentId", MockJSON.int(e.id)),
                    ("experimentConfig", MockJSON.config(e)),
                    ("hparams", MockJSON.object([("learning_rate", .number(JSONNumber(0.01 * Double(k + 1))))])),
                    ("trainingMetrics", Self.metrics(0.6)),
                    (
                        "validationMetrics",
                        MockJSON.object([
                            ("avgMetrics", MockJSON.object([("validation_loss", .number(JSONNumber(0.5 - Double(i) * 0.05)))]))
                        ])
                    ),
                    ("searcherMetric", .number(JSONNumber(0.5 - Double(i) * 0.05))),
                ])
            ),
        ])
    }

    static let checkpointSorts = [
        "SORT_BY_UNSPECIFIED", "SORT_BY_UUID", "SORT_BY_TRIAL_ID", "SORT_BY_BATCH_NUMBER", "SORT_BY_END_TIME", "SORT_BY_STATE",
        "SORT_BY_SEARCHER_METRIC",
    ]

    /// GetExperimentCheckpoints: by trial id (UNSPECIFIED), end time, batch number or searcher metric; api.Paginate.
    func experimentCheckpoints(experimentID: Int, _ q: QueryParameters) throws(GatewayError) -> JSONValue {
        advance()
        guard let e = state.experiments.first(where: { $0.id == experimentID }) else { throw .notFound("experiment", experimentID) }
        return try checkpoints(of: e, trials: 0..<e.numTrials, q)
    }

    /// GetTrialCheckpoints: the trial's own checkpoints, each with its experiment's config (§28), sorted and paged
    /// as the experiment's are.
    func trialCheckpoints(trialID: Int, _ q: QueryParameters) throws(GatewayError) -> JSONValue {
        advance()
        guard let (e, k) = trialOwner(trialID) else { throw .notFound("trial", trialID) }
        return try checkpoints(of: e, trials: k..<(k + 1), q)
    }

    private func checkpoints(of e: MockExperiment, trials: Range<Int>, _ q: QueryParameters) throws(GatewayError) -> JSONValue {
        if q.has("sortByAttr") && q.has("sortByMetric") { throw GatewayError(.invalidArgument, "field already set for sort_by oneof") }
        let sort = try q.enumValue("sortByAttr", cases: Self.checkpointSorts, typeName: "checkpointv1.SortBy") ?? "SORT_BY_UNSPECIFIED"
        let order = try q.enumValue("orderBy", cases: Self.orderNames, typeName: "apiv1.OrderBy")
        var rows: [(k: Int, i: Int, uuid: String)] = []
        for k in trials { for (i, uuid) in Self.checkpointUUIDs(e, k).enumerated() { rows.append((k, i, uuid)) } }
        var descending = order == "ORDER_BY_DESC"
        switch sort {
        case "SORT_BY_END_TIME", "SORT_BY_BATCH_NUMBER": rows.sort { ($0.k * 60 + $0.i * 250, $0.k) < ($1.k * 60 + $1.i * 250, $1.k) }
        case "SORT_BY_SEARCHER_METRIC":
            rows.sort { $0.i > $1.i }  // lower loss later in training; smaller is better
            if order == nil { descending = false }
        case "SORT_BY_UUID": rows.sort { $0.uuid < $1.uuid }
        default: rows.sort { ($0.k, $0.i) < ($1.k, $1.i) }
        }
        if descending { rows.reverse() }
        let (page, pagination) = try Self.paginate(rows, offset: try q.int32("offset") ?? 0, limit: try q.int32("limit") ?? 0)
        return MockJSON.object([("checkpoints", .array(page.map { checkpointJSON(e, $0.k, $0.i, $0.uuid) })), ("pagination", pagination)])
    }

    /// GetCheckpoint; an unparsable uuid is the master's 500 (§18.1).
    func checkpoint(uuid: String) throws(GatewayError) -> JSONValue {
        advance()
        guard UUID(uuidString: uuid) != nil else { throw GatewayError(.internalError, "invalid UUID length: \(uuid.count)") }
        guard let (e, k, i) = checkpointLocation(uuid.lowercased()) else { throw GatewayError(.notFound, "checkpoint '\(uuid)' not found") }
        return MockJSON.object([("checkpoint", checkpointJSON(e, k, i, uuid.lowercased()))])
    }

    static let logLevels = [
        "LOG_LEVEL_TRACE", "LOG_LEVEL_DEBUG", "LOG_LEVEL_INFO", "LOG_LEVEL_WARNING", "LOG_LEVEL_ERROR", "LOG_LEVEL_CRITICAL",
    ]

    /// A trial's log lines as TrialLogsResponse objects (ids ascending), filtered by `levels`, ordered by
    /// `orderBy`, cut at `limit`; and whether the trial is still running (for `follow`).
    func trialLogs(id: Int, _ q: QueryParameters) throws(GatewayError) -> (lines: [JSONValue], running: Bool) {
        advance()
        guard let (e, k) = trialOwner(id) else { throw GatewayError(.notFound, "trial '\(id)' not found") }
        let levels = Set(try q.enumValues("levels", cases: ["LOG_LEVEL_UNSPECIFIED"] + Self.logLevels, typeName: "logv1.LogLevel"))
        let descending = try q.enumValue("orderBy", cases: Self.orderNames, typeName: "apiv1.OrderBy") == "ORDER_BY_DESC"
        let limit = try q.int32("limit") ?? 0
        let start = e.startTime.addingTimeInterval(Double(k * 60))
        let texts = [
            (2, "Scheduling Trial \(id) (Experiment \(e.id))"), (2, "Trial \(id) was assigned to an agent"),
            (1, "Pulling image determinedai/pytorch-ngc"), (2, "Running the training loop"),
            (3, "Loss is still high after the first epoch"), (2, "Validation completed"), (2, "Checkpoint saved"),
        ]
        let count = Self.trialIsTerminal(Self.trialState(e, k)) ? 12 : 6
        var lines: [JSONValue] = []
        for n in 0..<count {
            let (level, text) = texts[n % texts.count]
            let name = Self.logLevels[level]
            if !levels.isEmpty && !levels.contains(name) { continue }
            let at = start.addingTimeInterval(Double(n))
            let stamp = Timestamp.string(at)
            let flat = "[\(stamp)] 3f2a1b4c [rank=0] || \(name.dropFirst("LOG_LEVEL_".count)): \(text)\n"
            lines.append(
                MockJSON.object([
                    ("id", .string(String(id * 1000 + n))), ("timestamp", .string(stamp)), ("message", .string(flat)),
                    ("level", .string(name)),
                    ("trialId", MockJSON.int(id)), ("agentId", "agent-0"), ("containerId", "3f2a1b4c"), ("rankId", 0),
                    ("log", .string(text + "\n")), ("source", "task"), ("stdtype", "stdout"),
                ]))
        }
        if descending { lines.reverse() }
        if limit > 0 { lines = Array(lines.prefix(limit)) }
        return (lines, !Self.trialIsTerminal(Self.trialState(e, k)))
    }

    /// Whether a trial is still running (a `follow=true` stream stays open until it is not).
    func trialRunning(_ id: Int) -> Bool {
        // A mock that is stopping ends its open streams (a server notices a gone client only when it writes).
        if stopping { return false }
        advance()
        guard let (e, k) = trialOwner(id) else { return false }
        return !Self.trialIsTerminal(Self.trialState(e, k))
    }
}
