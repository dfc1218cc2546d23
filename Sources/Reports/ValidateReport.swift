import Harness
import OpenAPI

/// `detapi validate`'s output: one `pointer: message` line per violation, then the verdict line.
///
/// ```
/// /experiments/0/id: expected integer, found string "x"
/// invalid: 1 violation of v1GetExperimentsResponse
/// ```
public enum ValidateReport {
    public static func render(_ v: SchemaVerdict, operation: String, status: String) -> String {
        var text = ""
        for violation in v.violations { text += violation.description + "\n" }
        if v.truncated { text += "… more violations not shown (limit \(v.violations.count))\n" }
        let nulls = Plural.count(v.lenientNulls, "null")
        if v.isValid {
            text += "valid: \(operation) \(status) (\(v.schemaName))"
            text += v.lenientNulls > 0 ? ", \(nulls) accepted in optional fields (--nulls optional)\n" : "\n"
        } else {
            text += "invalid: \(Plural.count(v.violations.count, "violation")) of \(v.schemaName)"
            text += v.lenientNulls > 0 ? "; \(nulls) accepted in optional fields\n" : "\n"
        }
        return text
    }
}
