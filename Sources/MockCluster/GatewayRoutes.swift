/// The modeled routes of the gateway, matched as grpc-gateway v1 does: method and segment count must
/// agree, a `{variable}` matches any segment (even an empty one), first match wins.
enum GatewayRoute: Sendable {
    case getMaster, login, logout, getMe, currentUser, getUsers
    case getUser(String)
    case getExperiments
    case getExperiment(String)
    case deleteExperiment(String)
    case experimentAction(String, String)
    case bulkArchive(String, archive: Bool)
    case getWorkspaces
    case getWorkspace(String)
    case getWorkspaceProjects(String)
    case getProject(String)
    case getExperimentTrials(String), getTrial(String), getTrialWorkloads(String), trialLogs(String)
    case getExperimentCheckpoints(String), getCheckpoint(String)
    case patchExperiment(String), setLabel(String, String, present: Bool)
    case getModels, getResourcePools, getJobs, getJobsV2, getTasks
    case postAccessToken, getAccessTokens, patchAccessToken(String)
    case getUserByUsername(String)

    /// The operationId the route implements.
    var operationID: String {
        switch self {
        case .getMaster: return "GetMaster"
        case .login: return "Login"
        case .logout: return "Logout"
        case .getMe: return "GetMe"
        case .currentUser: return "CurrentUser"
        case .getUsers: return "GetUsers"
        case .getUser: return "GetUser"
        case .getExperiments: return "GetExperiments"
        case .getExperiment: return "GetExperiment"
        case .deleteExperiment: return "DeleteExperiment"
        case .experimentAction(let action, _): return action.prefix(1).uppercased() + action.dropFirst() + "Experiment"
        case .bulkArchive(_, let archive): return archive ? "ArchiveExperiments" : "UnarchiveExperiments"
        case .getWorkspaces: return "GetWorkspaces"
        case .getWorkspace: return "GetWorkspace"
        case .getWorkspaceProjects: return "GetWorkspaceProjects"
        case .getProject: return "GetProject"
        case .getExperimentTrials: return "GetExperimentTrials"
        case .getTrial: return "GetTrial"
        case .getTrialWorkloads: return "GetTrialWorkloads"
        case .trialLogs: return "TrialLogs"
        case .getExperimentCheckpoints: return "GetExperimentCheckpoints"
        case .getCheckpoint: return "GetCheckpoint"
        case .patchExperiment: return "PatchExperiment"
        case .setLabel(_, _, let present): return present ? "PutExperimentLabel" : "DeleteExperimentLabel"
        case .getModels: return "GetModels"
        case .getResourcePools: return "GetResourcePools"
        case .getJobs: return "GetJobs"
        case .getJobsV2: return "GetJobsV2"
        case .getTasks: return "GetTasks"
        case .postAccessToken: return "PostAccessToken"
        case .getAccessTokens: return "GetAccessTokens"
        case .patchAccessToken: return "PatchAccessToken"
        case .getUserByUsername: return "GetUserByUsername"
        }
    }

    static let actions: Set<String> = ["archive", "unarchive", "kill", "cancel", "pause", "activate"]

    /// The route for a method and the segments after `/api/v1/`, or nil (the gateway's 501).
    static func match(method: String, _ s: [Substring]) -> GatewayRoute? {
        switch (method, s.count) {
        case ("GET", 1) where s[0] == "master": return .getMaster
        case ("POST", 2) where s[0] == "auth" && s[1] == "login": return .login
        case ("POST", 2) where s[0] == "auth" && s[1] == "logout": return .logout
        case ("GET", 2) where s[0] == "auth" && s[1] == "user": return .currentUser
        case ("GET", 1) where s[0] == "me": return .getMe
        case ("GET", 1) where s[0] == "users": return .getUsers
        case ("GET", 2) where s[0] == "users" && s[1] != "setting": return .getUser(String(s[1]))
        case ("GET", 1) where s[0] == "experiments": return .getExperiments
        case ("GET", 2) where s[0] == "experiments": return .getExperiment(String(s[1]))
        case ("DELETE", 2) where s[0] == "experiments": return .deleteExperiment(String(s[1]))
        case ("POST", 3) where s[0] == "experiments" && actions.contains(String(s[2])): return .experimentAction(String(s[2]), String(s[1]))
        case ("POST", 4) where s[0] == "projects" && s[2] == "experiments" && (s[3] == "archive" || s[3] == "unarchive"):
            return .bulkArchive(String(s[1]), archive: s[3] == "archive")
        case ("GET", 1) where s[0] == "workspaces": return .getWorkspaces
        case ("GET", 2) where s[0] == "workspaces": return .getWorkspace(String(s[1]))
        case ("GET", 3) where s[0] == "workspaces" && s[2] == "projects": return .getWorkspaceProjects(String(s[1]))
        case ("GET", 2) where s[0] == "projects": return .getProject(String(s[1]))
        case ("GET", 3) where s[0] == "experiments" && s[2] == "trials": return .getExperimentTrials(String(s[1]))
        case ("GET", 3) where s[0] == "experiments" && s[2] == "checkpoints": return .getExperimentCheckpoints(String(s[1]))
        case ("PATCH", 2) where s[0] == "experiments": return .patchExperiment(String(s[1]))
        case ("PUT", 4) where s[0] == "experiments" && s[2] == "labels": return .setLabel(String(s[1]), String(s[3]), present: true)
        case ("DELETE", 4) where s[0] == "experiments" && s[2] == "labels": return .setLabel(String(s[1]), String(s[3]), present: false)
        case ("GET", 2) where s[0] == "trials" && s[1] != "time-series": return .getTrial(String(s[1]))
        case ("GET", 3) where s[0] == "trials" && s[2] == "workloads": return .getTrialWorkloads(String(s[1]))
        case ("GET", 3) where s[0] == "trials" && s[2] == "logs": return .trialLogs(String(s[1]))
        case ("GET", 2) where s[0] == "checkpoints": return .getCheckpoint(String(s[1]))
        case ("GET", 1) where s[0] == "models": return .getModels
        case ("GET", 1) where s[0] == "resource-pools": return .getResourcePools
        case ("GET", 1) where s[0] == "job-queues": return .getJobs
        case ("GET", 1) where s[0] == "job-queues-v2": return .getJobsV2
        case ("GET", 1) where s[0] == "tasks": return .getTasks
        case ("POST", 1) where s[0] == "tokens": return .postAccessToken
        case ("GET", 1) where s[0] == "tokens": return .getAccessTokens
        case ("PATCH", 2) where s[0] == "tokens": return .patchAccessToken(String(s[1]))
        case ("GET", 3) where s[0] == "users" && s[2] == "by-username": return .getUserByUsername(String(s[1]))
        default: return nil
        }
    }
}
