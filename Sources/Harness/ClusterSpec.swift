import Foundation
import HTTP
import JSON

/// The spec a master serves about itself (`GET <master>/api/v1/api.swagger.json`, no authentication), kept in a
/// cache so that a repeat run asks only whether it changed.
///
/// The cache is `$XDG_CACHE_HOME/detapi/` (else `~/.cache/detapi/`): per master, the spec's bytes and what the
/// master said about them (`Last-Modified`, `ETag`), sent back as `If-Modified-Since`/`If-None-Match`; a 304
/// answer uses the cached bytes. A cache that cannot be written is skipped, never an error.
public struct ClusterSpec: Sendable {
    /// Where the bytes came from.
    public enum Origin: Sendable, Equatable {
        case downloaded
        /// The master answered 304: the cached copy is current.
        case cached
    }

    /// Why the master's spec could not be had.
    public struct Unavailable: Error, Sendable, CustomStringConvertible {
        public var url: String
        public var reason: String
        public var description: String { "\(url): \(reason)" }
    }

    public let client: HTTPClient
    public let cacheFolder: String?

    public init(client: HTTPClient, cacheFolder: String? = ClusterSpec.defaultCacheFolder()) {
        self.client = client
        self.cacheFolder = cacheFolder
    }

    /// `$XDG_CACHE_HOME/detapi`, else `$HOME/.cache/detapi`; nil without either.
    public static func defaultCacheFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/detapi" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.cache/detapi" }
        return nil
    }

    /// The spec's URL on `master`.
    public static func url(master: String) -> String { RequestBuilder(master: master).master + "/api/v1/api.swagger.json" }

    /// The master's spec: from the cache when the master says it has not changed, else downloaded (and cached).
    public func fetch(master: String) async -> Result<(bytes: [UInt8], url: String, origin: Origin), Unavailable> {
        let url = Self.url(master: master)
        let cached = readCache(url)
        var headers: HTTPHeaders = ["Accept": "application/json"]
        if let cached {
            if let modified = cached.lastModified { headers.add("If-Modified-Since", modified) }
            if let tag = cached.etag { headers.add("If-None-Match", tag) }
        }
        let response: HTTPResponse
        do {
            response = try await client.send(HTTPRequest(url: url, headers: headers))
        } catch {
            return .failure(Unavailable(url: url, reason: error.description))
        }
        if response.status == 304, let cached { return .success((cached.bytes, url, .cached)) }
        guard response.status == 200 else { return .failure(Unavailable(url: url, reason: "HTTP \(response.status)")) }
        guard (try? JSONDocument(parsing: response.body)) != nil else {
            return .failure(Unavailable(url: url, reason: "the answer is not JSON"))
        }
        writeCache(url, bytes: response.body, lastModified: response.headers["Last-Modified"], etag: response.headers["ETag"])
        return .success((response.body, url, .downloaded))
    }

    /// The cached copy of `master`'s spec, if any (read before asking whether it changed, to load it early).
    public static func cached(master: String, cacheFolder: String? = defaultCacheFolder()) -> [UInt8]? {
        readCache(url(master: master), folder: cacheFolder)?.bytes
    }

    /// What `master` is by its `/info`: a Determined master (a JSON object with `version` or `clusterId`),
    /// another server, or nothing that answers.
    public enum Kind: Sendable, Equatable { case determined, other, unreachable }

    /// Asks `master`'s `/info` what it is: only a Determined master gets the built-in spec in place of one it
    /// does not serve.
    public func kind(of master: String) async -> Kind {
        let url = RequestBuilder(master: master).master + "/info"
        guard let response = try? await client.send(HTTPRequest(url: url, headers: ["Accept": "application/json"])) else {
            return .unreachable
        }
        guard response.status == 200, let info = try? JSONValue(parsing: response.body) else { return .other }
        return info["version"]?.stringValue != nil || info["clusterId"]?.stringValue != nil ? .determined : .other
    }

    /// The path of `master` beyond its origin (`/api/v1` in `http://host:8080/api/v1`), "" for none.
    public static func path(of master: String) -> String { RequestBuilder.split(RequestBuilder(master: master).master).path }

    // MARK: the cache

    struct Entry {
        var bytes: [UInt8]
        var lastModified: String?
        var etag: String?
    }

    /// The file stem of a URL's entry: a 64-bit FNV-1a hash of the URL, in hex.
    static func stem(_ url: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in url.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    func readCache(_ url: String) -> Entry? { Self.readCache(url, folder: cacheFolder) }

    static func readCache(_ url: String, folder: String?) -> Entry? {
        guard let folder else { return nil }
        let stem = folder + "/" + Self.stem(url)
        guard let meta = FileManager.default.contents(atPath: stem + ".meta"),
            let bytes = FileManager.default.contents(atPath: stem + ".json"),
            let value = try? JSONValue(parsing: Array(meta)), value["url"]?.stringValue == url
        else { return nil }
        return Entry(bytes: Array(bytes), lastModified: value["lastModified"]?.stringValue, etag: value["etag"]?.stringValue)
    }

    func writeCache(_ url: String, bytes: [UInt8], lastModified: String?, etag: String?) {
        guard let folder = cacheFolder, lastModified != nil || etag != nil else { return }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let stem = folder + "/" + Self.stem(url)
            try Data(bytes).write(to: URL(fileURLWithPath: stem + ".json"), options: .atomic)
            var meta = JSONObject([.init(key: "url", value: .string(url))])
            if let lastModified { meta["lastModified"] = .string(lastModified) }
            if let etag { meta["etag"] = .string(etag) }
            try Data(JSONWriter().bytes(.object(meta))).write(to: URL(fileURLWithPath: stem + ".meta"), options: .atomic)
        } catch {
            // A read-only home or a full disk: the next run downloads the spec again.
        }
    }
}
