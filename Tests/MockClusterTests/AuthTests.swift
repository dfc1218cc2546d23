import Foundation
import HTTP
import JSON
import MockCluster
import Testing

@Suite("Mock: login and authentication (reference §1–3)")
struct AuthTests {
    @Test("login cases: blank password, wrong password, unknown user, missing username, hashed password")
    func login() async throws {
        try await withMock({ _ in }) { m in
            let ok = try await m.post("/api/v1/auth/login", body: #"{"username":"determined","password":""}"#)
            #expect(ok.status == 200)
            #expect(ok.body["token"]?.stringValue?.hasPrefix("v2.public.") == true)
            #expect(ok.body["user"]?["username"] == "determined")
            #expect(ok.body["user"]?["admin"] == false)
            #expect(ok.body["user"]?["lastAuthAt"] != nil)
            #expect(ok.response.headers["Set-Cookie"]?.hasPrefix("auth=v2.public.") == true)
            let wrong = try await m.post("/api/v1/auth/login", body: #"{"username":"determined","password":"nope"}"#)
            #expect(wrong.status == 401)
            #expect(wrong.body == ["error": ["code": 16, "reason": "Unauthenticated", "error": "invalid credentials"]])
            #expect(wrong.response.bodyText.hasSuffix("}\n"), "gateway errors end with a newline")
            #expect(try await m.post("/api/v1/auth/login", body: #"{"username":"nobody","password":""}"#).error == "invalid credentials")
            let missing = try await m.post("/api/v1/auth/login", body: #"{"password":""}"#)
            #expect(missing.status == 400 && missing.error == "missing argument: username")
            let empty = try await m.post("/api/v1/auth/login", body: nil)
            #expect(
                empty.status == 400 && empty.error == "missing argument: username",
                "an empty body is accepted, then the username is missing")
            let malformed = try await m.post("/api/v1/auth/login", body: "{username")
            #expect(malformed.status == 400 && malformed.body["error"]?["reason"] == "InvalidArgument")
        }
        try await withMock({ $0.password = "s3cret-Pass" }) { m in
            #expect(try await m.post("/api/v1/auth/login", body: #"{"username":"admin","password":""}"#).status == 401)
            #expect(try await m.post("/api/v1/auth/login", body: #"{"username":"admin","password":"s3cret-Pass"}"#).status == 200)
            #expect(
                ClusterStoreHash.sha512("GubPEmmotfiK9TMD6Zdw" + "password")
                    == "112ded61f568879685bb7849596d3372f9de8e18733483f25363123bc4aa98eb7abe69b4c0487140dafce136cc1c5e452cc93748f6ef961e26325bc34717da65",
                "the reference's example hash")
            let hash = ClusterStoreHash.sha512("GubPEmmotfiK9TMD6Zdw" + "s3cret-Pass")
            let hashed = try await m.post("/api/v1/auth/login", body: #"{"username":"admin","password":"\#(hash)","isHashed":true}"#)
            #expect(hashed.status == 200)
            let snake = try await m.post("/api/v1/auth/login", body: #"{"username":"admin","password":"\#(hash)","is_hashed":true}"#)
            #expect(snake.status == 200, "proto names are accepted too")
        }
    }

    @Test("token cases: missing, not Bearer, garbage, logged out, cookie; GetMaster needs none")
    func tokens() async throws {
        try await withMock { m in
            let token = try await m.login()
            #expect(try await m.get("/api/v1/me", token: token).body["user"]?["username"] == "determined")
            #expect(try await m.get("/api/v1/auth/user", token: token).body["user"]?["username"] == "determined")
            let none = try await m.get("/api/v1/me")
            #expect(none.status == 401 && none.error == "token missing")
            var basic = HTTPHeaders()
            basic.add("Authorization", "Basic abc")
            #expect(try await m.send(.get, "/api/v1/me", headers: basic).error == "invalid credentials")
            var lower = HTTPHeaders()
            lower.add("Authorization", "bearer \(token)")
            #expect(try await m.send(.get, "/api/v1/me", headers: lower).status == 401, "the scheme is case-sensitive")
            #expect(try await m.get("/api/v1/me", token: "v2.public.garbage").error == "invalid credentials")
            var cookie = HTTPHeaders()
            cookie.add("Cookie", "auth=\(token)")
            #expect(try await m.send(.get, "/api/v1/me", headers: cookie).status == 200)
            #expect(try await m.get("/api/v1/master").status == 200)
            #expect(try await m.get("/api/v1/master", token: "garbage").status == 200)
            let logout = try await m.post("/api/v1/auth/logout", token: token)
            #expect(logout.status == 200 && logout.body == [:])
            #expect(logout.response.headers["Set-Cookie"]?.contains("1970") == true)
            #expect(try await m.get("/api/v1/me", token: token).error == "invalid credentials")
        }
    }

    @Test("an expired token is refused: good up to its lifetime, refused just after")
    func expiry() async throws {
        let clock = ManualClock()
        try await withMock({
            $0.tokenLifetime = 60
            $0.clock = .manual(clock)
        }) { m in
            let token = try await m.login()
            #expect(try await m.get("/api/v1/me", token: token).status == 200)
            clock.advance(by: 59)
            #expect(try await m.get("/api/v1/me", token: token).status == 200)
            clock.advance(by: 2)
            #expect(try await m.get("/api/v1/me", token: token).error == "invalid credentials")
        }
    }
}

@Suite("Mock: inactive users (reference §1, §3)")
struct InactiveUserTests {
    @Test("an inactive user's login is 403 after the password check; its token is 403 too")
    func inactive() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-inactive-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        // Log in once, then deactivate 'determined' in the saved state, as an admin would.
        try await withMock({ $0.stateFile = file }) { m in _ = try await m.login() }
        guard case .object(var state) = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: file)))),
            case .array(var users)? = state["users"], case .object(var determined) = users[1]
        else {
            Issue.record("the saved state has no users")
            return
        }
        #expect(determined["username"] == "determined")
        determined["active"] = false
        users[1] = .object(determined)
        state["users"] = .array(users)
        let edited = JSONWriter().string(.object(state))
        try edited.write(toFile: file, atomically: true, encoding: .utf8)
        try await withMock({ $0.stateFile = file }) { m in
            let login = try await m.post("/api/v1/auth/login", body: #"{"username":"determined","password":""}"#)
            #expect(login.status == 403)
            #expect(login.body == ["error": ["code": 7, "reason": "PermissionDenied", "error": "user is not active"]])
            let wrong = try await m.post("/api/v1/auth/login", body: #"{"username":"determined","password":"x"}"#)
            #expect(wrong.status == 401, "the password is checked before the active flag")
            let savedToken = try #require(
                (try? JSONValue(parsing: Array(edited.utf8)))?["sessions"]?[0]?["token"]?.stringValue)
            let me = try await m.get("/api/v1/me", token: savedToken)
            #expect(me.status == 403 && me.error == "user does not have permission")
        }
    }
}
