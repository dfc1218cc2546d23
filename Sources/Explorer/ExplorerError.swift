/// A line explore cannot act on.
///
/// An unknown command (with the nearest one), wrong arguments (with how to write them), or a problem the
/// session reports before sending. In script mode each ends the script with
/// exit code 2.
public struct ExplorerError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public static func unknown(_ word: String, suggestion: String?) -> ExplorerError {
        ExplorerError("unknown command '\(word)'\(suggestion.map { "; did you mean '\($0)'?" } ?? "") (help lists them)")
    }

    public static func usage(_ command: String, _ how: String) -> ExplorerError { ExplorerError("\(command): \(how)") }

    public static func syntax(_ what: String) -> ExplorerError { ExplorerError(what) }

    public var description: String { message }
}
