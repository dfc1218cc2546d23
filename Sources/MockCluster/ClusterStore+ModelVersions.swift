import Foundation
import JSON

/// How a model version is answered (§26.6): the master builds some answers from the inserted or updated row, so
/// fields a client may read come out zeroed.
enum ModelVersionAnswer {
    /// GetModelVersion: everything real.
    case full
    /// GetModelVersions: the embedded model has `workspaceId: 0`.
    case listed
    /// PostModelVersion: no `lastUpdatedTime`, `userId: 0`, `notes: ""`; the model without user and workspace,
    /// counting the versions before this one.
    case posted(versionsBefore: Int)
    /// PatchModelVersion that changed something: no `username`, `userId` or `lastUpdatedTime`; the model without
    /// user and workspace.
    case patched
}

/// Model versions (§26.6): registered from a checkpoint by uuid, numbered per model, with the master's answers.
extension ClusterStore {
    /// The experiment, trial and index of a checkpoint uuid (checkpoints are derived from the experiments).
    func checkpointLocation(_ uuid: String) -> (experiment: MockExperiment, trial: Int, index: Int)? {
        for e in state.experiments {
            for k in 0..<e.numTrials {
                if let i = Self.checkpointUUIDs(e, k).firstIndex(of: uuid) { return (e, k, i) }
            }
        }
        return nil
    }

    func versionJSON(_ v: MockModelVersion, model m: MockModel, _ answer: ModelVersionAnswer) -> JSONValue {
        let checkpoint: JSONValue =
            state.experiments.first { $0.id == v.experimentID }.map { checkpointJSON($0, v.trial, v.checkpointIndex, v.checkpointUUID) }
            ?? .null
        let embedded: JSONValue
        var userID = v.ownerID
        var username = state.users.first { $0.id == v.ownerID }?.username ?? ""
        var updated = MockJSON.time(v.updated)
        var notes = v.notes
        switch answer {
        case .full: embedded = modelJSON(m)
        case .listed: embedded = modelJSON(m, .noWorkspaceID)
        case .posted(let before):
            embedded = modelJSON(m, [.noUserID, .noWorkspaceID], numVersions: before)
            (userID, updated, notes) = (0, .null, "")
        case .patched:
            embedded = modelJSON(m, [.noUserID, .noWorkspaceID])
            (userID, username, updated) = (0, "", .null)
        }
        return MockJSON.object([
            ("model", embedded), ("checkpoint", checkpoint), ("version", MockJSON.int(v.version)),
            ("creationTime", MockJSON.time(v.created)),
            ("id", MockJSON.int(v.id)), ("name", .string(v.name)), ("metadata", v.metadata.value), ("lastUpdatedTime", updated),
            ("comment", .string(v.comment)), ("username", .string(username)), ("userId", MockJSON.int(userID)),
            ("labels", .array(v.labels.map(JSONValue.string))), ("notes", .string(notes)),
        ])
    }

    /// The index of a live version, or the master's 404.
    func versionIndex(model m: MockModel, segment: String, number: Int) throws(GatewayError) -> Int {
        guard
            let i = state.modelVersions.firstIndex(where: { v in
                v.modelID == m.id && v.version == number && state.experiments.contains { $0.id == v.experimentID }
            })
        else { throw GatewayError(.notFound, "version \(number) for model \(Self.goQuoted(segment)) not found") }
        return i
    }

    /// PostModelVersion: any user, any number of times per checkpoint; the checkpoint must exist and be COMPLETED.
    func postModelVersion(caller: MockUser, segment: String, body: JSONValue) throws(GatewayError) -> JSONValue {
        let m = state.models[try modelIndex(segment)]
        if m.archived {
            throw GatewayError(.internalError, "model \(Self.goQuoted(m.name)) is archived and cannot register new versions")
        }
        let uuid = try MockGateway.string(body, "checkpointUuid")
        guard UUID(uuidString: uuid) != nil else {
            throw GatewayError(
                .internalError,
                "error running query: get_checkpoint: ERROR: invalid input syntax for type uuid: \(Self.goQuoted(uuid)) (SQLSTATE 22P02)")
        }
        guard let (e, k, index) = checkpointLocation(uuid.lowercased()) else {
            throw GatewayError(.notFound, "checkpoint '\(uuid)' not found")
        }
        let metadata = try Self.structField(body, "metadata") ?? .object(JSONObject())
        let now = clock.now()
        let v = MockModelVersion(
            id: (state.modelVersions.map(\.id).max() ?? 0) + 1, modelID: m.id,
            version: (state.modelVersions.filter { $0.modelID == m.id }.map(\.version).max() ?? 0) + 1,
            checkpointUUID: uuid.lowercased(), experimentID: e.id, trial: k, checkpointIndex: index,
            name: try MockGateway.string(body, "name"), comment: try MockGateway.string(body, "comment"), metadata: StoredJSON(metadata),
            labels: try Self.strings(body, "labels"), notes: try MockGateway.string(body, "notes"), ownerID: caller.id, created: now,
            updated: now)
        let before = liveVersions(of: m.id).count
        state.modelVersions.append(v)
        persist()
        return MockJSON.object([("modelVersion", versionJSON(v, model: m, .posted(versionsBefore: before)))])
    }

    static let versionSorts = ["SORT_BY_UNSPECIFIED", "", "", "SORT_BY_VERSION", "SORT_BY_CREATION_TIME"]

    /// GetModelVersions: by version (or creation time), `orderBy=ORDER_BY_DESC` reversing; api.Paginate.
    func modelVersions(segment: String, _ q: QueryParameters) throws(GatewayError) -> JSONValue {
        let m = state.models[try modelIndex(segment)]
        let sort =
            try q.enumValue("sortBy", cases: Self.versionSorts, typeName: "apiv1.GetModelVersionsRequest_SortBy") ?? "SORT_BY_UNSPECIFIED"
        let descending = try q.enumValue("orderBy", cases: Self.orderNames, typeName: "apiv1.OrderBy") == "ORDER_BY_DESC"
        var rows = liveVersions(of: m.id)
        if sort == "SORT_BY_CREATION_TIME" {
            rows.sort { ($0.created, $0.version) < ($1.created, $1.version) }
        } else {
            rows.sort { $0.version < $1.version }
        }
        if descending { rows.reverse() }
        let (page, pagination) = try Self.paginate(rows, offset: try q.int32("offset") ?? 0, limit: try q.int32("limit") ?? 0)
        return MockJSON.object([
            ("model", modelJSON(m)), ("modelVersions", .array(page.map { versionJSON($0, model: m, .listed) })), ("pagination", pagination),
        ])
    }

    /// GetModelVersion.
    func modelVersion(segment: String, number: Int) throws(GatewayError) -> JSONValue {
        let m = state.models[try modelIndex(segment)]
        let v = state.modelVersions[try versionIndex(model: m, segment: segment, number: number)]
        return MockJSON.object([("modelVersion", versionJSON(v, model: m, .full))])
    }

    /// PatchModelVersion: any user, archived models too; `labels` a set, a `checkpoint` key ignored.
    func patchModelVersion(segment: String, number: Int, body: JSONValue) throws(GatewayError) -> JSONValue {
        let m = state.models[try modelIndex(segment)]
        let i = try versionIndex(model: m, segment: segment, number: number)
        var v = state.modelVersions[i]
        var changed = false
        for key in ["name", "comment", "notes"] {
            guard body[key]?.isNull == false else { continue }
            let text = try MockGateway.string(body, key)
            switch key {
            case "name" where text != v.name: (v.name, changed) = (text, true)
            case "comment" where text != v.comment: (v.comment, changed) = (text, true)
            case "notes" where text != v.notes: (v.notes, changed) = (text, true)
            default: break
            }
        }
        if body["metadata"]?.isNull == false, let metadata = try Self.structField(body, "metadata"), metadata != v.metadata.value {
            (v.metadata, changed) = (StoredJSON(metadata), true)
        }
        if let list = body["labels"], !list.isNull {
            let labels = try Self.labelList(list)
            if labels != v.labels { (v.labels, changed) = (labels, true) }
        }
        guard changed else { return MockJSON.object([("modelVersion", versionJSON(v, model: m, .full))]) }
        v.updated = clock.now()
        state.modelVersions[i] = v
        persist()
        return MockJSON.object([("modelVersion", versionJSON(v, model: m, .patched))])
    }

    /// DeleteModelVersion: an admin, the version's creator or the model's owner.
    func deleteModelVersion(caller: MockUser, segment: String, number: Int) throws(GatewayError) {
        let m = state.models[try modelIndex(segment)]
        let i = try versionIndex(model: m, segment: segment, number: number)
        guard caller.admin || caller.id == state.modelVersions[i].ownerID || caller.id == m.ownerID else {
            throw GatewayError(.permissionDenied, "non-admin users may not delete other users' model versions access denied")
        }
        state.modelVersions.remove(at: i)
        persist()
    }
}
