/// `--shard i/n`: this job runs every n-th scenario starting at the i-th, so n CI jobs split a suite evenly and
/// the same way each time (the split follows the scenarios' order: files sorted by path, as given).
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    /// `i/n` with 1 ≤ i ≤ n, or nil.
    public init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 1, i <= n else { return nil }
        index = i
        count = n
    }

    public var description: String { "\(index)/\(count)" }

    /// Whether the scenario at `position` (0-based, in suite order) belongs to this shard.
    public func holds(position: Int) -> Bool { position % count == index - 1 }
}
