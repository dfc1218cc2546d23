/// Decides which field and variable names hold secrets, by the last word of the name, so that `accessToken`
/// and `refresh_token` are hidden while `tokenizer`, `tokenCount` and `secretName` are shown.
///
/// A name is split into words at lower-to-upper case changes (`clientSecret` → client, secret), at runs of
/// capitals followed by a word (`APIKey` → api, key) and at `_`, `-`, `.` and spaces. It is secret when its last
/// word is one of `words`, or its last two words are one of `pairs` (`api_key`, `privateKey`), or the whole
/// name, lowercased, is one of `compounds` (`apikey`, `passwd`).
public enum SecretNames {
    /// Last words that make a name secret.
    public static let words: Set<String> = [
        "password", "passwd", "passphrase", "pwd", "token", "secret", "authorization", "cookie", "credential",
        "credentials", "apikey",
    ]
    /// Last two words that make a name secret (the last word alone, `key`, does not).
    public static let pairs: Set<[String]> = [["api", "key"], ["private", "key"], ["access", "key"], ["secret", "key"]]

    public static func isSecret(_ name: String) -> Bool {
        // Most field names (id, state, startTime) hold none of the secret words: say so without splitting them.
        guard mayBeSecret(name) else { return false }
        let parts = words(of: name)
        guard let last = parts.last else { return false }
        if words.contains(last) { return true }
        return parts.count >= 2 && pairs.contains(Array(parts.suffix(2)))
    }

    /// Fragments every secret name holds somewhere, lowercased (`key` covers the pairs and `apikey`).
    private static let fragments: [[UInt8]] = ["pass", "pwd", "token", "secret", "auth", "cookie", "credential", "key"].map {
        Array($0.utf8)
    }

    /// False only when the ASCII name holds none of `fragments` (case-insensitively): then it cannot be secret.
    static func mayBeSecret(_ name: String) -> Bool {
        var lower: [UInt8] = []
        lower.reserveCapacity(name.utf8.count)
        for b in name.utf8 {
            guard b < 0x80 else { return true }
            lower.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
        }
        return fragments.contains { f in
            guard lower.count >= f.count else { return false }
            for start in 0...(lower.count - f.count) where lower[start] == f[0] {
                var i = 1
                while i < f.count && lower[start + i] == f[i] { i += 1 }
                if i == f.count { return true }
            }
            return false
        }
    }

    /// The lowercased words of a name: `refresh_token` → [refresh, token], `accessToken` → [access, token].
    public static func words(of name: String) -> [String] {
        var out: [String] = []
        var current: [Character] = []
        let chars = Array(name)
        func flush() {
            if !current.isEmpty { out.append(String(current).lowercased()) }
            current = []
        }
        for (i, c) in chars.enumerated() {
            if c == "_" || c == "-" || c == "." || c == " " {
                flush()
                continue
            }
            if c.isUppercase, let previous = current.last {
                let nextIsLower = i + 1 < chars.count && chars[i + 1].isLowercase
                // fooBar → foo|Bar; APIKey → API|Key; a run of capitals stays one word.
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) { flush() }
            }
            current.append(c)
        }
        flush()
        return out
    }
}
