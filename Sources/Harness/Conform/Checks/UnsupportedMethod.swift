import OpenAPI

/// The rule of `unsupported_method`, a check that sends requests of its own (`Sweep.probe`).
///
/// A method the path does not document gets 405 (or grpc-gateway's 501).
struct UnsupportedMethod {
    var check: ConformCheck { .unsupportedMethod }

    func finding(_ status: Int, documented: [String]) -> CheckFailure? {
        guard status != 405 && status != 501 else { return nil }
        return CheckFailure(
            check.kind, expected: "405 or 501", actual: String(status), reason: .methodNotRefused(documented: documented, status: status))
    }
}
