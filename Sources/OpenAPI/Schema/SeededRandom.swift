/// A small deterministic generator (xorshift64): the same seed gives the same samples and the same mock data.
public struct SeededRandom: Sendable {
    private var state: UInt64

    public init(_ seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

    public mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    /// A number in 0..<n (0 when n ≤ 1).
    public mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

    /// A version-4-shaped UUID string.
    public mutating func uuid() -> String {
        let hex = Array("0123456789abcdef")
        var out = ""
        for i in 0..<32 {
            if [8, 12, 16, 20].contains(i) { out.append("-") }
            out.append(i == 12 ? "4" : hex[below(16)])
        }
        return out
    }
}
