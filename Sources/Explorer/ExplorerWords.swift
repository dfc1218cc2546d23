/// Splits a command line into words as a shell does for simple cases: spaces separate, single and double
/// quotes group (`-d '{"a": 1}'`), a backslash escapes the next character outside single quotes.
public enum ExplorerWords {
    public static func split(_ line: String) throws(ExplorerError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for c in line {
            if escaped {
                current.append(c)
                escaped = false
                continue
            }
            if let q = quote {
                if c == q {
                    quote = nil
                } else if c == "\\" && q == "\"" {
                    escaped = true
                } else {
                    current.append(c)
                }
                continue
            }
            switch c {
            case " ", "\t":
                if inWord { words.append(current) }
                current = ""
                inWord = false
            case "'", "\"":
                quote = c
                inWord = true
            case "\\":
                escaped = true
                inWord = true
            default:
                current.append(c)
                inWord = true
            }
        }
        if let quote { throw ExplorerError.syntax("a \(quote) quote is not closed") }
        if inWord { words.append(current) }
        return words
    }
}
