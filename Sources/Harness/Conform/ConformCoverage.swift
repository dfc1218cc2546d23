import OpenAPI

/// What a conform sweep covered, as data for the reports: per operation the requests sent, the statuses seen
/// against those documented, the state of every check, and the parameters and enum values exercised.
public struct ConformCoverage: Sendable {
    /// How a check ended for one operation.
    public enum CheckState: String, Sendable, Hashable {
        case passed, failed
        /// Only findings on the known master bug list.
        case knownBug = "known"
        /// Only findings the baseline accepts.
        case baselined
        /// The check could not be judged (`ignored_auth` of an operation that never answered 2xx with credentials).
        case notJudged = "not judged"
    }

    /// One operation (or one `unsupported_method` probe of a path).
    public struct Operation: Sendable {
        public var id: String
        public var tag: String
        public var method: String
        public var path: String
        public var requests = 0
        public var statuses: [Int] = []
        /// How many answers had each status.
        public var statusCounts: [Int: Int] = [:]
        public var documented: [String] = []
        public var checks: [ConformCheck: CheckState] = [:]
        /// Parameters sent with at least one value.
        public var parameters: [String] = []
        public var enumValuesSent = 0
        public var enumValuesDocumented = 0
        /// Whether this row probes a path with a method it does not document.
        public var isProbe = false
        /// Whether this row is a write and its undo (`--allow-writes`).
        public var isWrite = false
        /// Whether this row is the proof that the cluster was left as found (`--allow-writes`).
        public var isProof = false
        /// Whether this row is an operation of the spec that was sent (not a probe, a pair or the proof).
        public var isSwept: Bool { !isProbe && !isWrite && !isProof }

        public init(id: String, tag: String, method: String, path: String) {
            self.id = id
            self.tag = tag
            self.method = method
            self.path = path
        }

        /// Whether an answer came back at all.
        public var answered: Bool { !statuses.isEmpty }

        /// Whether the operation was reached.
        ///
        /// A case got a 2xx the operation documents (as a code, `2XX` or `default`). An operation that only got errors was not reached, however many requests it got.
        public var reached: Bool {
            if isProbe { return answered }
            return statuses.contains { status in
                (200..<300).contains(status)
                    && (documented.contains(String(status)) || documented.contains("2XX") || documented.contains("default"))
            }
        }

        /// "403 ×40, 500 ×3": the statuses an operation got, with counts, most frequent first.
        public var statusText: String {
            guard !statusCounts.isEmpty else { return statuses.isEmpty ? "no answer" : statuses.map(String.init).joined(separator: ", ") }
            return statusCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        }
    }

    /// A write of the spec conform did not send, with why (`--allow-writes`).
    public struct NotSent: Sendable {
        public var id: String
        public var tag: String
        public var method: String
        public var path: String
        public var reason: NotSentReason

        public init(_ op: OpenAPI.Operation, _ reason: NotSentReason) {
            id = op.id
            tag = op.groupTag
            method = op.method
            path = op.path
            self.reason = reason
        }

        public init(id: String, tag: String, method: String, path: String, reason: NotSentReason) {
            self.id = id
            self.tag = tag
            self.method = method
            self.path = path
            self.reason = reason
        }
    }

    public var operations: [Operation]
    /// Writes not sent, with why (filled with `--allow-writes`, so that every operation of the spec is accounted for).
    public var notSent: [NotSent] = []
    /// The checks this sweep ran.
    public var checks: [ConformCheck]
    /// Operations in the spec, and those swept.
    public var specOperations: Int
    public var swept: Int
    /// Baseline entries that matched nothing this run.
    public var staleBaseline: [ConformBaseline.Entry] = []
    /// Whether known master bugs failed the run (`--strict`).
    public var strict = false
    /// Why the sweep stopped before the end (`--max-failures`, an interrupt); nil when it went through.
    public var stoppedEarly: String?

    public init(operations: [Operation], checks: [ConformCheck], specOperations: Int, swept: Int) {
        self.operations = operations
        self.checks = checks
        self.specOperations = specOperations
        self.swept = swept
    }

    /// Requests sent in all.
    public var requests: Int { operations.map(\.requests).reduce(0, +) }

    /// The swept operations (not probes or writes) that were not reached.
    public var notReached: [Operation] { operations.filter { $0.isSwept && !$0.reached } }

    /// The share of swept operations reached, 0…1 (1 when none were selected).
    public var reachedShare: Double {
        let swept = operations.filter(\.isSwept)
        return swept.isEmpty ? 1 : Double(swept.filter(\.reached).count) / Double(swept.count)
    }
}
