import Foundation

/// Runs the built `detapi` binary and captures what a user would see.
enum CLI {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The detapi these tests run: `$DETAPI_BINARY`, else the debug build that `scripts/test.sh` makes next to
    /// the tests (`swift build --product detapi`).
    static let binaryPath: String = {
        if let path = ProcessInfo.processInfo.environment["DETAPI_BINARY"], !path.isEmpty { return path }
        return root.appendingPathComponent(".build/debug/detapi").path
    }()

    /// Why the binary cannot be trusted to be this checkout's code, or nil: missing, or older than a source file.
    static let staleness: String? = {
        let fm = FileManager.default
        guard fm.isExecutableFile(atPath: binaryPath), let built = modified(binaryPath) else {
            return "\(binaryPath) is not built; run 'swift build --product detapi' (scripts/test.sh does) before the tests"
        }
        let sources = root.appendingPathComponent("Sources").path
        let newer = (fm.enumerator(atPath: sources)?.compactMap { $0 as? String } ?? []).first { name in
            name.hasSuffix(".swift") && !name.hasPrefix("MockClusterTesting/")
                && (modified(sources + "/" + name).map { $0 > built } ?? false)
        }
        return newer.map { "\(binaryPath) is older than Sources/\($0); rebuild it with 'swift build --product detapi'" }
    }()

    private static func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    /// A missing or stale binary is a failure, never a skip: a test of an old build proves nothing.
    struct StaleBinary: Error, CustomStringConvertible {
        let description: String
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs the binary on a plain thread, so a blocked wait never starves the cooperative pool that an
    /// in-process mock server needs to answer the child.
    static func run(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Swift.Result<CLI.Result, any Error> { try runBlocking(arguments, environment: environment, stdin: stdin) })
            }
        }
    }

    /// Runs another program to completion (off the cooperative pool) and returns its exit status.
    static func runTool(_ path: String, _ arguments: [String]) async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Swift.Result<Int32, any Error> {
                        let p = Process()
                        p.executableURL = URL(fileURLWithPath: path)
                        p.arguments = arguments
                        p.standardOutput = FileHandle.nullDevice
                        p.standardError = FileHandle.nullDevice
                        try p.run()
                        p.waitUntilExit()
                        return p.terminationStatus
                    })
            }
        }
    }

    /// A helper server started for a test: it prints its port on its first line.
    final class Server: @unchecked Sendable {
        let process: Process
        let port: Int
        init(process: Process, port: Int) {
            self.process = process
            self.port = port
        }
        /// SIGKILL: a child of the test runner can inherit a blocked SIGTERM.
        func terminate() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    static func startServer(_ path: String, _ arguments: [String]) throws -> Server {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        var line = Data()
        while true {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            p.terminate()
            throw CocoaError(.fileReadCorruptFile)
        }
        return Server(process: p, port: port)
    }

    /// The cache folder of every detapi these tests start.
    static let cacheHome = FileManager.default.temporaryDirectory.appendingPathComponent("detapi-cli-cache-\(UUID().uuidString)").path

    private static func runBlocking(_ arguments: [String], environment: [String: String], stdin: String?) throws -> Result {
        if let staleness { throw StaleBinary(description: staleness) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binaryPath)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["DET_MASTER"] = nil
        env["DET_TOKEN"] = nil
        env["DETAPI_SPEC"] = nil
        env["DETAPI_OVERLAY"] = nil
        // The spec a master serves is cached here, never in the user's ~/.cache.
        env["XDG_CACHE_HOME"] = cacheHome
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}
