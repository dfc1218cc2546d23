import JSON
import OpenAPI

/// Makes a sampled answer of an unmodeled operation behave like a real one where clients depend on it: a page
/// (`pagination` with offset/limit/startIndex/endIndex/total) that agrees with the request and the list it
/// holds, so `endIndex < total` moves forward and ends; the path's values echoed at any depth into the fields of
/// that name and the object they name (`GET /api/v1/trials/201` answers `trial.id` 201, `modelName` sets
/// `model.name`); and an object the mock keeps answered with its real identity and parents.
enum GenericAnswer {
    /// What a path names, for the answer to agree with: the parameter's value under its own name, the object it
    /// names (`trialId` → the member `trial`), and what the mock knows of that object.
    struct PathObject {
        var parameter: String
        var value: JSONValue
        var owner: String?
        var field: String
        var known: KnownObject
    }

    static func shape(_ value: JSONValue, objects: [PathObject], query: QueryParameters) -> JSONValue {
        guard case .object(var object) = value else { return value }
        page(&object, query: query)
        var shaped = JSONValue.object(object)
        for o in objects {
            var fields: [String: JSONValue] = [o.field: o.value]
            var anywhere: [String: JSONValue] = [o.parameter: o.value]
            var owner = o.owner
            if case .found(let kind, let known, let parents) = o.known {
                owner = kind
                fields.merge(known) { $1 }
                anywhere.merge(parents) { $1 }
            }
            rewrite(&shaped, owner: owner, fields: fields, anywhere: anywhere)
        }
        return shaped
    }

    /// Sets, at any depth, the fields of members named `owner` and every field named in `anywhere`, where the
    /// sample has them (a field the schema does not have is never added).
    static func rewrite(_ value: inout JSONValue, owner: String?, fields: [String: JSONValue], anywhere: [String: JSONValue]) {
        switch value {
        case .object(var object):
            for member in object {
                var inner = member.value
                if member.key == owner, case .object(var target) = inner {
                    for (key, new) in fields { if let old = target[key] { target[key] = adapted(new, like: old) } }
                    inner = .object(target)
                } else if let new = anywhere[member.key], inner.objectValue == nil, inner.arrayValue == nil {
                    inner = adapted(new, like: inner)
                }
                rewrite(&inner, owner: owner, fields: fields, anywhere: anywhere)
                object[member.key] = inner
            }
            value = .object(object)
        case .array(var items):
            for i in items.indices { rewrite(&items[i], owner: owner, fields: fields, anywhere: anywhere) }
            value = .array(items)
        default:
            break
        }
    }

    /// A value in the sample's own type: an int64 the schema writes as a string stays a string.
    static func adapted(_ new: JSONValue, like old: JSONValue) -> JSONValue {
        switch (new, old) {
        case (.number(let n), .string): return .string(JSONWriter().string(.number(n)))
        case (.string(let s), .number): return GoInt.parse(s).map { .number(JSONNumber($0)) } ?? old
        case (.string, .string), (.number, .number), (.bool, .bool): return new
        default: return old
        }
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

    /// `workspaces` → `workspace`, `experiments` → `experiment`.
    static func singular(_ plural: String) -> String { plural.hasSuffix("s") ? String(plural.dropLast()) : plural }
}
