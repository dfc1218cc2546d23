import HTTP

/// The version string printed by `--version`, with the libcurl it runs on.
enum DetapiVersion {
    static let number = "0.1.0"
    static var full: String { "detapi \(number) (\(HTTPClient.curlVersion))" }
}
