import JSON
import OpenAPI

/// Makes a sampled answer of an unmodeled operation behave like a real one where clients depend on it: a page
/// (`pagination` with offset/limit/startIndex/endIndex/total) that agrees with the request and the list it
/// holds, so `endIndex < total` moves forward and ends; and the path's ids echoed into the object they name
/// (`GET /api/v1/trials/201` answers `trial.id` 201).
enum GenericAnswer {
    static func shape(_ value: JSONValue, op: OpenAPI.Operation, path: String, query: QueryParameters) -> JSONValue {
        guard case .object(var object) = value else { return value }
        echoIDs(&object, op: op, path: path)
        page(&object, query: query)
        return .object(object)
    }

    /// The `api.Paginate` arithmetic (reference §12.2) over the answer's lists: `limit` 0 is everything.
    static func page(_ object: inout JSONObject, query: QueryParameters) {
        guard let p = object["pagination"]?.objectValue,
            ["offset", "limit", "startIndex", "endIndex", "total"].allSatisfy({ p[$0] != nil })
        else { return }
        let offset = query.first("offset").flatMap(GoInt.parse) ?? 0
        let limit = query.first("limit").flatMap(GoInt.parse) ?? 0
        let lists = object.filter { $0.key != "pagination" && $0.value.arrayValue != nil }.map(\.key)
        let total = lists.compactMap { object[$0]?.arrayValue?.count }.max() ?? 0
        let start = min(max(offset < 0 ? total + offset : offset, 0), total)
        let end = limit > 0 ? min(start + limit, total) : total
        for key in lists {
            guard let items = object[key]?.arrayValue else { continue }
            let from = min(start, items.count)
            object[key] = .array(Array(items[from..<min(end, items.count)]))
        }
        object["pagination"] = .object(
            JSONObject([
                .init(key: "offset", value: .number(JSONNumber(offset))), .init(key: "limit", value: .number(JSONNumber(limit))),
                .init(key: "startIndex", value: .number(JSONNumber(start))), .init(key: "endIndex", value: .number(JSONNumber(end))),
                .init(key: "total", value: .number(JSONNumber(total))),
            ]))
    }

    /// `{trialId}` → `trial.id` and every top-level object's `trialId`; `{id}` after `/workspaces/` → `workspace.id`.
    static func echoIDs(_ object: inout JSONObject, op: OpenAPI.Operation, path: String) {
        let template = op.path.split(separator: "/", omittingEmptySubsequences: false)
        let actual = path.split(separator: "/", omittingEmptySubsequences: false)
        guard template.count == actual.count else { return }
        for i in template.indices where template[i].hasPrefix("{") && template[i].hasSuffix("}") {
            let name = String(template[i].dropFirst().dropLast())
            let text = String(actual[i])
            let parameter = op.parameters.first { $0.location == .path && $0.name == name }
            let value: JSONValue =
                parameter?.type == "integer" ? (GoInt.parse(text).map { .number(JSONNumber($0)) } ?? .string(text)) : .string(text)
            var owner: String?
            if name.hasSuffix("Id"), name.count > 2 {
                owner = String(name.dropLast(2))
            } else if name == "id", i > 0 {
                owner = singular(String(template[i - 1]))
            }
            for member in object {
                guard case .object(var inner) = member.value else { continue }
                var changed = false
                if member.key == owner, inner["id"] != nil {
                    inner["id"] = value
                    changed = true
                }
                if name != "id", inner[name] != nil {
                    inner[name] = value
                    changed = true
                }
                if changed { object[member.key] = .object(inner) }
            }
        }
    }

    /// `workspaces` → `workspace`, `experiments` → `experiment`.
    static func singular(_ plural: String) -> String { plural.hasSuffix("s") ? String(plural.dropLast()) : plural }
}
