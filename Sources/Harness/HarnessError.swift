/// A scenario that cannot run as written, named by file, line and column; exit code 2.
public struct HarnessError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String = "", line: Int = 0, column: Int = 0, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    static func badPath(_ path: String, _ why: String) -> HarnessError {
        HarnessError(message: "bad JSONPath '\(path)': \(why)")
    }

    /// The same error placed at a source position.
    func at(_ file: String, _ line: Int, _ column: Int) -> HarnessError {
        guard self.line == 0 else { return self }
        return HarnessError(file: file, line: line, column: column, message: message)
    }

    public var description: String {
        line > 0 ? "\(file):\(line):\(column): \(message)" : (file.isEmpty ? message : "\(file): \(message)")
    }
}
