import Foundation

/// Reads sizes as people write them: `512K`, `64M`, `1G` (binary multiples, an optional `B` or `iB`), or bytes.
///
/// Only whole sizes from 1 byte to `max` are sizes, so an option can never hand libcurl a zero, negative or
/// overflowing limit.
public enum ByteSizeText {
    /// 16 GiB: more than any answer a test should ever accept.
    public static let largest = 16 << 30

    public static func bytes(_ text: String, max: Int = largest) -> Int? {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces).uppercased())
        for suffix in ["IB", "B"] where digits.hasSuffix(suffix) {
            digits = digits.dropLast(suffix.count)
            break
        }
        var factor = 1
        if let last = digits.last, let shift = ["K": 10, "M": 20, "G": 30][String(last)] {
            factor = 1 << shift
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let n = Int(digits), n > 0 else { return nil }
        let (value, overflow) = n.multipliedReportingOverflow(by: factor)
        guard !overflow, value <= max else { return nil }
        return value
    }
}
