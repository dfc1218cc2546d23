import Foundation
import JSON

/// A user row of the mock master.
struct MockUser: Sendable, Codable {
    var id: Int
    var username: String
    var admin: Bool
    var active: Bool
    var displayName: String
    /// Client-side hash (sha512 hex of salt + password); nil for a password-less user.
    var passwordHash: String?
    var modifiedAt: Date
    var lastAuthAt: Date?
    /// A remote (SSO) user: no password login (absent from older state files: false).
    var remote: Bool? = nil
}

/// A login session.
struct MockSession: Sendable, Codable {
    var token: String
    var userID: Int
    var expiry: Date
}

/// An experiment row.
///
/// `state` is the DB state (no `STATE_` prefix), as the master stores it.
struct MockExperiment: Sendable, Codable {
    var id: Int
    var name: String
    var description: String
    var labels: [String]
    var ownerID: Int
    var state: String
    var archived: Bool
    var startTime: Date
    var endTime: Date?
    var numTrials: Int
    var projectID: Int
    var searcherType: String
    var searcherMetric: String
    var resourcePool: String
    var progress: Double?
    var forkedFrom: Int?
    var jobID: String
    var checkpointSize: Int64
    var checkpointCount: Int
    var notes: String
    var unmanaged: Bool
    /// When a STOPPING_* or DELETING state resolves, and to what ("" removes the row).
    var pendingAt: Date?
    var pendingState: String?

    static let terminal: Set<String> = ["COMPLETED", "CANCELED", "ERROR"]
    var isTerminal: Bool { MockExperiment.terminal.contains(state) }
}

/// A workspace row.
struct MockWorkspace: Sendable, Codable {
    var id: Int
    var name: String
    var archived: Bool
    var ownerID: Int
    var immutable: Bool
    /// Users who pinned it, and when (absent from older state files).
    var pins: [WorkspacePin]? = nil
    /// Why its last delete failed (`WORKSPACE_STATE_DELETE_FAILED`), absent while it has not.
    var deleteError: String? = nil
}

/// One user's pin of a workspace (`workspace_pins`).
struct WorkspacePin: Sendable, Codable {
    var userID: Int
    var at: Date
}

/// A project row.
struct MockProject: Sendable, Codable {
    var id: Int
    var name: String
    var workspaceID: Int
    var description: String
    var archived: Bool
    var ownerID: Int
    var immutable: Bool
    var key: String
    /// When an asynchronous delete (a project with experiments, §23.6) is done; the list shows it DELETING until then.
    var deleteDue: Date? = nil
}

/// Everything the mock remembers; what `--state FILE` saves.
struct MockState: Sendable, Codable {
    var clusterID: String
    var users: [MockUser]
    var sessions: [MockSession]
    var experiments: [MockExperiment]
    var workspaces: [MockWorkspace]
    var projects: [MockProject]
    /// Long-lived access tokens (absent from state files written before they existed).
    var accessTokens: [MockAccessToken]?
    /// The model registry and templates (§26–27); a state file written before them gets the seeded ones.
    var models: [MockModel]
    var modelVersions: [MockModelVersion]
    var templates: [MockTemplate]
    /// Webhooks and their triggers (§29).
    var webhooks: [MockWebhook] = []

    init(
        clusterID: String, users: [MockUser], sessions: [MockSession], experiments: [MockExperiment], workspaces: [MockWorkspace],
        projects: [MockProject], accessTokens: [MockAccessToken]?
    ) {
        self.clusterID = clusterID
        self.users = users
        self.sessions = sessions
        self.experiments = experiments
        self.workspaces = workspaces
        self.projects = projects
        self.accessTokens = accessTokens
        (models, modelVersions, templates) = SeedData.registry(experiments: experiments, users: users)
    }

    private enum CodingKeys: String, CodingKey {
        case clusterID, users, sessions, experiments, workspaces, projects, accessTokens, models, modelVersions, templates, webhooks
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            clusterID: try c.decode(String.self, forKey: .clusterID), users: try c.decode([MockUser].self, forKey: .users),
            sessions: try c.decode([MockSession].self, forKey: .sessions),
            experiments: try c.decode([MockExperiment].self, forKey: .experiments),
            workspaces: try c.decode([MockWorkspace].self, forKey: .workspaces),
            projects: try c.decode([MockProject].self, forKey: .projects),
            accessTokens: try c.decodeIfPresent([MockAccessToken].self, forKey: .accessTokens))
        if c.contains(.models) {
            models = try c.decode([MockModel].self, forKey: .models)
            modelVersions = try c.decodeIfPresent([MockModelVersion].self, forKey: .modelVersions) ?? []
            templates = try c.decodeIfPresent([MockTemplate].self, forKey: .templates) ?? []
        }
        webhooks = try c.decodeIfPresent([MockWebhook].self, forKey: .webhooks) ?? []
    }
}

/// RFC 3339 UTC timestamps with trimmed fractional digits, as the gateway writes them.
enum Timestamp {
    static func string(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = floor(seconds)
        var micros = Int(((seconds - whole) * 1_000_000).rounded())
        var wholeSeconds = Int(whole)
        if micros >= 1_000_000 {
            micros -= 1_000_000
            wholeSeconds += 1
        }
        var t = time_t(wholeSeconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var text =
            "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
        if micros > 0 {
            var digits = String(micros)
            digits = String(repeating: "0", count: 6 - digits.count) + digits
            if digits.hasSuffix("000") { digits.removeLast(3) }
            text += "." + digits
        }
        return text + "Z"
    }

    /// An IMF-fixdate (`Tue, 01 Dec 2026 12:00:00 GMT`) as a date; nil for anything else.
    static func parseHTTPDate(_ text: String) -> Date? {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let month = months.firstIndex(of: String(parts[2])),
            let year = Int(parts[3])
        else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        var t = tm()
        t.tm_year = Int32(year - 1900)
        t.tm_mon = Int32(month)
        t.tm_mday = Int32(day)
        t.tm_hour = Int32(clock[0])
        t.tm_min = Int32(clock[1])
        t.tm_sec = Int32(clock[2])
        return Date(timeIntervalSince1970: TimeInterval(timegm(&t)))
    }

    /// An HTTP date for `Set-Cookie` expiry.
    static func httpDate(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&t, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
