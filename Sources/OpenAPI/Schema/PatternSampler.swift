/// Produces a string matching a simple regular expression.
///
/// It handles literals, classes (`[a-z0-9]`, `\d`, `\w`, `.`),
/// groups with alternation (first branch), and quantifiers (`?`, `*`, `+`, `{n}`, `{n,m}`). Returns nil for
/// constructs it does not handle (lookarounds, backreferences); callers then keep another candidate.
enum PatternSampler {
    static func sample(_ pattern: String, seed: UInt64) -> String? {
        var chars = Array(pattern)
        if chars.first == "^" { chars.removeFirst() }
        if chars.last == "$" && (chars.count < 2 || chars[chars.count - 2] != "\\") { chars.removeLast() }
        var i = 0
        var rng = seed | 1
        guard let out = sequence(chars, &i, &rng), i == chars.count else { return nil }
        if let regex = SchemaRegex(pattern), !regex.matches(out) { return nil }
        return out
    }

    private static func random(_ rng: inout UInt64, _ n: Int) -> Int {
        rng ^= rng << 13
        rng ^= rng >> 7
        rng ^= rng << 17
        return n <= 1 ? 0 : Int(rng % UInt64(n))
    }

    /// A sequence up to `)` or the end; alternation takes the first branch.
    private static func sequence(_ c: [Character], _ i: inout Int, _ rng: inout UInt64) -> String? {
        var out = ""
        while i < c.count && c[i] != ")" {
            if c[i] == "|" {
                // Skip the other branches.
                var depth = 0
                while i < c.count {
                    if c[i] == "(" { depth += 1 }
                    if c[i] == ")" {
                        if depth == 0 { break }
                        depth -= 1
                    }
                    i += 1
                }
                break
            }
            guard let atom = atom(c, &i, &rng) else { return nil }
            let (lo, hi) = quantifier(c, &i)
            let times = lo + random(&rng, hi - lo + 1)
            for _ in 0..<times { out += atom() }
        }
        return out
    }

    private static func atom(_ c: [Character], _ i: inout Int, _ rng: inout UInt64) -> (() -> String)? {
        let ch = c[i]
        switch ch {
        case "(":
            i += 1
            if i + 1 < c.count && c[i] == "?" {
                if c[i + 1] == ":" { i += 2 } else { return nil }
            }
            guard let inner = sequence(c, &i, &rng), i < c.count, c[i] == ")" else { return nil }
            i += 1
            return { inner }
        case "[":
            i += 1
            var options: [Character] = []
            var negated = false
            if i < c.count && c[i] == "^" {
                negated = true
                i += 1
            }
            while i < c.count && c[i] != "]" {
                var x = c[i]
                if x == "\\", i + 1 < c.count {
                    i += 1
                    x = c[i]
                    if x == "d" {
                        options += Array("0123456789")
                    } else if x == "w" {
                        options += Array("abcxyz019_")
                    } else {
                        options.append(x)
                    }
                    i += 1
                    continue
                }
                if i + 2 < c.count && c[i + 1] == "-" && c[i + 2] != "]" {
                    let a = x.unicodeScalars.first!.value
                    let b = c[i + 2].unicodeScalars.first!.value
                    if a <= b { for v in a...min(b, a + 60) { options.append(Character(UnicodeScalar(v)!)) } }
                    i += 3
                    continue
                }
                options.append(x)
                i += 1
            }
            guard i < c.count else { return nil }
            i += 1
            if negated { options = Array("qzQZ7").filter { !options.contains($0) } }
            guard !options.isEmpty else { return nil }
            let pick = options[random(&rng, options.count)]
            return { String(pick) }
        case "\\":
            guard i + 1 < c.count else { return nil }
            let e = c[i + 1]
            i += 2
            switch e {
            case "d": return { "7" }
            case "w": return { "w" }
            case "s": return { " " }
            case "b", "B", "1", "2", "3", "k": return nil
            default: return { String(e) }
            }
        case ".":
            i += 1
            return { "x" }
        case "^", "$", "*", "+", "?", "{":
            return nil
        default:
            i += 1
            return { String(ch) }
        }
    }

    private static func quantifier(_ c: [Character], _ i: inout Int) -> (Int, Int) {
        guard i < c.count else { return (1, 1) }
        var result: (Int, Int)
        switch c[i] {
        case "?": result = (0, 1); i += 1
        case "*": result = (0, 2); i += 1
        case "+": result = (1, 3); i += 1
        case "{":
            guard let close = c[i...].firstIndex(of: "}") else { return (1, 1) }
            let inside = String(c[(i + 1)..<close])
            let parts = inside.split(separator: ",", omittingEmptySubsequences: false)
            let lo = Int(parts[0]) ?? 1
            let hi = parts.count == 1 ? lo : (Int(parts[1]) ?? lo + 2)
            i = close + 1
            result = (lo, max(lo, min(hi, lo + 3)))
        default: return (1, 1)
        }
        if i < c.count && c[i] == "?" { i += 1 }
        return result
    }
}
