import Foundation
import JSON

/// A query string read the way grpc-gateway v1 reads it (reference §4, §15): repeated keys, proto
/// (snake_case) or JSON (camelCase) names, the first value for scalars, Go's integer and enum rules.
struct QueryParameters: Sendable {
    private var values: [String: [String]] = [:]

    /// Parses `a=1&b=2&b=3`; a malformed percent escape is the gateway's 400.
    init(_ query: String) throws(GatewayError) {
        guard !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try QueryParameters.decode(String(parts[0]))
            let value = parts.count > 1 ? try QueryParameters.decode(String(parts[1])) : ""
            values[QueryParameters.camel(key), default: []].append(value)
        }
    }

    /// `sort_by` → `sortBy`, per dotted segment (`experiment_id_filter.lt` → `experimentIdFilter.lt`).
    static func camel(_ name: String) -> String {
        guard name.utf8.contains(0x5F) else { return name }
        return name.split(separator: ".", omittingEmptySubsequences: false).map { segment -> String in
            var out = ""
            var upper = false
            for c in segment {
                if c == "_" {
                    upper = true
                } else {
                    out.append(upper ? Character(c.uppercased()) : c)
                    upper = false
                }
            }
            return out
        }.joined(separator: ".")
    }

    private static func decode(_ s: String) throws(GatewayError) -> String {
        guard s.utf8.contains(where: { $0 == 0x25 || $0 == 0x2B }) else { return s }
        var bytes: [UInt8] = []
        let u = Array(s.utf8)
        var i = 0
        while i < u.count {
            if u[i] == 0x25 {
                guard i + 2 < u.count, let h = hex(u[i + 1]), let l = hex(u[i + 2]) else {
                    let bad = String(decoding: u[i..<min(u.count, i + 3)], as: UTF8.self)
                    throw GatewayError(.invalidArgument, "invalid URL escape \"\(bad)\"")
                }
                bytes.append(h << 4 | l)
                i += 3
            } else {
                bytes.append(u[i] == 0x2B ? 0x20 : u[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }

    func has(_ name: String) -> Bool { values[name] != nil }
    func first(_ name: String) -> String? { values[name]?.first }
    func all(_ name: String) -> [String] { values[name] ?? [] }

    func int32(_ name: String) throws(GatewayError) -> Int? {
        guard let v = first(name) else { return nil }
        return try GoInt.parse32(v)
    }

    func int32s(_ name: String) throws(GatewayError) -> [Int] {
        var out: [Int] = []
        for v in all(name) { out.append(try GoInt.parse32(v)) }
        return out
    }

    /// A `google.protobuf.BoolValue`: exactly `true` or `false`.
    func boolValue(_ name: String) throws(GatewayError) -> Bool? {
        guard let v = first(name) else { return nil }
        switch v {
        case "true": return true
        case "false": return false
        default: throw GatewayError(.invalidArgument, "bad BoolValue: \(v)")
        }
    }

    /// A proto3 `optional bool`, parsed by strconv.ParseBool.
    func goBool(_ name: String) throws(GatewayError) -> Bool? {
        guard let v = first(name) else { return nil }
        switch v {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: throw GatewayError(.invalidArgument, "strconv.ParseBool: parsing \"\(v)\": invalid syntax")
        }
    }

    /// An enum by name or number; `typeName` is the Go type named in the error.
    func enumValue(_ name: String, cases: [String], typeName: String) throws(GatewayError) -> String? {
        guard let v = first(name) else { return nil }
        return try QueryParameters.enumCase(v, cases: cases, typeName: typeName)
    }

    func enumValues(_ name: String, cases: [String], typeName: String) throws(GatewayError) -> [String] {
        var out: [String] = []
        for v in all(name) { out.append(try QueryParameters.enumCase(v, cases: cases, typeName: typeName)) }
        return out
    }

    /// `cases` lists names by number (index); unknown numbers beyond are errors too.
    static func enumCase(_ v: String, cases: [String], typeName: String) throws(GatewayError) -> String {
        if cases.contains(v) { return v }
        if let n = Int(v), n >= 0, n < cases.count, !cases[n].isEmpty { return cases[n] }
        throw GatewayError(.invalidArgument, "\(v) is not a valid \(typeName)")
    }
}

/// Go's `strconv.ParseInt(v, 0, 32)` as grpc-gateway uses it, with Go's error texts.
enum GoInt {
    static func parse32(_ v: String) throws(GatewayError) -> Int {
        guard let n = parse(v) else {
            throw GatewayError(.invalidArgument, "strconv.ParseInt: parsing \(quoted(v)): invalid syntax")
        }
        guard n >= Int(Int32.min) && n <= Int(Int32.max) else {
            throw GatewayError(.invalidArgument, "strconv.ParseInt: parsing \(quoted(v)): value out of range")
        }
        return n
    }

    /// Path parameters: the gateway wraps the same error with the parameter's proto name.
    static func pathParameter(_ v: String, name: String) throws(GatewayError) -> Int {
        do {
            return try parse32(v)
        } catch {
            throw GatewayError(.invalidArgument, "type mismatch, parameter: \(name), error: \(error.message)")
        }
    }

    private static func quoted(_ s: String) -> String { "\"" + s + "\"" }

    /// Base prefixes 0x, 0o, 0b and a leading 0 (octal); underscores only with a prefix, as Go allows.
    static func parse(_ text: String) -> Int? {
        // Plain decimal (the common case): no prefix, no leading zero.
        let u = text.utf8
        if let first = u.first, first != 0x30 || u.count == 1, u.count < 19,
            u.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        {
            return Int(text)
        }
        var s = Substring(text)
        var negative = false
        if s.hasPrefix("-") || s.hasPrefix("+") {
            negative = s.hasPrefix("-")
            s = s.dropFirst()
        }
        guard !s.isEmpty else { return nil }
        var base = 10
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where s.lowercased().hasPrefix(prefix) {
            base = radix
            s = s.dropFirst(2)
        }
        if base == 10 && s.count > 1 && s.hasPrefix("0") {
            base = 8
            s = s.dropFirst()
        }
        if s.contains("_") {
            guard !s.hasPrefix("_"), !s.hasSuffix("_"), !s.contains("__") else { return nil }
            s = Substring(s.replacingOccurrences(of: "_", with: ""))
        }
        guard !s.isEmpty, let magnitude = Int(s, radix: base) else { return nil }
        return negative ? -magnitude : magnitude
    }
}
