/// URI, IRI, URI-template, relative JSON pointer and duration checks (RFC 3986, 3987, 6570, ISO 8601/RFC 3339).
extension FormatChecker {
    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    private static let subDelims = Set("!$&'()*+,;=")

    /// Checks `s` as a URI reference; `absolute` requires a scheme, `iri` allows non-ASCII characters.
    static func isURIReference(_ s: String, absolute: Bool, iri: Bool) -> Bool {
        let chars = Array(s)
        // Percent-encodings must be complete and hexadecimal.
        var i = 0
        while i < chars.count {
            if chars[i] == "%" {
                guard i + 2 < chars.count, chars[i + 1].isHexDigit, chars[i + 2].isHexDigit else { return false }
                i += 3
                continue
            }
            let c = chars[i]
            if !c.isASCII {
                if !iri { return false }
            } else if !(unreserved.contains(c) || subDelims.contains(c) || ":/?#[]@".contains(c)) {
                return false
            }
            i += 1
        }
        let ref = URIReference(s)
        if absolute && ref.scheme == nil { return false }
        if ref.scheme == nil, let colon = ref.path.firstIndex(of: ":"),
            !ref.path[..<colon].contains("/")
        {
            return false  // a relative path whose first segment has a colon would read as a scheme
        }
        if let authority = ref.authority {
            var hostPort = Substring(authority)
            if let at = authority.lastIndex(of: "@") {
                let userinfo = authority[..<at]
                if userinfo.contains("@") || userinfo.contains("[") || userinfo.contains("]") { return false }
                hostPort = authority[authority.index(after: at)...]
            }
            if hostPort.hasPrefix("[") {
                guard let close = hostPort.firstIndex(of: "]") else { return false }
                let inner = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
                if !inner.hasPrefix("v") && !inner.hasPrefix("V") && !isIPv6(inner) { return false }
                let rest = hostPort[hostPort.index(after: close)...]
                if !rest.isEmpty && !(rest.hasPrefix(":") && rest.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }) { return false }
            } else {
                if hostPort.contains("[") || hostPort.contains("]") { return false }
                if let colon = hostPort.lastIndex(of: ":") {
                    let port = hostPort[hostPort.index(after: colon)...]
                    if !port.allSatisfy({ $0.isASCII && $0.isNumber }) { return false }
                    hostPort = hostPort[..<colon]
                }
                if hostPort.contains(":") { return false }
            }
        }
        if ref.path.contains("[") || ref.path.contains("]") { return false }
        if let q = ref.query, q.contains("[") || q.contains("]") { return false }
        return true
    }

    static func isURITemplate(_ s: String) -> Bool {
        var depth = 0
        for c in s {
            if c == "{" {
                if depth > 0 { return false }
                depth += 1
            } else if c == "}" {
                if depth == 0 { return false }
                depth -= 1
            }
        }
        return depth == 0
    }

    static func isRelativeJSONPointer(_ s: String) -> Bool {
        let digits = s.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits == "0" || !digits.hasPrefix("0") else { return false }
        let rest = s.dropFirst(digits.count)
        if rest == "#" || rest.isEmpty { return true }
        return check("json-pointer", string: String(rest))
    }

    private static let durationPattern = SchemaRegex(
        "^P(?:(?:[0-9]+Y(?:[0-9]+M(?:[0-9]+D)?)?|[0-9]+M(?:[0-9]+D)?|[0-9]+D)(?:T(?:[0-9]+H(?:[0-9]+M(?:[0-9]+S)?)?|[0-9]+M(?:[0-9]+S)?|[0-9]+S))?|T(?:[0-9]+H(?:[0-9]+M(?:[0-9]+S)?)?|[0-9]+M(?:[0-9]+S)?|[0-9]+S)|[0-9]+W)$"
    )!

    static func isDuration(_ s: String) -> Bool {
        !s.contains("\n") && durationPattern.matches(s)
    }
}
