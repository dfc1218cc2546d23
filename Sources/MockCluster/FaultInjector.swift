import Foundation
import JSON

/// Latency, failures and schema drift, so the harness can be tested against a misbehaving master.
struct FaultInjector: Sendable {
    let latency: ClosedRange<Double>?
    let failRate: Double
    let drift: Bool

    /// A failure to send instead of the real answer, or nil.
    func failure() -> MockResponse? {
        guard failRate > 0, Double.random(in: 0..<1) < failRate else { return nil }
        if Bool.random() { return Self.unavailable() }
        return .error(GatewayError(.internalError, "injected failure (--fail-rate)"))
    }

    /// 503 with `Retry-After: 1`, the answer of a master that is shutting down.
    static func unavailable() -> MockResponse {
        var r = MockResponse.error(GatewayError(.unavailable, "the master is shutting down; retry"))
        r.headers.append(("Retry-After", "1"))
        return r
    }

    func delay() async {
        guard let latency else { return }
        let seconds = latency.lowerBound == latency.upperBound ? latency.lowerBound : Double.random(in: latency)
        try? await Task.sleep(for: .seconds(seconds))
    }

    /// Breaks a success body in one realistic way, chosen by `counter`: a number as a string, a required
    /// field removed, an enum value nobody declared.
    static func drift(_ value: JSONValue, counter: Int) -> JSONValue {
        var kinds = [0, 1, 2]
        kinds.rotate(by: counter % 3)
        for kind in kinds {
            var copy = value
            if apply(kind, &copy) { return copy }
        }
        return value
    }

    private static func apply(_ kind: Int, _ value: inout JSONValue) -> Bool {
        switch value {
        case .object(var o):
            switch kind {
            case 0:
                if let id = o["id"], case .number(let n) = id {
                    o["id"] = .string(n.text)
                    value = .object(o)
                    return true
                }
            case 1:
                for key in ["username", "name", "state", "token"] where o[key] != nil {
                    o[key] = nil
                    value = .object(o)
                    return true
                }
            default:
                if let s = o["state"]?.stringValue, s.hasPrefix("STATE_") || s.hasPrefix("WORKSPACE_STATE_") {
                    o["state"] = "STATE_SLEEPING"
                    value = .object(o)
                    return true
                }
            }
            for m in o.members {
                var child = m.value
                if apply(kind, &child) {
                    o[m.key] = child
                    value = .object(o)
                    return true
                }
            }
            return false
        case .array(var a):
            for i in a.indices {
                if apply(kind, &a[i]) {
                    value = .array(a)
                    return true
                }
            }
            return false
        default:
            return false
        }
    }
}

extension Array {
    fileprivate mutating func rotate(by k: Int) {
        guard !isEmpty else { return }
        let s = k % count
        self = Array(self[s...] + self[..<s])
    }
}
