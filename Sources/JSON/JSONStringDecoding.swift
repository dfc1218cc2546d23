/// Decodes the escapes of a JSON string's raw content; the slow path, taken only when a string has a backslash.
enum JSONStringDecoding {
    /// Assumes the scanner already validated the escapes and UTF-8.
    static func unescape(_ raw: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = raw.startIndex
        let end = raw.endIndex
        while i < end {
            let b = raw[i]
            guard b == ASCII.backslash, i + 1 < end else {
                out.append(b)
                i += 1
                continue
            }
            let e = raw[i + 1]
            i += 2
            switch e {
            case ASCII.b: out.append(0x08)
            case ASCII.f: out.append(0x0C)
            case ASCII.n: out.append(0x0A)
            case ASCII.r: out.append(0x0D)
            case ASCII.t: out.append(0x09)
            case ASCII.u:
                var scalar = hex4(raw, i)
                i += 4
                if scalar >= 0xD800 && scalar <= 0xDBFF, i + 6 <= end, raw[i] == ASCII.backslash {
                    let low = hex4(raw, i + 2)
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                appendUTF8(UnicodeScalar(scalar) ?? "\u{FFFD}", to: &out)
            default: out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex4(_ raw: ArraySlice<UInt8>, _ at: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 where at + k < raw.endIndex { v = v << 4 | UInt32(ASCII.hexValue(raw[at + k]) ?? 0) }
        return v
    }

    private static func appendUTF8(_ scalar: UnicodeScalar, to out: inout [UInt8]) {
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
    }
}
