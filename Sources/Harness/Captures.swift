import HTTP
import JSON

/// A step's `capture`s: values saved from its answer into variables for later steps.
public enum Captures {
    /// Saves each capture into `vars`; one that finds nothing is a failure when the step is otherwise fine and
    /// has no `skip_rest_if` (which expects to find nothing at times), else it is set to null.
    public static func apply(
        _ captures: [Capture], json: () -> JSONValue, response: HTTPResponse, quiet: Bool, to vars: inout Variables
    ) -> [CheckFailure] {
        var failures: [CheckFailure] = []
        for capture in captures {
            let value: JSONValue?
            let at: CheckFailure.Location
            switch capture.source {
            case .json(let path):
                value = path.first(json())
                at = .jsonPath(path.description)
            case .header(let name):
                value = response.headers[name].map(JSONValue.string)
                at = .header(name)
            case .status:
                value = .number(JSONNumber(response.status))
                at = .none
            }
            if let value {
                vars.set(capture.name, value, secret: capture.secret)
            } else if !quiet {
                failures.append(CheckFailure(.capture, at: at, actual: "absent", reason: .captureMissing(name: capture.name)))
            } else {
                vars.set(capture.name, .null, secret: false)
            }
        }
        return failures
    }
}
