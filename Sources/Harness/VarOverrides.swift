/// `--var name=value` options, read into the overrides a `Runner` applies to scenario variables.
public enum VarOverrides {
    /// Each `name=value` (the value may contain `=`); anything else is an error naming the option.
    public static func parse(_ options: [String]) throws(HarnessError) -> [String: String] {
        var out: [String: String] = [:]
        for option in options {
            guard let eq = option.firstIndex(of: "="), eq != option.startIndex else {
                throw HarnessError(message: "--var '\(option)' must look like name=value")
            }
            out[String(option[..<eq])] = String(option[option.index(after: eq)...])
        }
        return out
    }
}
