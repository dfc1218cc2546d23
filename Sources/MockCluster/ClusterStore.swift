import Crypto
import Foundation
import JSON

/// The mock master's state and the rules that change it; one actor so concurrent requests see one history.
///
/// Delayed transitions (STOPPING_* → terminal, DELETING → gone) are stored with a due time and applied
/// on the next access, so no timers run and a scenario can poll for them.
actor ClusterStore {
    /// Set when the server stops: open `follow=true` streams end.
    private(set) var stopping = false

    /// Ends open streams so that a graceful shutdown does not wait on them.
    func stop() { stopping = true }

    var state: MockState
    let masterID = UUID().uuidString.lowercased()
    let tokenLifetime: TimeInterval
    let transitionDelay: TimeInterval
    let stateFile: String?
    /// Rendered list entries: finished experiments for good (second -1), running ones for the current second
    /// (their `duration` moves with the clock); cleared on every change.
    var listCache: [Int: (second: Int, bytes: [UInt8])] = [:]

    /// The salt the Determined client prepends before SHA-512 (reference §1).
    static let passwordSalt = "GubPEmmotfiK9TMD6Zdw"

    /// The first user (admin in the seeded data).
    func firstUser() -> MockUser { state.users[0] }

    /// What time it is for tokens and transitions (a test's `ManualClock`, or the system's).
    let clock: MockClock

    /// Test-only wrong behaviours.
    let breakage: Set<MockBreakage>

    init(
        state: MockState, tokenLifetime: TimeInterval, transitionDelay: TimeInterval, stateFile: String?, clock: MockClock = .system,
        breakage: Set<MockBreakage> = []
    ) {
        self.clock = clock
        self.breakage = breakage
        self.state = state
        self.tokenLifetime = tokenLifetime
        self.transitionDelay = transitionDelay
        self.stateFile = stateFile
    }

    /// sha512(salt + password) as 128 lowercase hex characters, like the Python client.
    static func clientHash(_ password: String) -> String {
        SHA512.hash(data: Data((passwordSalt + password).utf8)).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: persistence

    /// Writes the state to `stateFile` atomically (temporary file, then rename).
    func persist() {
        listCache.removeAll()
        guard let stateFile else { return }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(state) else { return }
        let temporary = stateFile + ".tmp-\(getpid())"
        if FileManager.default.createFile(atPath: temporary, contents: data) {
            _ = rename(temporary, stateFile)
        }
    }

    /// Reads a state file; the error is one line: why it is not a state file, with the place when it is not JSON.
    static func load(_ path: String) throws(MockError) -> MockState {
        let bytes: [UInt8]
        switch InputFile.read(path, what: "state", limit: 256 << 20) {
        case .success(let b): bytes = b
        case .failure(let failure): throw MockError("--state \(failure)")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        do {
            return try decoder.decode(MockState.self, from: Data(bytes))
        } catch let error as DecodingError {
            // Foundation does not say where JSON breaks; detapi's parser does (run only for a broken file).
            do { _ = try JSONDocument(parsing: bytes) } catch {
                throw MockError(
                    "--state \(path):\(error.line):\(error.column): not JSON (\(error.message)); move it away or pass another path")
            }
            throw MockError("--state \(path): not a state file detapi wrote (\(Self.describe(error))); move it away or pass another path")
        } catch {
            throw MockError("--state \(path): not a state file detapi wrote; move it away or pass another path")
        }
    }

    /// A decoding error as a field path and what was wrong, instead of Foundation's debug dump.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            "/" + keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "/")
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "unreadable"
        }
    }

    /// Applies transitions whose time has come.
    func advance(_ nowOverride: Date? = nil) {
        let now = nowOverride ?? clock.now()
        if state.projects.contains(where: { $0.deleteDue != nil }), advanceProjectDeletes(now) { persist() }
        guard state.experiments.contains(where: { $0.pendingAt != nil }) else { return }
        var changed = false
        state.experiments.removeAll { e in
            guard let at = e.pendingAt, at <= now, e.pendingState == "" else { return false }
            changed = true
            return true
        }
        for i in state.experiments.indices {
            guard let at = state.experiments[i].pendingAt, at <= now, let target = state.experiments[i].pendingState else { continue }
            state.experiments[i].state = target
            state.experiments[i].endTime = now
            if target == "COMPLETED" { state.experiments[i].progress = 1.0 }
            state.experiments[i].pendingAt = nil
            state.experiments[i].pendingState = nil
            changed = true
        }
        if changed { persist() }
    }

    // MARK: authentication (reference §1–3)

    func login(username: String, password: String, isHashed: Bool, now nowOverride: Date? = nil) throws(GatewayError) -> (
        token: String, user: JSONValue, expiry: Date
    ) {
        let now = nowOverride ?? clock.now()
        guard !username.isEmpty else { throw GatewayError(.invalidArgument, "missing argument: username") }
        guard let index = state.users.firstIndex(where: { $0.username == username }) else { throw .invalidCredentials }
        let user = state.users[index]
        let valid: Bool
        if password.isEmpty {
            valid = user.passwordHash == nil
        } else if let stored = user.passwordHash {
            valid = (isHashed ? password : ClusterStore.clientHash(password)) == stored
        } else {
            valid = false
        }
        guard valid else { throw .invalidCredentials }
        guard user.active else { throw GatewayError(.permissionDenied, "user is not active") }
        let token = Self.newToken()
        let expiry = now.addingTimeInterval(tokenLifetime)
        state.sessions.append(MockSession(token: token, userID: user.id, expiry: expiry))
        state.users[index].lastAuthAt = now
        persist()
        return (token, MockJSON.user(state.users[index]), expiry)
    }

    /// A fresh token shaped like the master's PASETO tokens (`v2.public.` and 32 random bytes, base64url): session
    /// and access tokens alike.
    static func newToken() -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        return "v2.public."
            + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    func logout(token: String) {
        state.sessions.removeAll { $0.token == token }
        persist()
    }

    /// The caller, from `Authorization: Bearer …` or else the `auth` cookie; the master's exact errors.
    func authenticate(authorization: String?, cookie: String?, now nowOverride: Date? = nil) throws(GatewayError) -> (
        user: MockUser, token: String
    ) {
        let now = nowOverride ?? clock.now()
        let header = authorization ?? cookie.map { "Bearer " + $0 }
        guard let header else { throw .tokenMissing }
        guard header.hasPrefix("Bearer ") else { throw .invalidCredentials }
        let token = String(header.dropFirst("Bearer ".count))
        let userID: Int
        if let session = state.sessions.first(where: { $0.token == token }), session.expiry >= now {
            userID = session.userID
        } else if let access = state.accessTokens?.first(where: { $0.token == token }), access.expiry >= now {
            // Expiry is checked before revocation (§19): an expired revoked token is "invalid credentials".
            guard !access.revoked else { throw GatewayError(.unauthenticated, "user access token revoked") }
            userID = access.userID
        } else {
            throw .invalidCredentials
        }
        guard let user = state.users.first(where: { $0.id == userID }) else { throw .invalidCredentials }
        guard user.active else { throw GatewayError(.permissionDenied, "user does not have permission") }
        return (user, token)
    }

    func user(id: Int) -> MockUser? { state.users.first { $0.id == id } }

    // MARK: master

    func masterJSON(version: String) -> JSONValue {
        MockJSON.object([
            ("version", .string(version)), ("masterId", .string(masterID)), ("clusterId", .string(state.clusterID)),
            ("clusterName", ""), ("telemetryEnabled", false), ("ssoProviders", .array([])), ("externalLoginUri", ""),
            ("externalLogoutUri", ""), ("branding", "determined"), ("rbacEnabled", false), ("product", "PRODUCT_UNSPECIFIED"),
            ("featureSwitches", .array([])), ("userManagementEnabled", true), ("strictJobQueueControl", false),
            ("hasCustomLogo", false),
        ])
    }

    func infoJSON(version: String) -> JSONValue {
        MockJSON.object([
            ("version", .string(version)), ("master_id", .string(masterID)), ("cluster_id", .string(state.clusterID)),
            ("cluster_name", ""),
            ("telemetry", MockJSON.object([("enabled", false), ("otel_enabled", false), ("otel_endpoint", "")])),
            ("sso_providers", .null),
        ])
    }
}
