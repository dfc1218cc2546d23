/// Byte-level checks for the formats that fill real API bodies (timestamps, uuids, int64 strings), so the
/// common case never builds a Swift String.
extension FormatChecker {
    /// The formats with a byte-level check.
    enum FastFormat: UInt8, Sendable {
        case dateTime, date, uuid, int64, int32, uint64, uint32

        init?(_ name: String) {
            switch name {
            case "date-time": self = .dateTime
            case "date": self = .date
            case "uuid": self = .uuid
            case "int64": self = .int64
            case "int32": self = .int32
            case "uint64": self = .uint64
            case "uint32": self = .uint32
            default: return nil
            }
        }
    }

    @inline(__always) private static func digit(_ b: UInt8) -> Int? { b &- 0x30 < 10 ? Int(b &- 0x30) : nil }

    private static func number(_ p: UnsafeBufferPointer<UInt8>, _ at: Int, _ count: Int) -> Int? {
        guard at + count <= p.count else { return nil }
        var v = 0
        for i in at..<(at + count) {
            guard let d = digit(p[i]) else { return nil }
            v = v * 10 + d
        }
        return v
    }

    static func check(_ format: FastFormat, bytes p: UnsafeBufferPointer<UInt8>) -> Bool {
        switch format {
        case .date: return p.count == 10 && isDate(p, 0)
        case .dateTime: return isDateTime(p)
        case .uuid: return isUUID(p)
        case .int64: return integer(p, min: Int64.min, max: Int64.max, unsigned: false)
        case .int32: return integer(p, min: Int64(Int32.min), max: Int64(Int32.max), unsigned: false)
        case .uint32: return integer(p, min: 0, max: Int64(UInt32.max), unsigned: true)
        case .uint64: return UInt64(String(decoding: p, as: UTF8.self)) != nil
        }
    }

    private static func isDate(_ p: UnsafeBufferPointer<UInt8>, _ at: Int) -> Bool {
        guard at + 10 <= p.count, p[at + 4] == 0x2D, p[at + 7] == 0x2D, let y = number(p, at, 4), let m = number(p, at + 5, 2),
            let d = number(p, at + 8, 2), (1...12).contains(m), d >= 1
        else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return d <= days[m - 1]
    }

    /// RFC 3339 date-time; anything unusual (leap seconds) goes to the String-level check.
    private static func isDateTime(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        guard p.count >= 20, isDate(p, 0), p[10] == 0x54 || p[10] == 0x74, p[13] == 0x3A, p[16] == 0x3A,
            let h = number(p, 11, 2), let mi = number(p, 14, 2), let s = number(p, 17, 2), h < 24, mi < 60
        else { return false }
        if s == 60 { return check("date-time", string: String(decoding: p, as: UTF8.self)) }
        guard s < 60 else { return false }
        var i = 19
        if p[i] == 0x2E {
            i += 1
            let start = i
            while i < p.count, digit(p[i]) != nil { i += 1 }
            guard i > start else { return false }
        }
        guard i < p.count else { return false }
        if p[i] == 0x5A || p[i] == 0x7A { return i == p.count - 1 }
        guard p[i] == 0x2B || p[i] == 0x2D, p.count - i == 6, p[i + 3] == 0x3A, let oh = number(p, i + 1, 2),
            let om = number(p, i + 4, 2)
        else { return false }
        return oh < 24 && om < 60
    }

    private static func isUUID(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        guard p.count == 36 else { return false }
        for i in 0..<36 {
            let b = p[i]
            if i == 8 || i == 13 || i == 18 || i == 23 {
                if b != 0x2D { return false }
            } else if !((b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46)) {
                return false
            }
        }
        return true
    }

    private static func integer(_ p: UnsafeBufferPointer<UInt8>, min: Int64, max: Int64, unsigned: Bool) -> Bool {
        guard !p.isEmpty, p.count <= 20 else { return false }
        var i = 0
        var negative = false
        if p[0] == 0x2D {
            guard !unsigned else { return false }
            negative = true
            i = 1
        } else if p[0] == 0x2B {
            i = 1
        }
        guard i < p.count else { return false }
        var v: Int64 = 0
        while i < p.count {
            guard let d = digit(p[i]) else { return false }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (r, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return false }
            v = r
            i += 1
        }
        return v >= min && v <= max
    }
}
