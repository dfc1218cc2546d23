import Foundation
import Harness

/// Progress of a long run on stderr: "[412/1000 scenarios · 2472 steps · 0 failed · 12.3 s]".
///
/// On a terminal it is one live line at the bottom, drawn once the run has lasted half a second, at most ten
/// times a second, and cleared before each scenario's lines are printed, so the log above it reads as if it
/// were not there. In a CI log or a pipe it is a plain line every 30 seconds, so a long, quiet run still shows
/// it is alive (some CI systems stop jobs that print nothing for a while).
public struct ProgressLine {
    public let total: Int
    /// Whether stderr is an interactive terminal (live line) or a log (periodic lines).
    public let live: Bool
    private let started = ContinuousClock.now
    private var lastDrawn: ContinuousClock.Instant?
    private var visible = false

    public init(total: Int) {
        self.total = total
        let env = ProcessInfo.processInfo.environment
        live = isatty(2) == 1 && env["TERM"] != "dumb" && env["CI"] == nil
    }

    /// Removes the live line (before printing anything else, and at the end).
    public mutating func clear() {
        guard visible else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
        visible = false
    }

    /// Shows progress when it is due.
    public mutating func update(done: Int, steps: Int, failed: Int) {
        guard done < total else { return }
        let now = ContinuousClock.now
        let first: Duration = live ? .milliseconds(500) : .seconds(30)
        let every: Duration = live ? .milliseconds(100) : .seconds(30)
        guard now - started > first else { return }
        if let lastDrawn, now - lastDrawn < every { return }
        lastDrawn = now
        let elapsed = now - started
        let seconds = elapsed.seconds
        let text = "[\(done)/\(total) scenarios · \(steps) steps · \(failed) failed · \(String(format: "%.1f", seconds)) s]"
        if live {
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(text)".utf8))
            visible = true
        } else {
            FileHandle.standardError.write(Data("detapi run: \(text)\n".utf8))
        }
    }
}
