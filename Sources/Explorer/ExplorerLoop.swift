import Foundation

/// Reads lines and hands them to a session: at a terminal (libedit, Ctrl-C cancels the line or the request
/// in flight), or from a script (stop at the first usage error).
public enum ExplorerLoop {
    /// Script mode: the exit code is 0, 1 when an answer broke the spec, 2 at the first bad line (which stops it).
    public static func script(_ session: inout ExplorerSession, user: String?, reader: any LineReader = PlainLineReader()) async -> Int32 {
        let io = RecordingIO(forward: { FileHandle.standardOutput.write(Data($0.utf8)) })
        var code: Int32 = 0
        if let user {
            if case .invalidAnswer = await session.handle("login \(user)", io: io) { code = 1 }
        }
        while case .line(let line) = reader.read(prompt: "") {
            switch await session.handle(line, io: io) {
            case .ok: continue
            case .invalidAnswer: code = 1
            case .error: return 2
            case .exit: return code
            }
        }
        return code
    }

    /// A person at a terminal; the exit code is 0 unless the session could not start.
    public static func terminal(_ session: inout ExplorerSession, user: String?) async -> Int32 {
        TerminalInterrupt.install()
        let io = TerminalIO(color: ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
        let names = NamesBox(variables: session.variableNames)
        let model = session.model
        let reader = EditLineReader(history: ExplorerHistory()) { before in
            ExplorerCompletion.complete(before, model: model, variables: names.variables) { prefix in
                let folder = (prefix as NSString).deletingLastPathComponent
                let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
                return entries.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.map { folder.isEmpty ? $0 : folder + "/" + $0 }
            }.candidates
        }
        io.write(session.banner)
        if let user { _ = await run("login \(user)", &session, io: io) }
        while true {
            names.variables = session.variableNames
            switch reader.read(prompt: "detapi> ") {
            case .end:
                io.write("\n")
                return 0
            case .interrupted: continue
            case .line(let line):
                reader.remember(line, secrets: session.secretValues)
                if await run(line, &session, io: io) == .exit { return 0 }
            }
        }
    }

    /// One line, cancelled (with the request in flight) by Ctrl-C.
    static func run(_ line: String, _ session: inout ExplorerSession, io: TerminalIO) async -> ExplorerSession.Outcome {
        _ = TerminalInterrupt.take()
        let start = session
        let work = Task { () -> (ExplorerSession, ExplorerSession.Outcome) in
            var s = start
            let outcome = await s.handle(line, io: io)
            return (s, outcome)
        }
        let watcher = Task {
            while !Task.isCancelled {
                if TerminalInterrupt.take() {
                    work.cancel()
                    return
                }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        let (next, outcome) = await work.value
        watcher.cancel()
        session = next
        return outcome
    }
}

/// The variable names completion offers, updated after each line.
final class NamesBox: @unchecked Sendable {
    var variables: [String]
    init(variables: [String]) { self.variables = variables }
}
