import OpenAPI

/// Writes conform never sends to an API, with why, beyond what the chain rules already keep out (anything not
/// scoped to an object the run created is never sent, on any API).
public enum NeverSend {
    /// The built-in list for `model` (Determined's, when it is the Determined API), plus `--exclude-op`.
    public static func list(for model: APIModel) -> [String: String] {
        model.isDetermined ? determined : [:]
    }

    /// Determined: creates of objects conform cannot make without starting work, and operations that start work.
    static let determined: [String: String] = [
        "ContinueExperiment": "continues a finished experiment: it would train",
        "PutExperiment": "creates an experiment by external id (unmanaged training); conform creates no experiment",
        "CreateTrial": "reports a trial of an unmanaged experiment; conform creates no experiment",
        "LaunchCommand": "starts a task on the cluster's agents", "LaunchNotebook": "starts a task on the cluster's agents",
        "LaunchShell": "starts a task on the cluster's agents", "LaunchTensorboard": "starts a task on the cluster's agents",
        "LaunchTensorboardSearches": "starts a task on the cluster's agents", "CreateGenericTask": "starts a task on the cluster's agents",
    ]
}
