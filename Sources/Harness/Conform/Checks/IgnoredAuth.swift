import OpenAPI

/// The rules of `ignored_auth`, a check that sends requests of its own (`Sweep.withoutCredentials`).
///
/// An operation with security that worked must refuse the same request without valid credentials (401, 403,
/// or a redirect to a login page it does not document); an operation without security must not answer an
/// undocumented 401.
struct IgnoredAuth {
    var check: ConformCheck { .ignoredAuth }

    /// Whether `status` refuses a request without valid credentials: 401, 403, or a 3xx the operation does not
    /// document (a redirect to a login page).
    static func isRefusal(_ status: Int, _ op: OpenAPI.Operation) -> Bool {
        if status == 401 || status == 403 { return true }
        guard (300..<400).contains(status) else { return false }
        return !op.responses.contains { $0.status == .code(status) || $0.status == .range(3) }
    }

    /// The finding for an answer to `credentials` (`without credentials`, `an invalid token`) that was not refused.
    func notRefused(_ status: Int, credentials: String, _ op: OpenAPI.Operation) -> CheckFailure? {
        guard !Self.isRefusal(status, op) else { return nil }
        return CheckFailure(
            check.kind, expected: "401 or 403", actual: String(status), reason: .securityIgnored(credentials: credentials, status: status))
    }

    /// The finding for an operation without security that answered 401 to the request with credentials, when it
    /// documents no 401 (nor 4XX).
    func unexpectedRefusal(_ status: Int, _ op: OpenAPI.Operation) -> CheckFailure? {
        guard status == 401, !op.responses.contains(where: { $0.status == .code(401) || $0.status == .range(4) }) else { return nil }
        return CheckFailure(check.kind, expected: "not 401", actual: "401", reason: .unauthorizedWithoutSecurity)
    }
}
