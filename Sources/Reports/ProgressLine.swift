import Foundation

/// The live "412/1000 scenarios" line at the bottom of a terminal during a long run.
///
/// Drawn on stderr only when stderr is a terminal (never in CI logs or pipes), only once the run has lasted
/// half a second, and at most ten times a second; cleared before each scenario's lines are printed, so the
/// log above it reads as if it were not there.
public struct ProgressLine {
    public let total: Int
    public let enabled: Bool
    private let started = ContinuousClock.now
    private var lastDrawn: ContinuousClock.Instant?
    private var visible = false

    public init(total: Int) {
        self.total = total
        let env = ProcessInfo.processInfo.environment
        enabled = isatty(2) == 1 && env["TERM"] != "dumb" && env["CI"] == nil
    }

    /// Removes the line (before printing anything else, and at the end).
    public mutating func clear() {
        guard visible else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
        visible = false
    }

    /// Redraws the line when it is due.
    public mutating func update(done: Int, steps: Int, failed: Int) {
        guard enabled, done < total else { return }
        let now = ContinuousClock.now
        guard now - started > .milliseconds(500) else { return }
        if let lastDrawn, now - lastDrawn < .milliseconds(100) { return }
        lastDrawn = now
        let seconds = Double((now - started).components.seconds) + Double((now - started).components.attoseconds) / 1e18
        let text = "\r\u{1B}[2K[\(done)/\(total) scenarios · \(steps) steps · \(failed) failed · \(String(format: "%.1f", seconds)) s]"
        FileHandle.standardError.write(Data(text.utf8))
        visible = true
    }
}
