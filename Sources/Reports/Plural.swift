/// Counts with their noun in the right number ("1 null accepted", "3 nulls accepted"), for every report.
public enum Plural {
    /// `count` and `noun`, with `plural` (default: noun + "s") unless the count is 1.
    public static func count(_ count: Int, _ noun: String, plural: String? = nil) -> String {
        "\(count) \(count == 1 ? noun : plural ?? noun + "s")"
    }
}
