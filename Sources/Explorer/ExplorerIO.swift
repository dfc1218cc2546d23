/// Where a session writes and how it asks.
///
/// The terminal (libedit, a no-echo password prompt, `$EDITOR`) or a script (stdin lines, nothing asked). Tests pass a recording one.
public protocol ExplorerIO: AnyObject, Sendable {
    /// Whether a person is there to answer questions (a terminal), or a script is being read.
    var isInteractive: Bool { get }
    /// Whether output may be coloured (a terminal, and no `NO_COLOR`).
    var color: Bool { get }
    /// Writes text as it is (it carries its own newlines).
    func write(_ text: String)
    /// Asks one question and returns the answer, nil when none can be given; `secret` answers are not echoed.
    func ask(_ prompt: String, secret: Bool) -> String?
    /// Lets the user edit `text` (in `$EDITOR`), nil when there is no editor or the edit was abandoned.
    func edit(_ text: String) -> String?
    /// Shows `text` through a pager when it is longer than the screen; false when it was not paged (the caller
    /// writes it).
    func page(_ text: String) -> Bool
}

extension ExplorerIO {
    /// No pager: scripts and tests get the text written.
    public func page(_ text: String) -> Bool { false }
}

/// An `ExplorerIO` that keeps what was written and answers from a list: for tests and script mode.
public final class RecordingIO: ExplorerIO, @unchecked Sendable {
    public private(set) var output = ""
    public var answers: [String]
    public let isInteractive: Bool
    public let color = false
    /// Passes writes on as they happen (script mode prints them), besides keeping them.
    private let forward: ((String) -> Void)?

    public init(answers: [String] = [], interactive: Bool = false, forward: ((String) -> Void)? = nil) {
        self.answers = answers
        self.isInteractive = interactive
        self.forward = forward
    }

    public func write(_ text: String) {
        if let forward {
            forward(text)
        } else {
            output += text
        }
    }

    public func ask(_ prompt: String, secret: Bool) -> String? {
        guard isInteractive, !answers.isEmpty else { return nil }
        write(prompt + (secret ? "\n" : answers[0] + "\n"))
        return answers.removeFirst()
    }

    public func edit(_ text: String) -> String? { nil }
}
