import Foundation
import HTTP
import JSON
import Testing

@Suite("curl command rendering")
struct CurlCommandTests {
    @Test("values are single-quoted so a shell passes them through unchanged")
    func quoting() {
        #expect(CurlCommand.quote("plain") == "'plain'")
        #expect(CurlCommand.quote("it's") == #"'it'\''s'"#)
        #expect(CurlCommand.quote("$HOME `x` \"q\"") == #"'$HOME `x` "q"'"#)
    }

    @Test("secrets never appear: bearer tokens, cookies, registered values, password fields")
    func redaction() {
        var headers = HTTPHeaders()
        headers.add("Authorization", "Bearer v2.public.SECRET-TOKEN")
        headers.add("Cookie", "auth=SECRET-COOKIE")
        headers.add("X-Trace", "run-SECRET-VALUE-1")
        let request = HTTPRequest(
            method: .post, url: "http://h/api/v1/auth/login?sig=SECRET-VALUE", headers: headers,
            body: Array(#"{"username":"determined","password":"hunter2-SECRET"}"#.utf8))
        let line = CurlCommand(redactor: Redactor(secretValues: ["SECRET-VALUE"])).render(request)
        for secret in ["SECRET-TOKEN", "SECRET-COOKIE", "SECRET-VALUE", "hunter2"] {
            #expect(!line.contains(secret), "\(secret) leaked into: \(line)")
        }
        #expect(line.contains(#""Authorization: Bearer $DET_TOKEN""#))
        #expect(line.contains(#""username":"determined""#))
        #expect(line.contains(#""password":"***""#))
        #expect(!line.contains("-X POST"), "--data-binary already implies POST")
    }

    @Test("HEAD uses --head and other methods -X")
    func methods() {
        #expect(CurlCommand().render(HTTPRequest(method: .head, url: "http://h/")).hasPrefix("curl --head 'http://h/'"))
        #expect(CurlCommand().render(HTTPRequest(method: .delete, url: "http://h/")).hasPrefix("curl -X DELETE 'http://h/'"))
    }

    @Test("the rendered command, run by the real curl, makes the same request")
    func realCurlRepeatsTheRequest() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") else {
            Issue.record("curl is not installed at /usr/bin/curl; .ci/run installs it")
            return
        }
        try await TestServer.with { port in
            var headers = HTTPHeaders()
            headers.add("Content-Type", "application/json")
            headers.add("X-Quote", "it's \"fine\" $HOME")
            headers.add("X-Foo", "a")
            headers.add("X-Foo", "b")
            let request = HTTPRequest(
                method: .patch, url: "http://127.0.0.1:\(port)/echo?q=a%20b&x=1", headers: headers,
                body: Array(#"{"note":"it's here","n":1}"#.utf8))
            let ours = try await HTTPClient().send(request)
            let line = CurlCommand().render(request)
            // Run curl on a plain thread: blocking the cooperative pool would starve the in-process server.
            let (status, output) = try await withCheckedThrowingContinuation { (c: CheckedContinuation<(Int32, Data), any Error>) in
                Thread.detachNewThread {
                    do {
                        let process = Process()
                        process.executableURL = URL(fileURLWithPath: "/bin/sh")
                        process.arguments = ["-c", line + " --silent"]
                        let pipe = Pipe()
                        process.standardOutput = pipe
                        try process.run()
                        let data = pipe.fileHandleForReading.readDataToEndOfFile()
                        process.waitUntilExit()
                        c.resume(returning: (process.terminationStatus, data))
                    } catch {
                        c.resume(throwing: error)
                    }
                }
            }
            #expect(status == 0)
            var mine = try JSONValue(parsing: ours.body)
            var theirs = try JSONValue(parsing: Array(output))
            // Only the User-Agent may differ.
            mine = strippingUserAgent(mine)
            theirs = strippingUserAgent(theirs)
            #expect(mine == theirs, "ours: \(mine)\ncurl: \(theirs)")
        }
    }

    private func strippingUserAgent(_ value: JSONValue) -> JSONValue {
        guard case .object(var object) = value, case .object(var headers)? = object["headers"] else { return value }
        headers["user-agent"] = nil
        object["headers"] = .object(headers)
        return .object(object)
    }
}
