extension Duration {
    /// The duration in seconds, as a `Double` (for timings and reports).
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// Reads durations as people write them: `250ms`, `10s`, `5m`, `12h`, `7d`; a bare number is seconds.
public enum DurationText {
    public static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            if suffix == "s", number.hasSuffix("m") { continue }
            if let v = Double(number), v >= 0 { return v * factor }
        }
        return Double(text).flatMap { $0 >= 0 ? $0 : nil }
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
    public static func range(_ text: String) -> ClosedRange<Double>? {
        let parts = text.split(separator: "-", maxSplits: 1).map(String.init)
        guard let low = seconds(parts[0]) else { return nil }
        guard parts.count == 2 else { return low...low }
        guard let high = seconds(parts[1]), high >= low else { return nil }
        return low...high
    }
}
