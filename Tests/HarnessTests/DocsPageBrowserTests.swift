import Foundation
import HTTP
import JSON
import MockCluster
import MockClusterTesting
import OpenAPI
import Reports
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Drives headless Chromium over the DevTools protocol on a pipe (`--remote-debugging-pipe`: commands on fd 3,
/// answers on fd 4, each message ended by a NUL), so a test can fill a form and read what the page shows.
final class ChromiumPage {
    private let pid: pid_t
    private let toBrowser: Int32
    private let fromBrowser: Int32
    private var nextID = 0
    private var pending: [UInt8] = []
    private var session = ""

    init(chromium: String, url: String) throws {
        var commands: [Int32] = [-1, -1]
        var answers: [Int32] = [-1, -1]
        // Close-on-exec socket pairs (Glibc has no pipe2 here): a child another test spawns meanwhile must not inherit them.
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, type, 0, &commands) == 0, socketpair(AF_UNIX, type, 0, &answers) == 0 else {
            throw CocoaError(.fileWriteUnknown)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, commands[0], 3)
        posix_spawn_file_actions_adddup2(&actions, answers[1], 4)
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-chromium-\(UUID().uuidString)").path
        let arguments = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-pipe",
            "--user-data-dir=\(profile)", "about:blank",
        ]
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        // Its own process group, so that the renderer and GPU processes Chromium starts end with it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, chromium, &actions, &attributes, argv, environ)
        close(commands[0])
        close(answers[1])
        guard spawned == 0 else { throw CocoaError(.executableLoad) }
        self.pid = pid
        self.toBrowser = commands[1]
        self.fromBrowser = answers[0]
        let target = try call("Target.createTarget", ["url": "about:blank"], inSession: false)
        let targetID = (target["targetId"] as? String) ?? ""
        let attached = try call("Target.attachToTarget", ["targetId": targetID, "flatten": true], inSession: false)
        session = (attached["sessionId"] as? String) ?? ""
        _ = try call("Page.enable", [:], inSession: true)
        _ = try call("Page.navigate", ["url": url], inSession: true)
        while !events.contains("Page.loadEventFired") { try dispatch(try readMessage()) }
    }

    /// Event names seen so far (`Page.loadEventFired`).
    private var events: Set<String> = []
    private var replies: [Int: [String: Any]] = [:]

    private func dispatch(_ message: [UInt8]) throws {
        guard let object = try JSONSerialization.jsonObject(with: Data(message)) as? [String: Any] else { return }
        if let method = object["method"] as? String { events.insert(method) }
        if let id = object["id"] as? Int { replies[id] = object }
    }

    deinit {
        close(toBrowser)
        close(fromBrowser)
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// Evaluates `expression` in the page (awaiting a promise) and returns its value as JSON text.
    func evaluate(_ expression: String) throws -> String {
        let result = try call("Runtime.evaluate", ["expression": expression, "awaitPromise": true, "returnByValue": true], inSession: true)
        if let details = result["exceptionDetails"] { return "exception: \(details)" }
        let value = (result["result"] as? [String: Any])?["value"]
        if let s = value as? String { return s }
        return value.map { "\($0)" } ?? "undefined"
    }

    private func call(_ method: String, _ params: [String: Any], inSession: Bool) throws -> [String: Any] {
        nextID += 1
        var message: [String: Any] = ["id": nextID, "method": method, "params": params]
        if inSession { message["sessionId"] = session }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        _ = bytes.withUnsafeBytes { write(toBrowser, $0.baseAddress, $0.count) }
        while replies[nextID] == nil { try dispatch(try readMessage()) }
        let object = replies.removeValue(forKey: nextID) ?? [:]
        if let error = object["error"] { throw CocoaError(.coderInvalidValue, userInfo: ["error": "\(method): \(error)"]) }
        return object["result"] as? [String: Any] ?? [:]
    }

    private func readMessage() throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let end = pending.firstIndex(of: 0) {
                let message = Array(pending[..<end])
                pending.removeSubrange(...end)
                return message
            }
            let n = read(fromBrowser, &buffer, buffer.count)
            guard n > 0 else { throw CocoaError(.fileReadUnknown) }
            pending += buffer[0..<n]
        }
    }
}

@Suite("the mock's REST API page in a browser")
struct DocsPageBrowserTests {
    @Test(
        "headless Chromium opens /docs/rest-api/, fills GetExperiments with archived=true, limit=1 and a token, sends it, and shows the experiment",
        .enabled(if: HTMLBrowserTests.chromium != nil, "chromium is not installed (scripts/install-deps.sh installs it); skipped"))
    func tryItOut() async throws {
        try await withMockCluster({ $0.docsPage = Self.page }) { mock in
            let login = try await HTTPClient().send(
                HTTPRequest(
                    method: "POST", url: mock.baseURL + "/api/v1/auth/login", body: Array(#"{"username":"admin","password":""}"#.utf8)))
            let token = try #require(try JSONValue(parsing: login.body)["token"]?.stringValue)
            let result: String = try await withCheckedThrowingContinuation { c in
                Thread.detachNewThread {
                    do {
                        let page = try ChromiumPage(
                            chromium: HTMLBrowserTests.chromium!, url: mock.baseURL + "/docs/rest-api/#op-GetExperiments")
                        // Waits in the page (not here) until the script has run, then fills and sends the form.
                        let script = """
                            new Promise(function (done) {
                              function ready() {
                                if (document.body && document.body.getAttribute('data-ready') === '1') { go(); } else { setTimeout(ready, 20); }
                              }
                              function go() {
                                document.getElementById('token').value = \(JSONWriter().string(.string(token)));
                                var form = document.querySelector('form.try[data-op="GetExperiments"]');
                                form.querySelector('[name="archived"]').value = 'true';
                                form.querySelector('[name="limit"]').value = '1';
                                form.querySelector('button[type="submit"]').click();
                                (function wait() {
                                  if (form.getAttribute('data-status')) {
                                    done(JSON.stringify({open: document.getElementById('op-GetExperiments').open,
                                      status: form.getAttribute('data-status'), body: form.querySelector('.response').textContent,
                                      curl: form.querySelector('.curl').textContent}));
                                  } else { setTimeout(wait, 20); }
                                })();
                              }
                              ready();
                            })
                            """
                        c.resume(returning: try page.evaluate(script))
                    } catch {
                        c.resume(throwing: error)
                    }
                }
            }
            let shown = try JSONValue(parsing: Array(result.utf8))
            #expect(shown["open"]?.boolValue == true, "the #op- link opened the operation")
            #expect(shown["status"]?.stringValue == "200", "\(result)")
            let body = try JSONValue(parsing: Array((shown["body"]?.stringValue ?? "").utf8))
            let experiments = try #require(body["experiments"]?.arrayValue)
            #expect(experiments.count == 1 && experiments[0]["archived"]?.boolValue == true)
            let curl = shown["curl"]?.stringValue ?? ""
            #expect(curl.contains("/api/v1/experiments?") && curl.contains("archived=true") && curl.contains("limit=1"), "\(curl)")
            #expect(curl.contains("-H \"Authorization: Bearer $DET_TOKEN\""), "\(curl)")
            #expect(!curl.contains(token), "the curl line never shows the token")
        }
    }

    @Sendable static func page(_ model: APIModel) -> [UInt8]? { (try? APIDocsPage.render(model)).map { Array($0.utf8) } }

    /// Opens the page in Chromium on its own thread, runs `script` (a promise) in it and returns what it resolved to.
    static func inPage(_ url: String, _ script: String) async throws -> JSONValue {
        let result: String = try await withCheckedThrowingContinuation { c in
            Thread.detachNewThread {
                do {
                    let page = try ChromiumPage(chromium: HTMLBrowserTests.chromium!, url: url)
                    c.resume(returning: try page.evaluate(script))
                } catch {
                    c.resume(throwing: error)
                }
            }
        }
        return try JSONValue(parsing: Array(result.utf8))
    }

    @Test(
        "Try it out: Login's answer fills the token, GetExperiments sends two states as the spec's repeated parameter, and the page shows detapi's verdict",
        .enabled(if: HTMLBrowserTests.chromium != nil, "chromium is not installed (scripts/install-deps.sh installs it); skipped"))
    func loginThenStates() async throws {
        try await withMockCluster({
            $0.docsPage = Self.page
            $0.docsVerdict = APIDocsVerdict.answer
        }) { mock in
            // Both forms are filled and sent by the page's own controls; nothing is typed into the token field.
            let script = """
                new Promise(function (done) {
                  function until(test, then) { (function poll() { if (test()) { then(); } else { setTimeout(poll, 20); } })(); }
                  function send(form, then) { form.querySelector('button[type="submit"]').click(); until(function () { return form.getAttribute('data-status'); }, then); }
                  until(function () { return document.body && document.body.getAttribute('data-ready') === '1'; }, function () {
                    var login = document.querySelector('form.try[data-op="Login"]');
                    login.querySelector('textarea[name="__body"]').value = '{"username": "admin", "password": ""}';
                    send(login, function () {
                      var token = document.getElementById('token').value;
                      var form = document.querySelector('form.try[data-op="GetExperiments"]');
                      var states = form.querySelector('select[name="states"]');
                      Array.prototype.forEach.call(states.options, function (o) { o.selected = o.value === 'STATE_PAUSED' || o.value === 'STATE_COMPLETED'; });
                      form.querySelector('[name="limit"]').value = '50';
                      send(form, function () {
                        var first = { status: form.getAttribute('data-status'), verdict: form.querySelector('.verdict').textContent,
                          verdictState: form.getAttribute('data-verdict'), body: form.querySelector('.response').textContent,
                          curl: form.querySelector('.curl').textContent };
                        // A comma in a plain value is part of it, not a list.
                        Array.prototype.forEach.call(states.options, function (o) { o.selected = false; });
                        form.querySelector('[name="name"]').value = 'mnist,cifar';
                        send(form, function () { finish(first, form.querySelector('.curl').textContent); });
                      });
                      function finish(first, commaCurl) {
                        done(JSON.stringify({ commaCurl: commaCurl,
                          loginStatus: login.getAttribute('data-status'), loginVerdict: login.querySelector('.verdict').textContent,
                          tokenFilled: token.length > 20, note: document.getElementById('token-note').textContent,
                          status: first.status, verdict: first.verdict, verdictState: first.verdictState, body: first.body,
                          curl: first.curl, multiple: states.multiple }));
                      }
                    });
                  });
                })
                """
            let shown = try await Self.inPage(mock.baseURL + "/docs/rest-api/#op-GetExperiments", script)
            #expect(shown["loginStatus"]?.stringValue == "200", "\(shown)")
            #expect(shown["loginVerdict"]?.stringValue?.hasPrefix("✓ valid: Login 200") == true, "\(shown)")
            #expect(shown["tokenFilled"]?.boolValue == true && shown["note"]?.stringValue == "filled from Login's answer", "\(shown)")
            #expect(shown["multiple"]?.boolValue == true, "states is a multi-select")
            #expect(shown["status"]?.stringValue == "200", "\(shown)")
            #expect(shown["verdictState"]?.stringValue == "valid", "\(shown)")
            #expect(shown["verdict"]?.stringValue?.hasPrefix("✓ valid: GetExperiments 200 (v1GetExperimentsResponse") == true, "\(shown)")
            let curl = shown["curl"]?.stringValue ?? ""
            #expect(curl.contains("states=STATE_PAUSED&states=STATE_COMPLETED"), "collectionFormat multi repeats the name: \(curl)")
            let commaCurl = shown["commaCurl"]?.stringValue ?? ""
            #expect(commaCurl.contains("name=mnist%2Ccifar") && !commaCurl.contains("states="), "\(commaCurl)")
            let body = try JSONValue(parsing: Array((shown["body"]?.stringValue ?? "").utf8))
            let states = Set((body["experiments"]?.arrayValue ?? []).compactMap { $0["state"]?.stringValue })
            #expect(states == ["STATE_COMPLETED", "STATE_PAUSED"], "both states and only them: \(states)")
        }
    }
}
