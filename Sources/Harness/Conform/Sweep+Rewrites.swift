import HTTP
import JSON
import OpenAPI

/// A write whose body is what a GET of the same path answers (Determined's `POST /users/setting` takes the
/// `settings` that `GET /users/setting` lists): sent with exactly the values just read, it changes nothing, and the
/// GET after it proves that.
public struct Rewrite: Sendable {
    public var read: OpenAPI.Operation
    public var write: OpenAPI.Operation
    /// The body fields the write takes, each under the same name and schema in the read's answer.
    public var fields: [String]
}

extension Sweep {
    /// The writes of the selection that take what the GET of their own path answers: no path parameters, a JSON body
    /// whose every field (and at least one) is in the GET's success answer with the same schema.
    public func rewrites() -> [Rewrite] {
        var out: [Rewrite] = []
        for op in model.operations
        where ["POST", "PUT", "PATCH"].contains(op.method) && selection.matches(op) && !op.path.contains("{")
            && settings.neverSend[op.id] == nil
        {
            guard let read = model.operations.first(where: { $0.method == "GET" && $0.path == op.path }),
                let answer = read.response(for: 200)?.schema, let body = op.requestBody?.schema
            else { continue }
            let given = model.resolvingLocalReference(answer)["properties"]?.objectValue ?? JSONObject()
            let taken = model.resolvingLocalReference(body)["properties"]?.objectValue ?? JSONObject()
            guard !taken.isEmpty, taken.allSatisfy({ field in given[field.key].map(Self.shape) == Self.shape(field.value) }) else {
                continue
            }
            out.append(Rewrite(read: read, write: op, fields: taken.map(\.key)))
        }
        return out
    }

    /// A schema without the words that only document it (`description`, `title`, examples): two fields of the same
    /// shape take the same values.
    static func shape(_ schema: JSONValue) -> JSONValue {
        switch schema {
        case .object(let o):
            return .object(
                JSONObject(
                    o.filter { !["description", "title", "example", "examples", "x-example"].contains($0.key) }
                        .map { JSONObject.Member(key: $0.key, value: shape($0.value)) }))
        case .array(let a): return .array(a.map(shape))
        default: return schema
        }
    }

    /// Reads, writes back what was read, reads again: the write's row, with an `undo` finding when the second read
    /// differs from the first (the write changed something after all).
    func rewrite(_ r: Rewrite, found: [String: JSONValue], runner: Runner, vars: inout Variables) async -> Swept {
        func read(_ vars: inout Variables) async -> (StepResult, JSONValue?) {
            var get = step(for: r.read, found: found)
            get.name = r.read.id
            let exchange = await runner.exchange(get, vars: &vars)
            return (exchange.result, exchange.response.flatMap { try? JSONValue(parsing: $0.body) })
        }
        let (first, before) = await read(&vars)
        guard (200..<300).contains(first.status ?? 0), let before else {
            return skipped(r.write, "\(r.read.id) answered \(first.status.map(String.init) ?? "nothing"): nothing read to write back")
        }
        var write = step(for: r.write, found: found)
        write.body = .object(JSONObject(r.fields.compactMap { f in before[f].map { JSONObject.Member(key: f, value: $0) } }))
        var (one, _) = await chainExchange(r.write, write, role: "rewrite", runner: runner, vars: &vars)
        guard (200..<300).contains(one.row.status ?? 0) else { return one }
        let (_, after) = await read(&vars)
        one.coverage.requests += 2
        let same = r.fields.allSatisfy { after?[$0] == before[$0] }
        if !same {
            one.row.failures.append(
                CheckFailure(
                    .undo, expected: "what \(r.read.id) answered before", actual: "a different answer",
                    reason: .changedBySameValues(write: r.write.id, read: r.read.id)))
            Self.settle(&one)
        }
        return one
    }
}
