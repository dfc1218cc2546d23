import HTTP
import OpenAPI

/// Fetches a spec and the documents its `$ref`s name over http(s) for `SpecLoader`, which knows no transport.
struct SpecFetcher {
    let client: HTTPClient

    func load(url: String, strict: Bool, overlays: SpecOverlays) async throws(SpecError) -> APIModel {
        let response: HTTPResponse
        do {
            response = try await client.send(HTTPRequest(url: url, headers: ["Accept": "application/json, application/yaml"]))
        } catch {
            throw SpecError(kind: .unreadable, location: url, message: error.description)
        }
        guard response.status == 200 else {
            throw SpecError(kind: .unreadable, location: url, message: "HTTP \(response.status) while fetching the spec")
        }
        return try await SpecLoader.load(bytes: response.body, source: url, uri: url, strict: strict, overlays: overlays) { uri in
            guard uri.hasPrefix("http://") || uri.hasPrefix("https://") else { return nil }
            let answer = try? await client.send(HTTPRequest(url: uri))
            return answer?.status == 200 ? answer?.body : nil
        }
    }
}
