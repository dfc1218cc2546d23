import Foundation
import JSON
import Synchronization

/// Latency, failures and schema drift, so the harness can be tested against a misbehaving master.
///
/// Which requests fail is decided by `--seed`, the request (method, path, query) and how many times that same
/// request came before, so two runs that send the same requests fail the same ones, whatever the interleaving.
final class FaultInjector: Sendable {
    let latency: ClosedRange<Double>?
    let failRate: Double
    let drift: Bool
    let seed: UInt64
    private let seen = Mutex<[UInt64: UInt64]>([:])

    init(latency: ClosedRange<Double>?, failRate: Double, drift: Bool, seed: UInt64) {
        self.latency = latency
        self.failRate = failRate
        self.drift = drift
        self.seed = seed
    }

    /// A failure to send instead of the real answer, or nil.
    func failure(method: String, path: String, query: String) -> MockResponse? {
        guard failRate > 0 else { return nil }
        var key: UInt64 = 1469598103934665603
        for b in method.utf8 + [0] + path.utf8 + [0] + query.utf8 { key = (key ^ UInt64(b)) &* 1099511628211 }
        let n = seen.withLock { counts in
            defer { counts[key, default: 0] += 1 }
            return counts[key, default: 0]
        }
        var x = key ^ (seed &* 0x9E37_79B9_7F4A_7C15) ^ (n &* 0xBF58_476D_1CE4_E5B9)
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        x ^= x >> 31
        guard Double(x >> 11) / Double(1 << 53) < failRate else { return nil }
        if x & 1 == 0 { return Self.unavailable() }
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
