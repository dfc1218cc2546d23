import Foundation

extension Duration {
    /// The duration in seconds, as a `Double` (for timings and reports).
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// Reads durations as people write them: `250ms`, `10s`, `5m`, `12h`, `7d`; a bare number is seconds.
///
/// Only finite values from 0 to `max` are durations: `inf`, `nan`, negative numbers and absurd sizes are not,
/// so no option or scenario key can hand a timer a value that traps.
public enum DurationText {
    /// The longest duration anything accepts unless it says otherwise: 30 days.
    public static let longest: Double = 30 * 86_400

    public static func seconds(_ text: String, max: Double = longest) -> Double? {
        let text = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        var value: Double?
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            if suffix == "s", number.hasSuffix("m") { continue }
            if let v = plainNumber(number) {
                value = v * factor
                break
            }
        }
        if value == nil { value = plainNumber(Substring(text)) }
        guard let v = value, isAllowed(v, max: max) else { return nil }
        return v
    }

    /// Whether `seconds` is finite, not negative and at most `max`.
    public static func isAllowed(_ seconds: Double, max: Double = longest) -> Bool {
        seconds.isFinite && seconds >= 0 && seconds <= max
    }

    /// Digits with at most one decimal point; no signs, exponents, `inf` or `nan`.
    private static func plainNumber(_ s: Substring) -> Double? {
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), s.filter({ $0 == "." }).count <= 1 else {
            return nil
        }
        return Double(s)
    }

    /// Seconds written back the way people write them: `250ms`, `10s`, `2m`, `1.5h`.
    public static func describe(_ seconds: Double) -> String {
        func trim(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }
        if seconds < 1 { return "\(trim(seconds * 1000))ms" }
        if seconds < 60 || seconds.truncatingRemainder(dividingBy: 60) != 0 && seconds < 600 { return "\(trim(seconds))s" }
        if seconds < 3600 { return "\(trim(seconds / 60))m" }
        return "\(trim(seconds / 3600))h"
    }

    /// `50ms-200ms` or a single duration.
    public static func range(_ text: String, max: Double = longest) -> ClosedRange<Double>? {
        let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, let low = seconds(first, max: max) else { return nil }
        guard parts.count == 2 else { return low...low }
        guard let high = seconds(parts[1], max: max), high >= low else { return nil }
        return low...high
    }
}
