import Foundation
import MockCluster
import MockClusterTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Drives `detapi explore` in a real terminal (tmux): Tab completion through libedit, the no-echo password
/// prompt, and the history file a session leaves.
@Suite("detapi explore in a terminal (tmux)")
struct ExploreTerminalTests {
    static let tmux = ["/usr/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }

    final class Terminal: @unchecked Sendable {
        let tmux: String
        let session = "detapi-\(UUID().uuidString.prefix(8))"
        init(tmux: String) { self.tmux = tmux }

        /// Runs a tmux command.
        ///
        /// Only `capture` reads its output (the server tmux starts would hold a pipe open).
        /// Off the cooperative pool, as `CLI.run` does: a blocked wait there would starve the tasks.
        @discardableResult
        func run(_ arguments: [String], capture: Bool = false) async throws -> String {
            try await withCheckedThrowingContinuation { c in
                Thread.detachNewThread { c.resume(with: Result { try self.runBlocking(arguments, capture: capture) }) }
            }
        }

        /// posix_spawn and waitpid, not Foundation's Process: the tmux server a `new-session` starts keeps
        /// Process's internal pipe open, so Process would never see the client exit.
        private func runBlocking(_ arguments: [String], capture: Bool) throws -> String {
            var pipe: [Int32] = [-1, -1]
            // Close-on-exec: the tmux server a concurrent test starts must not inherit this pipe and keep it open.
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pipe) == 0 else {
                throw CocoaError(.fileWriteUnknown)
            }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            if capture {
                posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
            } else {
                posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            }
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addclose(&actions, pipe[0])
            posix_spawn_file_actions_addclose(&actions, pipe[1])
            let argv = ([tmux, "-L", session] + arguments).map { strdup($0) } + [nil]
            defer { for a in argv { free(a) } }
            var pid: pid_t = 0
            let spawned = posix_spawn(&pid, tmux, &actions, nil, argv, environ)
            close(pipe[1])
            guard spawned == 0 else {
                close(pipe[0])
                throw CocoaError(.executableLoad)
            }
            var data = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(pipe[0], &buffer, buffer.count)
                if n <= 0 { break }
                data += buffer[0..<n]
            }
            close(pipe[0])
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            return String(decoding: data, as: UTF8.self)
        }

        func keys(_ keys: String...) async throws { try await run(["send-keys", "-t", session] + keys) }
        func screen() async throws -> String { try await run(["capture-pane", "-p", "-t", session], capture: true) }

        /// Waits (bounded) until the screen holds `text`; returns the screen.
        func wait(for text: String, attempts: Int = 200) async throws -> String {
            var last = ""
            for _ in 0..<attempts {
                last = try await screen()
                if last.contains(text) { return last }
                try await Task.sleep(for: .milliseconds(25))
            }
            return last
        }

        func kill() { _ = try? runBlocking(["kill-server"], capture: false) }
    }

    /// A tmux terminal and a state folder for one test (both removed after it); a missing tool is a recorded issue.
    static func withTerminal(needs tools: [String] = [], _ body: (Terminal, String) async throws -> Void) async throws {
        guard let tmux = Self.tmux, tools.allSatisfy({ FileManager.default.isExecutableFile(atPath: $0) }) else {
            Issue.record("\((["tmux"] + tools).joined(separator: " or ")) is not installed; scripts/install-deps.sh test installs them")
            return
        }
        if let staleness = CLI.staleness { throw CLI.StaleBinary(description: staleness) }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-tmux-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let t = Terminal(tmux: tmux)
        defer { t.kill() }
        try await body(t, state)
    }

    @Test(
        "Tab completes operations, name= parameters and enum values; Ctrl-C drops the typed line; the password is not echoed; history is 0600 without secrets"
    )
    func terminal() async throws {
        try await Self.withTerminal { t, state in try await terminal(t, state: state) }
    }

    private func terminal(_ t: Terminal, state: String) async throws {
        let password = "Orchid-Lantern-5521"
        try await withMockCluster({ $0.password = password }) { mock in
            try await drive(t, state: state, password: password, master: mock.baseURL)
        }
    }

    private func drive(_ t: Terminal, state: String, password: String, master: String) async throws {
        let command = "env XDG_STATE_HOME=\(state) NO_COLOR=1 DET_PASS= \(CLI.binaryPath) explore --master \(master)"
        try await t.run(["new-session", "-d", "-s", t.session, "-x", "160", "-y", "50", command])
        #expect(try await t.wait(for: "detapi>").contains("detapi explore"))

        try await t.keys("try GetExp", "Tab")
        let first = try await t.wait(for: "try GetExperiment")
        #expect(first.contains("detapi> try GetExperiment"), "\(first)")
        try await t.keys("Tab")
        let listed = try await t.wait(for: "GetExperiments")
        #expect(listed.contains("GetExperiments"), "\(listed)")
        try await t.keys("C-u", "try GetExperiments ord", "Tab")
        let parameter = try await t.wait(for: "orderBy=")
        #expect(parameter.contains("try GetExperiments orderBy="), "\(parameter)")
        try await t.keys("Tab", "Tab")
        let values = try await t.wait(for: "ORDER_BY_UNSPECIFIED")
        for v in ["ORDER_BY_ASC", "ORDER_BY_DESC", "ORDER_BY_UNSPECIFIED"] { #expect(values.contains(v), "\(v): \(values)") }

        // Ctrl-C drops the line typed so far: the next line runs as typed (not `envvars`).
        try await t.keys("C-u", "env")
        _ = try await t.wait(for: "detapi> env")
        try await t.keys("C-c")
        try await t.keys("vars", "Enter")
        let dropped = try await t.wait(for: "(no variables")
        #expect(dropped.contains("(no variables; set NAME VALUE"), "vars ran: \(dropped)")
        #expect(!dropped.contains("envvars"), "\(dropped)")

        try await t.keys("login admin", "Enter")
        #expect(try await t.wait(for: "password for admin:").contains("password for admin:"))
        try await t.keys(password, "Enter")
        let after = try await t.wait(for: "logged in as admin")
        #expect(!after.contains(password), "the password is not echoed")
        try await t.keys("try GetMe", "Enter")
        let me = try await t.wait(for: "valid: GetMe 200")
        #expect(me.contains("\"username\": \"admin\""), "\(me)")
        try await t.keys("C-d")
        _ = try await t.wait(for: "$", attempts: 40)

        let history = state + "/detapi/history"
        var text = ""
        for _ in 0..<200 {
            text = (try? String(contentsOfFile: history, encoding: .utf8)) ?? ""
            if text.contains("try GetMe") { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        #expect(text.contains("login admin") && text.contains("try GetMe"), "\(text)")
        #expect(!text.contains(password) && !text.contains("v2.public."), "no secret in the history: \(text)")
        let mode = try FileManager.default.attributesOfItem(atPath: history)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("a long answer goes through the pager (less, in the terminal's process group); after q the status and verdict are on screen")
    func pager() async throws {
        try await Self.withTerminal(needs: ["/usr/bin/less"]) { t, state in try await pager(t, state: state) }
    }

    private func pager(_ t: Terminal, state: String) async throws {
        try await withMockCluster { mock in
            let command =
                "env XDG_STATE_HOME=\(state) NO_COLOR=1 PAGER='less -R' LESS= \(CLI.binaryPath) explore --master \(mock.baseURL)"
            try await t.run(["new-session", "-d", "-s", t.session, "-x", "120", "-y", "30", command])
            _ = try await t.wait(for: "detapi>")
            try await t.keys("try GetExperiments limit=10", "Enter")
            // less shows the start of the body and waits: the verdict is not printed yet.
            let paged = try await t.wait(for: "\"experiments\": [")
            #expect(!paged.contains("valid: GetExperiments 200"), "\(paged)")
            try await t.keys("q")
            let after = try await t.wait(for: "valid: GetExperiments 200")
            let lines = after.split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            #expect(lines.suffix(3).contains { $0.contains("valid: GetExperiments 200") }, "the verdict stays on screen: \(after)")
            #expect(lines.last?.hasPrefix("detapi>") == true, "\(after)")
            // End the session before the mock stops: an explore left running would hold its connection open.
            try await t.keys("C-d")
            _ = try await t.wait(for: "$", attempts: 40)
        }
    }

    @Test(
        "paging, again, schema, show and set in a terminal: offsets 0, 2, 4, 2; limit 5 with the offset kept; the state enum; the ids kept as an array"
    )
    func dailyUse() async throws {
        try await Self.withTerminal { t, state in
            try await withMockCluster { mock in
                let command = "env XDG_STATE_HOME=\(state) NO_COLOR=1 PAGER=cat \(CLI.binaryPath) explore --master \(mock.baseURL)"
                try await t.run(["new-session", "-d", "-s", t.session, "-x", "160", "-y", "50", command])
                _ = try await t.wait(for: "detapi>")
                /// Clears the screen (Ctrl-L), runs `line`, and answers what it printed once the prompt is back.
                func output(_ line: String) async throws -> [String] {
                    try await t.keys("C-l")
                    _ = try await t.wait(for: "detapi>")
                    try await t.keys(line, "Enter")
                    var lines: [String] = []
                    for _ in 0..<200 {
                        lines = try await t.screen().split(separator: "\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                            .filter { !$0.isEmpty }
                        // Done when the prompt is back, below the command or below a screen its output filled.
                        let back = lines.count >= 2 && lines.last == "detapi>"
                        if back, lines.first == "detapi> " + line || lines.count >= 48 { break }
                        try await Task.sleep(for: .milliseconds(25))
                    }
                    return Array(lines.dropFirst().dropLast())
                }
                var offsets: [String] = []
                for line in ["try GetExperiments limit=2", "next", "next", "prev"] {
                    try await t.keys("C-l", line, "Enter")
                    _ = try await t.wait(for: "\"total\": 50")
                    offsets += try await output("last $.pagination.offset")
                }
                #expect(offsets == ["0", "2", "4", "2"])
                try await t.keys("C-l", "again limit=5", "Enter")
                _ = try await t.wait(for: "\"total\": 50")
                #expect(try await output("last $.pagination.limit") == ["5"])
                #expect(try await output("last $.pagination.offset") == ["2"], "again keeps the other values")
                // A JSONPath filter with quotes and spaces is the rest of the line (experiment 4 is the paused one).
                #expect(try await output("last $.experiments[?(@.state == 'STATE_PAUSED')].id") == ["4"])
                let schema = try await output("schema v1Experiment").joined(separator: "\n")
                #expect(schema.contains("archived: boolean") && schema.contains("state:") && schema.contains("STATE_PAUSED"), "\(schema)")
                let show = try await output("show GET /api/v1/master").joined(separator: "\n")
                #expect(show.contains("GetMaster"), "\(show)")
                let set = try await output("set ids $.experiments[*].id")
                #expect(set == ["ids holds 5 values", "ids = [3,4,5,6,7]"], "\(set)")
                try await t.keys("C-d")
                _ = try await t.wait(for: "$", attempts: 40)
            }
        }
    }
}
