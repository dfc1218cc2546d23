import Foundation
import JSON

/// User writes (reference §25): create, patch, set a password, bulk (de)activate, with the master's rules for
/// names, permissions, sessions and access tokens.
extension ClusterStore {
    /// `clearUsername` (§25.2): the trimmed name, or the 400 it breaks.
    private func cleanName(_ raw: String, minimum: Int, targetAdmin: Bool, currentName: String) throws(GatewayError) -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if !name.unicodeScalars.allSatisfy({ $0.isASCII }) {
            throw GatewayError(.invalidArgument, "Display name and username cannot contain non-ASCII characters.")
        }
        if name.count < minimum { throw GatewayError(.invalidArgument, "Display name or username value has minimum length.") }
        if name.lowercased() == "admin" && !targetAdmin { throw GatewayError(.invalidArgument, "Non-admin user cannot be renamed 'admin'") }
        if name.lowercased() == "determined" && currentName != "determined" {
            throw GatewayError(.invalidArgument, "User cannot be renamed 'determined'")
        }
        return name
    }

    /// The stored hash of a password as sent: hashed by the client already, or plaintext (salted here); "" is none.
    private static func storedHash(_ password: String, isHashed: Bool) -> String? {
        if password.isEmpty { return nil }
        return isHashed ? password : clientHash(password)
    }

    func postUser(caller: MockUser, body: JSONValue) throws(GatewayError) -> JSONValue {
        guard let user = body["user"], case .object = user else { throw GatewayError(.invalidArgument, "must specify user to create") }
        let password = try MockGateway.string(body, "password")
        let remote = try MockGateway.bool(user, "remote")
        if !password.isEmpty && remote { throw GatewayError(.invalidArgument, "cannot set password for remote user") }
        let admin = try MockGateway.bool(user, "admin")
        let requested = try MockGateway.string(user, "username")
        let username = try cleanName(requested, minimum: 2, targetAdmin: admin, currentName: requested)
        var displayName = try MockGateway.string(user, "displayName")
        if !displayName.isEmpty { displayName = try cleanName(displayName, minimum: 0, targetAdmin: admin, currentName: requested) }
        guard caller.admin else { throw GatewayError(.permissionDenied, "only admin privileged users can create users") }
        if state.users.contains(where: { $0.username == username }) {
            throw GatewayError(.internalError, "code=400, message=user already exists")
        }
        let u = MockUser(
            id: (state.users.map(\.id).max() ?? 0) + 1, username: username, admin: admin, active: try MockGateway.bool(user, "active"),
            displayName: displayName,
            passwordHash: remote ? "" : Self.storedHash(password, isHashed: try MockGateway.bool(body, "isHashed", "is_hashed")),
            modifiedAt: clock.now(), lastAuthAt: nil, remote: remote)
        state.users.append(u)
        persist()
        return MockJSON.object([("user", MockJSON.user(u))])
    }

    /// PatchUser (§25.4), checks in the handler's order; a write without `active: true` revokes the target's
    /// access tokens, and a password change ends its login sessions.
    func patchUser(caller: MockUser, id: Int, body: JSONValue) throws(GatewayError) -> JSONValue {
        if case .object(let fields) = body, fields.isEmpty { throw GatewayError(.invalidArgument, "must provide user") }
        guard let i = state.users.firstIndex(where: { $0.id == id }) else { throw GatewayError(.notFound, "user not found") }
        let target = state.users[i]
        let isSelf = caller.id == id
        func given(_ key: String) -> Bool { body[key].map { !$0.isNull } ?? false }
        if given("admin"), !caller.admin { throw GatewayError(.permissionDenied, "only admin privileged users can update users") }
        if given("remote"), !caller.admin { throw GatewayError(.permissionDenied, "only admin privileged users can update other users") }
        if given("active"), !caller.admin { throw GatewayError(.permissionDenied, "only admin privileged users can update users") }
        var next = target
        if given("admin") { next.admin = try MockGateway.bool(body, "admin") }
        if given("active") { next.active = try MockGateway.bool(body, "active") }
        if given("remote") { next.remote = try MockGateway.bool(body, "remote") }
        if given("username") {
            let wanted = try MockGateway.string(body, "username")
            if wanted != target.username {
                guard caller.admin || isSelf else {
                    throw GatewayError(.permissionDenied, "only admin privileged users can update other users")
                }
                if next.remote ?? false { throw GatewayError(.invalidArgument, "Cannot set username for remote users") }
                next.username = try cleanName(wanted, minimum: 2, targetAdmin: target.admin, currentName: target.username)
            }
        }
        if given("displayName") {
            let wanted = try MockGateway.string(body, "displayName")
            if wanted != target.displayName {
                guard caller.admin || isSelf else {
                    throw GatewayError(.permissionDenied, "only admin privileged users can set another user's display name")
                }
                let name = try cleanName(wanted, minimum: 0, targetAdmin: target.admin, currentName: target.username)
                if !name.isEmpty,
                    state.users.contains(where: {
                        $0.id != id && ($0.username.lowercased() == name.lowercased() || $0.displayName.lowercased() == name.lowercased())
                    })
                {
                    throw GatewayError(.invalidArgument, "can not change display name to \(name) found a similar username or display name")
                }
                next.displayName = name
            }
        }
        var passwordChanged = false
        if given("password") {
            guard caller.admin || isSelf else {
                throw GatewayError(.permissionDenied, "only admin privileged users can change other user's passwords")
            }
            if next.remote ?? false { throw GatewayError(.invalidArgument, "Cannot set password for remote users") }
            next.passwordHash = Self.storedHash(
                try MockGateway.string(body, "password"), isHashed: try MockGateway.bool(body, "isHashed", "is_hashed"))
            passwordChanged = true
        }
        if given("agentUserGroup"), !caller.admin { throw GatewayError(.permissionDenied, "only admin privileged users can update users") }
        let wrote =
            passwordChanged || next.username != target.username || next.displayName != target.displayName || next.admin != target.admin
            || next.active != target.active || next.remote != target.remote
        guard wrote else { return MockJSON.object([("user", MockJSON.user(target))]) }
        if next.username != target.username, state.users.contains(where: { $0.id != id && $0.username == next.username }) {
            throw GatewayError(
                .internalError,
                "error setting active status of \"\(next.username)\": ERROR: duplicate key value violates unique constraint \"users_username_key\" (SQLSTATE 23505)"
            )
        }
        next.modifiedAt = clock.now()
        state.users[i] = next
        // The update struct starts inactive: any write without active: true revokes the target's access tokens.
        if !(given("active") && next.active) { revokeAccessTokens(of: id) }
        if passwordChanged { state.sessions.removeAll { $0.userID == id } }
        persist()
        return MockJSON.object([("user", MockJSON.user(next))])
    }

    /// SetUserPassword (§25.5): the body is a bare JSON string, always plaintext.
    func setUserPassword(caller: MockUser, id: Int, body: [UInt8]) throws(GatewayError) -> JSONValue {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: body)
        } catch {
            throw GatewayError(.invalidArgument, "invalid character in the password body")
        }
        guard let password = value.stringValue else {
            throw GatewayError(.invalidArgument, "json: cannot unmarshal \(value.typeName) into Go value of type string")
        }
        guard let i = state.users.firstIndex(where: { $0.id == id }) else { throw GatewayError(.notFound, "user not found") }
        guard caller.admin || caller.id == id else {
            throw GatewayError(.permissionDenied, "only admin privileged users can change other user's passwords")
        }
        state.users[i].passwordHash = Self.storedHash(password, isHashed: false)
        state.users[i].modifiedAt = clock.now()
        state.sessions.removeAll { $0.userID == id }
        if !state.users[i].active { revokeAccessTokens(of: id) }
        persist()
        return MockJSON.object([("user", MockJSON.user(state.users[i]))])
    }

    /// Revokes every access token of the user (§25.4: they then get 401 `user access token revoked`).
    private func revokeAccessTokens(of userID: Int) {
        guard var tokens = state.accessTokens else { return }
        for t in tokens.indices where tokens[t].userID == userID { tokens[t].revoked = true }
        state.accessTokens = tokens
    }

    /// PatchUsers (§25.6): always 200, one result per id; only `active` flips, tokens and sessions stay.
    func patchUsers(caller: MockUser, body: JSONValue) throws(GatewayError) -> JSONValue {
        let ids = try MockGateway.ints(body, "userIds", "user_ids")
        let activate = try MockGateway.bool(body, "activate")
        let error = caller.admin ? "" : "only admin privileged users can update users"
        if caller.admin {
            for i in state.users.indices where ids.contains(state.users[i].id) { state.users[i].active = activate }
            persist()
        }
        return MockJSON.object([
            ("results", .array(ids.map { MockJSON.object([("error", .string(error)), ("id", MockJSON.int($0))]) }))
        ])
    }
}
