import ArgumentParser
import Foundation
import HTTP
import Harness

/// Where the cluster is and how to reach it; shared by every command that sends requests.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Base URL of the cluster [default: $DET_MASTER].", valueName: "url"))
    var master: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Token to send where the operation's security scheme says (Bearer, an apiKey header, query or cookie) [default: $DET_TOKEN].",
            valueName: "token"))
    var token: String?

    @Option(
        name: [.customShort("H"), .customLong("header")],
        help: ArgumentHelp(
            "A header sent with every request, 'Name: value' (repeatable) [default: $DETAPI_HEADERS, one per line]; secret-named values are hidden.",
            valueName: "header"))
    var header: [String] = []

    @Option(
        name: [.customShort("u"), .long],
        help: ArgumentHelp(
            "NAME:PASSWORD for HTTP basic security schemes; NAME alone is the user to log in as ($DET_USER; explore asks the password).",
            valueName: "user"))
    var user: String?

    @Option(
        name: .customLong("server-var"),
        help: ArgumentHelp(
            "An OpenAPI 3 server variable of the base path, name=value (repeatable; else its default).", valueName: "name=value"))
    var serverVar: [String] = []

    @Option(
        name: .customLong("auth-scheme"),
        help: ArgumentHelp("The security scheme to use when an operation accepts several (its name in the spec).", valueName: "name"))
    var authScheme: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Time allowed for each request: seconds, or 5s, 500ms, 2m; 0 for no limit [default: 60 s; conform: 10 s].",
            valueName: "duration"))
    var timeout: String?

    @Option(name: .long, help: ArgumentHelp("Time allowed to connect: seconds, or 5s, 500ms [default: 10 s].", valueName: "duration"))
    var connectTimeout: String = "10"

    /// `--timeout` in seconds, else `fallback` (60 s; conform's is 10 s).
    func timeoutSeconds(default fallback: Double = 60) -> Double {
        timeout.flatMap { DurationText.seconds($0, max: 86_400) } ?? fallback
    }

    var connectTimeoutSeconds: Double { DurationText.seconds(connectTimeout, max: 86_400) ?? 10 }

    @Option(name: .long, help: ArgumentHelp("PEM file of CA certificates to trust.", valueName: "file"))
    var cacert: String?

    @Option(name: .long, help: ArgumentHelp("PEM client certificate for mutual TLS.", valueName: "file"))
    var cert: String?

    @Option(name: .long, help: ArgumentHelp("PEM private key of the client certificate.", valueName: "file"))
    var key: String?

    @Flag(name: [.customShort("k"), .long], help: "Do not verify the server's TLS certificate.")
    var insecure = false

    @Option(name: .long, help: ArgumentHelp("Proxy URL (curl also honours http_proxy, HTTPS_PROXY, NO_PROXY).", valueName: "url"))
    var proxy: String?

    @Flag(name: [.customShort("L"), .long], help: "Follow redirects (at most 10).")
    var location = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Largest response body accepted (512K, 64M, 1G); a larger one fails its step, reading stops at the limit.",
            valueName: "size"))
    var maxBody = "64M"

    /// `-H` options, else `$DETAPI_HEADERS` (one per line), as (name, value) pairs.
    var resolvedHeaders: [(String, String)] {
        let lines =
            header.isEmpty ? (ProcessInfo.processInfo.environment["DETAPI_HEADERS"] ?? "").split(separator: "\n").map(String.init) : header
        return lines.compactMap { line in
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else { return nil }
            return (
                line[..<colon].trimmingCharacters(in: .whitespaces), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            )
        }
    }

    /// `user:password` when `--user` carries a password (basic schemes).
    var basicAuth: String? { user.flatMap { $0.contains(":") ? $0 : nil } }

    /// The login for operations that need a token: `--user NAME` over DET_USER, DET_PASS for the password.
    var credentials: Credentials {
        var c = Credentials(environment: ProcessInfo.processInfo.environment)
        if let user, !user.contains(":"), !user.isEmpty {
            c.user = user
            c.source =
                "user from --user, "
                + (ProcessInfo.processInfo.environment["DET_PASS"] != nil ? "password from DET_PASS" : "blank password")
        }
        return c
    }

    /// Runner options for `master` from these connection options: the token, the login, headers, schemes.
    func runnerOptions(master: String) -> Runner.Options {
        var options = Runner.Options(master: master, token: resolvedToken, credentials: credentials)
        options.headers = resolvedHeaders
        options.authScheme = authScheme
        options.basicAuth = basicAuth
        for pair in serverVar {
            guard let eq = pair.firstIndex(of: "=") else { continue }
            options.serverVariables[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        return options
    }

    func validate() throws {
        for pair in serverVar where !pair.contains("=") || pair.hasPrefix("=") {
            throw ValidationError("--server-var '\(pair)': write name=value.")
        }
        for h in header where !h.contains(":") || h.hasPrefix(":") {
            throw ValidationError("-H '\(h)': a header is 'Name: value'.")
        }
        if let timeout, DurationText.seconds(timeout, max: 86_400).map({ DurationText.isAllowed($0, max: 86_400) }) != true {
            throw ValidationError(
                "--timeout \(timeout): give the time allowed for each request (30, 5s, 500ms, 2m), from 0 (no limit) to 24h.")
        }
        guard let connect = DurationText.seconds(connectTimeout, max: 86_400), DurationText.isAllowed(connect, max: 86_400), connect > 0
        else {
            throw ValidationError(
                "--connect-timeout \(connectTimeout): give the seconds allowed to connect, more than 0 and at most 86400.")
        }
        guard ByteSizeText.bytes(maxBody) != nil else {
            throw ValidationError("--max-body \(maxBody): give a size such as 512K, 64M or 1G (at most 16G).")
        }
        for (flag, path) in [("--cacert", cacert), ("--cert", cert), ("--key", key)] {
            if let path, !FileManager.default.isReadableFile(atPath: path) {
                throw ValidationError("\(flag) \(path): no readable file there.")
            }
        }
    }

    var resolvedMaster: String? {
        master ?? ProcessInfo.processInfo.environment["DET_MASTER"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var resolvedToken: String? {
        token ?? ProcessInfo.processInfo.environment["DET_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var clientOptions: HTTPClientOptions {
        var o = HTTPClientOptions()
        o.timeout = timeoutSeconds()
        o.connectTimeout = connectTimeoutSeconds
        o.caFile = cacert
        o.clientCertificate = cert
        o.clientKey = key
        o.insecure = insecure
        o.proxy = proxy
        o.followRedirects = location
        o.maxBodySize = ByteSizeText.bytes(maxBody) ?? o.maxBodySize
        o.userAgent = "detapi/\(DetapiVersion.number)"
        return o
    }
}
