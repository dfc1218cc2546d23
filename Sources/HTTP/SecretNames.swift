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
        let parts = words(of: name)
        guard let last = parts.last else { return false }
        if words.contains(last) { return true }
        return parts.count >= 2 && pairs.contains(Array(parts.suffix(2)))
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
