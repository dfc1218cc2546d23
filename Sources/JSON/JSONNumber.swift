import Foundation

/// A JSON number that keeps its exact source text, so large int64 values and decimals round-trip unchanged.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number as written (`12`, `-0.5`, `1e400`, `9007199254740993`).
    public let text: String
    /// True when written without fraction or exponent.
    public let isIntegerLiteral: Bool

    public init(text: String) {
        self.text = text
        self.isIntegerLiteral = !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
    }

    public init(_ value: Int) {
        self.text = String(value)
        self.isIntegerLiteral = true
    }

    public init(_ value: Int64) {
        self.text = String(value)
        self.isIntegerLiteral = true
    }

    public init(_ value: Double) {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            self.text = String(Int64(value))
            self.isIntegerLiteral = true
        } else {
            self.text = "\(value)"
            self.isIntegerLiteral = false
        }
    }

    /// The value as Int64 when it is integral and fits (`1.0` and `1e2` count as integral).
    public var int64Value: Int64? {
        if isIntegerLiteral { return JSONNumber.parseInt64(ArraySlice(text.utf8)) }
        let d = doubleValue
        guard d.isFinite, d == d.rounded(), abs(d) < 9.2e18 else { return nil }
        return Int64(d)
    }

    public var doubleValue: Double { JSONNumber.parseDouble(ArraySlice(text.utf8)) }

    /// Whether the value is mathematically an integer (`1.0` is; JSON Schema's "integer" type uses this).
    public var isIntegral: Bool {
        if isIntegerLiteral { return true }
        let d = doubleValue
        return d.isFinite && d == d.rounded()
    }

    public var description: String { text }

    public static func == (a: JSONNumber, b: JSONNumber) -> Bool {
        if a.text == b.text { return true }
        if let x = a.int64Value, let y = b.int64Value { return x == y }
        return a.doubleValue == b.doubleValue
    }

    public func hash(into hasher: inout Hasher) {
        if let i = int64Value { hasher.combine(Double(i)) } else { hasher.combine(doubleValue) }
    }

    /// Parses an integer literal; nil on overflow.
    static func parseInt64(_ bytes: ArraySlice<UInt8>) -> Int64? {
        var i = bytes.startIndex
        let negative = i < bytes.endIndex && bytes[i] == ASCII.minus
        if negative { i += 1 }
        guard i < bytes.endIndex else { return nil }
        var value: Int64 = 0
        while i < bytes.endIndex {
            let d = bytes[i] &- ASCII.zero
            guard d < 10 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            value = s
            i += 1
        }
        return value
    }

    static func parseDouble(_ bytes: ArraySlice<UInt8>) -> Double {
        if bytes.count < 16, let i = parseInt64(bytes) { return Double(i) }
        return bytes.withUnsafeBufferPointer { buf in
            withUnsafeTemporaryAllocation(of: CChar.self, capacity: buf.count + 1) { tmp in
                for k in 0..<buf.count { tmp[k] = CChar(bitPattern: buf[k]) }
                tmp[buf.count] = 0
                return strtod(tmp.baseAddress!, nil)
            }
        }
    }
}
