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
    /// The overlay actions applied to the spec, as lines ("Determined master facts: … (1 place)").
    public var overlays: [String]
    /// What a `detapi conform` sweep covered; nil for `run`.
    public var conform: ConformCoverage?
    /// Set when a signal stopped the run early; every report says so.
    public var interrupted: Interruption?

    public init(
        results: [ScenarioResult], master: String, spec: String, shard: String? = nil, overlays: [String] = [],
        conform: ConformCoverage? = nil
    ) {
        self.results = results
        self.conform = conform
        self.master = master
        self.spec = spec
        self.shard = shard
        self.overlays = overlays
    }

    /// One record holding every scenario of `records`, in the order given; masters and specs that differ are listed.
    public static func merged(_ records: [RunRecord]) -> RunRecord {
        func distinct(_ values: [String]) -> String {
            var seen: [String] = []
            for v in values where !seen.contains(v) { seen.append(v) }
            return seen.joined(separator: ", ")
        }
        var overlays: [String] = []
        for line in records.flatMap(\.overlays) where !overlays.contains(line) { overlays.append(line) }
        var merged = RunRecord(
            results: records.flatMap(\.results), master: distinct(records.map(\.master)), spec: distinct(records.map(\.spec)),
            overlays: overlays)
        let stopped = records.compactMap(\.interrupted)
        if let first = stopped.first {
            merged.interrupted = Interruption(signal: first.signal, notStarted: stopped.map(\.notStarted).reduce(0, +))
        }
        return merged
    }

    /// What `report merge` says about the shards of `records`: which ones, and a note when they do not hold every
    /// shard of the split exactly once (the merged report may then be incomplete).
    public static func shardSummary(_ records: [RunRecord]) -> (shards: [String], note: String?) {
        let shards = records.compactMap(\.shard)
        guard let count = shards.first.flatMap({ Shard(argument: $0)?.count }) else { return (shards, nil) }
        let distinct = Set(shards).count
        guard distinct != count || shards.count != records.count else { return (shards, nil) }
        return (shards, "the files hold \(distinct) distinct shards of \(count); the merged report may be incomplete")
    }
}

/// A run stopped by SIGINT or SIGTERM: in-flight scenarios skipped their remaining steps and ran `finally`;
/// `notStarted` scenarios of the queue never began.
public struct Interruption: Sendable, Equatable {
    /// "SIGINT" or "SIGTERM".
    public var signal: String
    public var notStarted: Int

    public init(signal: String, notStarted: Int) {
        self.signal = signal
        self.notStarted = notStarted
    }

    /// One sentence for every report.
    public var text: String {
        "interrupted by \(signal): the remaining steps were skipped and finally steps ran"
            + (notStarted > 0 ? "; \(Plural.count(notStarted, "scenario")) did not start" : "")
    }
}
