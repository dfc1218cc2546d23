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
        #expect((r.secretValues + r.shortSecretValues).sorted() == ["abc123", "hunter2"])
        #expect(r.text(value) == #"{"password":"***","tokenizer":"bpe","nested":[{"accessToken":"***"}],"n":1}"#)
        let plain = "{\n  \"tokenizer\": \"bpe\"\n}"
        #expect(r.body(Array(plain.utf8)) == plain, "nothing secret: the text is shown as it came")
        #expect(
            r.body(Array("the token is abc123".utf8)) == "the token is ***",
            "registered values are hidden in any text, a short one as a word of its own")
        #expect(r.body(Array("id xabc123y".utf8)) == "id xabc123y", "but never inside another word")
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

    @Test("a short secret (a cookie value 0) is hidden only as a whole value: statuses, messages and repro paths stay intact")
    func shortValues() {
        var r = Redactor()
        var h = HTTPHeaders()
        h.add("Set-Cookie", "flag=0; Path=/")
        r.registerCookies(from: h)
        #expect(r.shortSecretValues == ["0"] && r.secretValues.isEmpty)
        #expect(
            r.redact("undocumented status 302 for GetCookies (documented: 200, 404)")
                == "undocumented status 302 for GetCookies (documented: 200, 404)")
        #expect(r.redact("curl 'http://h/cookies/set/0/0' -H 'Cookie: ***'") == "curl 'http://h/cookies/set/0/0' -H 'Cookie: ***'")
        #expect(r.redact("curl 'http://h/x?flag=0&n=10' --compressed") == "curl 'http://h/x?flag=***&n=10' --compressed")
        #expect(r.redact("http://h/x?n=10") == "http://h/x?n=10", "=0 inside =10 is not the value")
        #expect(r.redact("the cookie was 0.") == "the cookie was ***.", "a word of its own is a whole value")
        #expect(r.masked(["flag": "0", "count": "10", "list": ["0", "x0"]]) == ["flag": "***", "count": "10", "list": ["***", "x0"]])
        #expect(r.headerValue(name: "Cookie", value: "flag=0") == "***")
    }
}
