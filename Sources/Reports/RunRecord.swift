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
    /// Set when a merge did not hold every shard of the split exactly once; every report says which.
    public var partial: ShardGap?
    /// The run's wall time, measured once; the console, report.json and the HTML total all show this number.
    public var milliseconds: Double?

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
        merged.conform = mergedCoverage(records.compactMap(\.conform))
        if merged.conform != nil {
            // A conform shard's results are per tag: the same tag from several shards is one section.
            var results: [ScenarioResult] = []
            for r in records.flatMap(\.results) {
                guard let i = results.firstIndex(where: { $0.name == r.name && $0.file == r.file }) else {
                    results.append(r)
                    continue
                }
                for step in r.steps {
                    // One row per operation, as a single run shows it: its findings from every shard.
                    guard let j = results[i].steps.firstIndex(where: { $0.operationID == step.operationID }) else {
                        results[i].steps.append(step)
                        continue
                    }
                    results[i].steps[j].failures += step.failures
                    results[i].steps[j].accepted += step.accepted
                    if step.outcome == .failed { results[i].steps[j].outcome = .failed }
                }
            }
            merged.results = results
        }
        let stopped = records.compactMap(\.interrupted)
        if let first = stopped.first {
            merged.interrupted = Interruption(
                signal: first.signal, notStarted: stopped.map(\.notStarted).reduce(0, +),
                notStartedNames: stopped.flatMap(\.notStartedNames))
        }
        return merged
    }

    /// Which of two states of one check a merged row shows: a failure over an accepted finding over a pass over
    /// "not judged".
    static func weight(_ state: ConformCoverage.CheckState) -> Int {
        switch state {
        case .failed: return 4
        case .baselined: return 3
        case .knownBug: return 2
        case .passed: return 1
        case .notJudged: return 0
        }
    }

    /// The coverage of conform shards as one sweep: their operations, each write not sent once, the counts added.
    static func mergedCoverage(_ parts: [ConformCoverage]) -> ConformCoverage? {
        guard let first = parts.first else { return nil }
        var checks: [ConformCheck] = []
        for c in parts.flatMap(\.checks) where !checks.contains(c) { checks.append(c) }
        // An operation swept in one shard and read by a chain in shard 1 is one row, as in a single run.
        var operations: [ConformCoverage.Operation] = []
        for op in parts.flatMap(\.operations) {
            guard let i = operations.firstIndex(where: { $0.id == op.id && $0.isProbe == op.isProbe }) else {
                operations.append(op)
                continue
            }
            operations[i].requests += op.requests
            operations[i].statuses = Array(Set(operations[i].statuses + op.statuses)).sorted()
            for (s, n) in op.statusCounts { operations[i].statusCounts[s, default: 0] += n }
            for (check, state) in op.checks where Self.weight(state) > operations[i].checks[check].map(Self.weight) ?? -1 {
                operations[i].checks[check] = state
            }
            for p in op.parameters where !operations[i].parameters.contains(p) { operations[i].parameters.append(p) }
        }
        var merged = ConformCoverage(
            operations: operations, checks: checks.sorted(), specOperations: first.specOperations,
            swept: operations.filter(\.isSwept).count)
        for n in parts.flatMap(\.notSent) where !merged.notSent.contains(where: { $0.id == n.id }) { merged.notSent.append(n) }
        merged.strict = parts.contains(where: \.strict)
        merged.stoppedEarly = parts.compactMap(\.stoppedEarly).first
        merged.staleBaseline = parts.flatMap(\.staleBaseline)
        return merged
    }

    /// Which shards of the split `records` hold, and which are missing or given twice; nil when the records
    /// are not shards.
    public static func shardGap(_ records: [RunRecord]) -> ShardGap? {
        let shards = records.compactMap { $0.shard.flatMap(Shard.init(argument:)) }
        guard let count = shards.first?.count else { return nil }
        var seen: [Int: Int] = [:]
        for s in shards { seen[s.index, default: 0] += 1 }
        let gap = ShardGap(
            count: count, missing: (1...max(1, count)).filter { seen[$0] == nil },
            duplicated: seen.filter { $0.value > 1 }.keys.sorted(),
            mismatched: shards.contains { $0.count != count } || shards.count != records.count)
        return gap.isComplete ? nil : gap
    }
}

/// The shards a merge lacks or holds twice (`report merge` of 1/3 and 3/3 lacks 2): such a merge is exit 1
/// unless `--allow-partial`, and its reports say so either way.
public struct ShardGap: Sendable, Equatable {
    /// n of `i/n`.
    public var count: Int
    public var missing: [Int]
    public var duplicated: [Int]
    /// Some files were not shards, or shards of splits of different sizes.
    public var mismatched: Bool
    /// `--allow-partial` was given: the merge is reported but does not fail for this.
    public var allowed = false

    public init(count: Int, missing: [Int], duplicated: [Int], mismatched: Bool) {
        self.count = count
        self.missing = missing
        self.duplicated = duplicated
        self.mismatched = mismatched
    }

    public var isComplete: Bool { missing.isEmpty && duplicated.isEmpty && !mismatched }

    /// One sentence for every report.
    public var text: String {
        var parts: [String] = []
        if !missing.isEmpty {
            parts.append("shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(count)" }.joined(separator: ", ")) missing")
        }
        if !duplicated.isEmpty {
            parts.append(
                "shard\(duplicated.count == 1 ? "" : "s") \(duplicated.map { "\($0)/\(count)" }.joined(separator: ", ")) given twice")
        }
        if mismatched { parts.append("some files are not shards of one \(count)-way split") }
        return "partial merge: " + parts.joined(separator: "; ")
            + (allowed ? " (--allow-partial)" : "; the merged results are incomplete")
    }
}

/// A run stopped by SIGINT or SIGTERM: in-flight scenarios skipped their remaining steps and ran `finally`;
/// `notStarted` scenarios of the queue never began.
public struct Interruption: Sendable, Equatable {
    /// "SIGINT" or "SIGTERM".
    public var signal: String
    public var notStarted: Int
    /// The scenarios that never began (empty in reports written before they were named).
    public var notStartedNames: [String]

    public init(signal: String, notStarted: Int, notStartedNames: [String] = []) {
        self.signal = signal
        self.notStarted = notStarted
        self.notStartedNames = notStartedNames
    }

    /// One sentence for every report.
    public var text: String {
        "interrupted by \(signal): the remaining steps were skipped and finally steps ran"
            + (notStarted > 0
                ? "; \(Plural.count(notStarted, "scenario")) did not start"
                    + (notStartedNames.isEmpty ? "" : ": " + notStartedNames.joined(separator: ", ")) : "")
    }
}
