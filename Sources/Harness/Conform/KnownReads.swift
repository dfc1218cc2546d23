import OpenAPI

/// POST operations of a known API that only read (a search whose filter is a body), which conform sweeps as it
/// sweeps GETs, without `--allow-writes`; `--safe-op` and an overlay's `x-detapi-safe: true` add to them.
public enum KnownReads {
    /// The built-in list for `model`: Determined's searches, when it is the Determined API.
    public static func list(for model: APIModel) -> [String] {
        model.isDetermined ? determined.filter { model.operation(id: $0)?.method == "POST" } : []
    }

    /// Determined: POST only because the filter is a body; each summary says it gets, searches or previews.
    static let determined = [
        "GetGroups", "ListRoles", "SearchRolesAssignableToScope", "GetRolesByID", "SearchExperiments", "SearchRuns",
        "PreviewHPSearch", "GetModelDefFile",
    ]
}
