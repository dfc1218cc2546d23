import HTTP
import JSON
import Testing

@Suite("Redactor: one masker for every output")
struct RedactorTests {
    @Test(
        "secret by the last word of the name",
        arguments: [
            "password", "Password", "passwd", "token", "accessToken", "refresh_token", "api_key", "apiKey", "APIKey", "x-api-key",
            "clientSecret", "client_secret", "Authorization", "Cookie", "newPassword", "user.password", "privateKey",
        ])
    func secret(name: String) {
        #expect(Redactor.isSecretName(name), "\(name) should be secret")
    }

    @Test(
        "not secret: the secret word is not the last one, or is part of another word",
        arguments: [
            "tokenizer", "tokenCount", "secretName", "passwordPolicy", "token_type", "username", "key", "sshKeyId", "cookies_enabled",
        ])
    func notSecret(name: String) {
        #expect(!Redactor.isSecretName(name), "\(name) should not be secret")
    }

    @Test("names split at camelCase, capital runs, _, - and .")
    func words() {
        #expect(SecretNames.words(of: "refresh_token") == ["refresh", "token"])
        #expect(SecretNames.words(of: "accessToken") == ["access", "token"])
        #expect(SecretNames.words(of: "APIKey") == ["api", "key"])
        #expect(SecretNames.words(of: "X-Auth-Token") == ["x", "auth", "token"])
        #expect(SecretNames.words(of: "v2Token") == ["v2", "token"])
    }

    @Test("bodies: secret fields masked, a field named tokenizer kept and not registered; formatting kept when nothing is secret")
    func bodies() throws {
        var r = Redactor()
        let value = try JSONValue(
            parsing: Array(#"{"password":"hunter2","tokenizer":"bpe","nested":[{"accessToken":"abc123"}],"n":1}"#.utf8))
        r.registerSecretFields(in: value)
        #expect(r.secretValues.sorted() == ["abc123", "hunter2"])
        #expect(r.text(value) == #"{"password":"***","tokenizer":"bpe","nested":[{"accessToken":"***"}],"n":1}"#)
        let plain = "{\n  \"tokenizer\": \"bpe\"\n}"
        #expect(r.body(Array(plain.utf8)) == plain, "nothing secret: the text is shown as it came")
        #expect(r.body(Array("the token is abc123".utf8)) == "the token is ***", "registered values are hidden in any text")
        #expect(r.body([0xFF, 0xFE, 0x00]) == "<3 bytes of binary data>")
    }

    @Test("cookies an answer sets are registered; headers keep the Bearer word")
    func cookies() {
        var r = Redactor()
        var h = HTTPHeaders()
        h.add("Set-Cookie", "auth=v2.public.SECRET; Path=/; HttpOnly")
        h.add("Set-Cookie", "empty=; Path=/")
        r.registerCookies(from: h)
        #expect(r.secretValues == ["v2.public.SECRET"])
        #expect(r.redact("token v2.public.SECRET") == "token ***")
        #expect(r.headerValue(name: "authorization", value: "Bearer abc") == "Bearer ***")
        #expect(Redactor.cookieValue(setCookie: "a=b") == "b" && Redactor.cookieValue(setCookie: "junk") == nil)
    }
}
