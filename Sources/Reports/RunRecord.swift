import Harness

/// A whole run as the reports see it: what ran, against which master and spec, and which shard of a split run.
///
/// `detapi run` builds one; `detapi report merge` reads several back from their JSON reports and joins them.
public struct RunRecord: Sendable {
    public var results: [ScenarioResult]
    public var master: String
    public var spec: String
    /// `i/n` when the run was one shard of a split run; nil for a whole run (and for a merged one).
    public var shard: String?

    public init(results: [ScenarioResult], master: String, spec: String, shard: String? = nil) {
        self.results = results
        self.master = master
        self.spec = spec
        self.shard = shard
    }

    /// One record holding every scenario of `records`, in the order given; masters and specs that differ are listed.
    public static func merged(_ records: [RunRecord]) -> RunRecord {
        func distinct(_ values: [String]) -> String {
            var seen: [String] = []
            for v in values where !seen.contains(v) { seen.append(v) }
            return seen.joined(separator: ", ")
        }
        return RunRecord(
            results: records.flatMap(\.results), master: distinct(records.map(\.master)), spec: distinct(records.map(\.spec)))
    }
}
