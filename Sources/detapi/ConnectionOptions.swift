import ArgumentParser
import Foundation
import HTTP
import Harness

/// Where the cluster is and how to reach it; shared by every command that sends requests.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Base URL of the cluster [default: $DET_MASTER].", valueName: "url"))
    var master: String?

    @Option(name: .long, help: ArgumentHelp("Bearer token to send [default: $DET_TOKEN].", valueName: "token"))
    var token: String?

    @Option(name: .long, help: ArgumentHelp("Seconds allowed for each request.", valueName: "seconds"))
    var timeout: Double = 60

    @Option(name: .long, help: ArgumentHelp("Seconds allowed to connect.", valueName: "seconds"))
    var connectTimeout: Double = 10

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

    func validate() throws {
        guard DurationText.isAllowed(timeout, max: 86_400) else {
            throw ValidationError("--timeout \(timeout): give the seconds allowed for each request, from 0 (no limit) to 86400 (a day).")
        }
        guard DurationText.isAllowed(connectTimeout, max: 86_400), connectTimeout > 0 else {
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
        o.timeout = timeout
        o.connectTimeout = connectTimeout
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
