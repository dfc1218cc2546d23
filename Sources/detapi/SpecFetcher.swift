import Foundation
import HTTP
import Harness
import OpenAPI

/// Fetches a spec and the documents its `$ref`s name over http(s) for `SpecLoader`, which knows no transport.
///
/// The fetch is a request like the others: the connection options (TLS, proxy, timeouts) and every `-H` header;
/// the token only to the origin of `--master`. Secret-looking query values of the URL (`?token=…`) never reach
/// the console or a report: the model's source is the URL with them masked.
struct SpecFetcher {
    let client: HTTPClient
    /// `-H` headers, sent with every fetch.
    var headers: [(String, String)] = []
    /// The token, sent as Bearer to URLs on `master`'s origin only.
    var token: String?
    var master: String?

    func load(url: String, strict: Bool, overlays: SpecOverlays) async throws(SpecError) -> APIModel {
        let shown = Redactor.withoutQuerySecrets(url)
        let response: HTTPResponse
        do {
            response = try await client.send(request(url, accept: "application/json, application/yaml"))
        } catch {
            throw SpecError(
                kind: .unreadable, location: shown, message: Redactor(secretValues: token.map { [$0] } ?? []).redact(error.description))
        }
        guard response.status == 200 else {
            throw SpecError(
                kind: .unreadable, location: shown,
                message:
                    "HTTP \(response.status) while fetching the spec\(response.status == 401 || response.status == 403 ? " (a protected spec: pass -H 'Authorization: …' or --token with a --master on its origin)" : "")"
            )
        }
        return try await SpecLoader.load(bytes: response.body, source: shown, uri: url, strict: strict, overlays: overlays) { uri in
            guard uri.hasPrefix("http://") || uri.hasPrefix("https://") else { return nil }
            let answer = try? await client.send(request(uri, accept: nil))
            return answer?.status == 200 ? answer?.body : nil
        }
    }

    private func request(_ url: String, accept: String?) -> HTTPRequest {
        var h = HTTPHeaders()
        if let accept { h.add("Accept", accept) }
        for (name, value) in headers { h.add(name, value) }
        if let token, let master, RequestBuilder.split(url).origin == RequestBuilder.split(master).origin, !h.contains("Authorization") {
            h.add("Authorization", CredentialSlot.authorization(token))
        }
        return HTTPRequest(url: url, headers: h)
    }
}
