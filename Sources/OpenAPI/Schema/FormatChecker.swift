import Foundation

/// The `format` values detapi asserts: the ones real APIs use and grpc-gateway emits.
///
/// Unknown formats pass
/// (Swagger specs from grpc-gateway say `format: boolean`, which means nothing to a validator).
enum FormatChecker {
    static func check(_ format: String, string s: String) -> Bool {
        switch format {
        case "date-time": return isDateTime(s)
        case "date": return isDate(s)
        case "time": return isTime(s)
        case "uuid": return isUUID(s)
        case "email": return isEmail(s)
        case "hostname": return isHostname(s)
        case "ipv4": return isIPv4(s)
        case "ipv6": return isIPv6(s)
        case "uri": return isURIReference(s, absolute: true, iri: false)
        case "uri-reference": return isURIReference(s, absolute: false, iri: false)
        case "iri": return isURIReference(s, absolute: true, iri: true)
        case "iri-reference": return isURIReference(s, absolute: false, iri: true)
        case "uri-template": return isURITemplate(s)
        case "relative-json-pointer": return isRelativeJSONPointer(s)
        case "duration": return isDuration(s)
        case "byte": return isBase64(s)
        // grpc-gateway sends 64-bit integers as JSON strings.
        case "int64": return Int64(s) != nil
        case "uint64": return UInt64(s) != nil
        case "int32": return Int32(s) != nil
        case "uint32": return UInt32(s) != nil
        case "regex": return SchemaRegex(s) != nil
        case "json-pointer": return s.isEmpty || s.hasPrefix("/") && !hasBadTilde(s)
        default: return true
        }
    }

    static func check(_ format: String, number text: String, integerLiteral: Bool) -> Bool {
        switch format {
        case "int32": return integerLiteral ? Int32(text) != nil : fits(text, Double(Int32.min), Double(Int32.max))
        case "int64": return integerLiteral ? Int64(text) != nil : fits(text, -9.223372036854776e18, 9.223372036854776e18)
        case "uint32": return integerLiteral ? UInt32(text) != nil : fits(text, 0, Double(UInt32.max))
        case "uint64": return integerLiteral ? UInt64(text) != nil : fits(text, 0, 1.8446744073709552e19)
        case "float": return Double(text).map { abs($0) <= Double(Float.greatestFiniteMagnitude) } ?? false
        default: return true
        }
    }

    private static func fits(_ text: String, _ lo: Double, _ hi: Double) -> Bool {
        guard let d = Double(text), d == d.rounded() else { return false }
        return d >= lo && d <= hi
    }

    private static func hasBadTilde(_ s: String) -> Bool {
        var chars = s.makeIterator()
        while let c = chars.next() {
            if c == "~" {
                guard let n = chars.next(), n == "0" || n == "1" else { return true }
            }
        }
        return false
    }

    private static func digits(_ s: Substring, _ count: Int) -> Int? {
        guard s.count == count, s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(s)
    }

    /// RFC 3339 full-date (the byte-level check, on the string's UTF-8).
    static func isDate(_ s: String) -> Bool { utf8(s) { check(.date, bytes: $0) } }

    private static func utf8(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        var s = s
        return s.withUTF8(body)
    }

    /// RFC 3339 full-time (with offset); leap seconds only at 23:59:60 UTC.
    static func isTime(_ s: String) -> Bool {
        let u = Array(s.uppercased())
        guard u.count >= 9, u[2] == ":", u[5] == ":" else { return false }
        guard let h = digits(Substring(String(u[0..<2])), 2), let m = digits(Substring(String(u[3..<5])), 2),
            let sec = digits(Substring(String(u[6..<8])), 2)
        else { return false }
        var i = 8
        if u[i] == "." {
            i += 1
            let start = i
            while i < u.count, u[i].isASCII, u[i].isNumber { i += 1 }
            if i == start { return false }
        }
        guard i < u.count else { return false }
        var offsetMinutes = 0
        if u[i] == "Z" {
            guard i == u.count - 1 else { return false }
        } else if u[i] == "+" || u[i] == "-" {
            guard u.count - i == 6, u[i + 3] == ":", let oh = digits(Substring(String(u[(i + 1)..<(i + 3)])), 2),
                let om = digits(Substring(String(u[(i + 4)..<(i + 6)])), 2), oh < 24, om < 60
            else { return false }
            offsetMinutes = (oh * 60 + om) * (u[i] == "+" ? 1 : -1)
        } else {
            return false
        }
        guard h < 24, m < 60, sec <= 60 else { return false }
        if sec == 60 {
            let utc = ((h * 60 + m - offsetMinutes) % 1440 + 1440) % 1440
            return utc == 23 * 60 + 59
        }
        return true
    }

    static func isDateTime(_ s: String) -> Bool {
        guard let t = s.firstIndex(where: { $0 == "T" || $0 == "t" }) else { return false }
        return isDate(String(s[..<t])) && isTime(String(s[s.index(after: t)...]))
    }

    static func isUUID(_ s: String) -> Bool { utf8(s) { check(.uuid, bytes: $0) } }

    static func isEmail(_ s: String) -> Bool {
        guard let at = s.lastIndex(of: "@") else { return false }
        let local = s[..<at]
        let domain = String(s[s.index(after: at)...])
        guard !local.isEmpty else { return false }
        if local.hasPrefix("\"") {
            guard local.count >= 2, local.hasSuffix("\"") else { return false }
        } else {
            let atext = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+/=?^_`{|}~.-")
            guard local.allSatisfy({ atext.contains($0) }), !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..")
            else { return false }
        }
        if domain.hasPrefix("[") && domain.hasSuffix("]") {
            let inner = String(domain.dropFirst().dropLast())
            return inner.hasPrefix("IPv6:") ? isIPv6(String(inner.dropFirst(5))) : isIPv4(inner)
        }
        return isHostname(domain)
    }

    static func isHostname(_ s: String) -> Bool {
        let h = s
        guard !h.isEmpty, h.utf8.count <= 253 else { return false }
        for label in h.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.utf8.count <= 63, !label.hasPrefix("-"), !label.hasSuffix("-") else { return false }
            guard label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return false }
        }
        return true
    }

    static func isIPv4(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int(p), v <= 255 else { return false }
            if p.count > 1 && p.hasPrefix("0") { return false }
        }
        return true
    }

    static func isIPv6(_ s: String) -> Bool {
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII }), !s.contains("%") else { return false }
        var text = Substring(s)
        var groupsNeeded = 8
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard isIPv4(String(text[text.index(after: lastColon)...])) else { return false }
            text = text[...lastColon]
            if text.hasSuffix(":") && !text.hasSuffix("::") { text = text.dropLast() }
            groupsNeeded = 6
        }
        let doubleColon = text.components(separatedBy: "::")
        guard doubleColon.count <= 2 else { return false }
        func groups(_ part: String) -> [Substring]? {
            if part.isEmpty { return [] }
            let g = part.split(separator: ":", omittingEmptySubsequences: false)
            for x in g where x.isEmpty || x.count > 4 || !x.allSatisfy({ $0.isHexDigit }) { return nil }
            return g
        }
        if doubleColon.count == 2 {
            guard let a = groups(doubleColon[0]), let b = groups(doubleColon[1]) else { return false }
            return a.count + b.count < groupsNeeded
        }
        guard let g = groups(doubleColon[0]) else { return false }
        return g.count == groupsNeeded
    }

    static func isBase64(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count % 4 == 0 else { return false }
        for (i, b) in u.enumerated() {
            let ok =
                (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2B || b == 0x2F
                || b == 0x2D || b == 0x5F
            if !ok {
                guard b == 0x3D, i >= u.count - 2 else { return false }
            }
        }
        return true
    }
}

/// The formats detapi asserts, for callers outside the validator that check one value (a request parameter
/// before it is sent).
public enum FormatAssertion {
    /// Whether `text` is valid for `format` (an unknown format accepts everything).
    public static func accepts(_ format: String, string text: String) -> Bool { FormatChecker.check(format, string: text) }

    /// Whether the number written as `text` fits `format` (int32, int64, uint32, uint64, float).
    public static func accepts(_ format: String, number text: String) -> Bool {
        FormatChecker.check(format, number: text, integerLiteral: !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }))
    }
}
