import Foundation
import HTTP
import Harness
import JSON
import OpenAPI

extension ExplorerSession {
    /// `next` / `prev`: the last request again with the page moved, by the paging its answer and parameters show:
    /// Determined's `pagination` (`offset` moves by the page's size, `endIndex` of `total` ends it), `page`
    /// (+1 / −1), a cursor the answer names (`next`, `nextCursor`, `next_page_token` … into the parameter of that
    /// kind), or a `Link: <…>; rel="next"` header.
    mutating func page(forward: Bool, io: any ExplorerIO) async throws(ExplorerError) -> Outcome {
        let word = forward ? "next" : "prev"
        guard var step = lastStep, let exchange = last else { throw ExplorerError("\(word): send a request first (try OP)") }
        let answer = exchange.document.map { $0.value(at: $0.root) }
        let op = step.operation.flatMap { model.operation(id: $0) }
        func has(_ name: String) -> Bool { op?.parameters.contains { $0.name == name && $0.location == .query } ?? false }
        func current(_ name: String) -> Int? {
            guard let v = step.query.last(where: { $0.0 == name })?.1 else { return nil }
            return v.intValue ?? v.stringValue.flatMap { Int($0) }
        }
        func set(_ name: String, _ value: JSONValue) {
            step.query.removeAll { $0.0 == name }
            step.query.append((name, value))
        }
        if let p = answer?["pagination"], has("offset") {
            let offset = current("offset") ?? p["offset"]?.intValue ?? 0
            let size =
                current("limit").flatMap { $0 > 0 ? $0 : nil } ?? max(1, (p["endIndex"]?.intValue ?? 0) - (p["startIndex"]?.intValue ?? 0))
            if forward {
                let end = p["endIndex"]?.intValue ?? offset + size
                guard end < (p["total"]?.intValue ?? .max) else {
                    throw ExplorerError("next: this is the last page (items \(offset) to \(end) of \(p["total"]?.intValue ?? end))")
                }
                set("offset", .number(JSONNumber(end)))
            } else {
                guard offset > 0 else { throw ExplorerError("prev: this is the first page (offset 0)") }
                set("offset", .number(JSONNumber(max(0, offset - size))))
            }
        } else if has("page") {
            let page = current("page") ?? 1
            guard forward || page > 1 else { throw ExplorerError("prev: this is the first page (page \(page))") }
            set("page", .number(JSONNumber(page + (forward ? 1 : -1))))
        } else if forward, let (name, cursor) = cursor(answer, op: op) {
            set(name, cursor)
        } else if forward,
            let url = exchange.response?.headers.first(where: { $0.name.lowercased() == "link" }).flatMap({ Runner.nextLink($0.value) })
        {
            step.operation = nil
            step.request = ("GET", url)
            step.query = []
            step.path = []
        } else {
            throw ExplorerError(
                "\(word): the last answer shows no paging detapi knows (pagination with offset, page, a next cursor, or a Link: rel=\"next\" header)"
            )
        }
        return await send(step, io: io)
    }

    /// A cursor for the next page: an answer field such as `next`, `nextCursor` or `next_page_token` holding a
    /// string, sent in the query parameter whose name says cursor or token.
    func cursor(_ answer: JSONValue?, op: OpenAPI.Operation?) -> (String, JSONValue)? {
        guard let fields = answer?.objectValue, let op else { return nil }
        let parameter = op.parameters.first { p in
            p.location == .query && ["cursor", "token", "after", "next"].contains { p.name.lowercased().contains($0) }
        }
        guard let parameter else { return nil }
        for m in fields where m.key.lowercased().hasPrefix("next") || m.key.lowercased().contains("cursor") {
            if let s = m.value.stringValue, !s.isEmpty { return (parameter.name, .string(s)) }
        }
        return nil
    }

    /// `again [name=value ...] [-d BODY]`: the last request with those parameters (path or query, typed by the
    /// spec) and body changed, the others kept.
    mutating func again(words: [String], body: String?, io: any ExplorerIO) async throws(ExplorerError) -> Outcome {
        guard var step = lastStep else { throw ExplorerError("again: send a request first (try OP)") }
        if !words.isEmpty {
            guard let id = step.operation, model.operation(id: id) != nil else {
                throw ExplorerError("again: the last request was raw; only -d BODY can change it")
            }
            let changed = Set(words.compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) })
            func text(_ v: JSONValue) -> [String] {
                if let items = v.arrayValue { return items.flatMap(text) }
                return [v.stringValue ?? JSONWriter().string(v)]
            }
            let kept = (step.path + step.query).filter { !changed.contains($0.0) }.flatMap { p in text(p.1).map { "\(p.0)=\($0)" } }
            var line: CallLine
            do {
                line = try CallLine(words: [id] + kept + words, model: model, master: master)
            } catch {
                throw ExplorerError("again: \(error.message)")
            }
            line.step.body = step.body
            line.step.bodyBytes = step.bodyBytes
            line.step.contentType = step.contentType
            line.step.auth = step.auth
            step = line.step
        }
        if let body { try setBody(body, on: &step) }
        return await send(step, io: io)
    }
}

extension ExplorerSession {
    /// A query value of the last request as sent (for tests and `env`).
    public func lastRequestQuery(_ name: String) -> String? {
        guard let v = lastStep?.query.last(where: { $0.0 == name })?.1 else { return nil }
        return v.stringValue ?? JSONWriter().string(v)
    }
}
