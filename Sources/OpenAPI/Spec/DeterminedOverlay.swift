import JSON

/// The built-in overlay for the Determined master's generated spec.
///
/// It states where that spec is wrong about what a real master sends (../shared/reference/determined-master-part3.md §20), so those differences are not
/// reported on every run. Applied when a loaded spec is the Determined API (`appliesTo`), unless
/// `--no-builtin-overlay`.
public enum DeterminedOverlay {
    public static let source = "(built-in) Determined master overlay"

    /// Whether `document` is the Determined master's protoc-gen-swagger spec (its title, and the gateway's
    /// `runtimeError`); detapi's own spec already says these things itself.
    public static func appliesTo(_ document: JSONValue) -> Bool {
        (document["info"]?["title"]?.stringValue ?? "").hasPrefix("Determined API") && document["definitions"]?["runtimeError"] != nil
    }

    public static let text = """
        overlay: 1.0.0
        info: {title: Determined master facts, version: 0.38.1}
        actions:
          - description: "§20.1 error bodies are {error: {code, reason, error}}: error is an object"
            target: $.definitions.runtimeError
            update:
              description: "detapi overlay: a master's error body is {\\"error\\": {\\"code\\", \\"reason\\", \\"error\\"}} (reference §7, §20.1)"
              properties:
                error:
                  type: object
                  properties:
                    code: {type: integer, format: int32}
                    reason: {type: string}
                    error: {type: string}
          - description: "§20.3 unset trial message fields are sent as null"
            target: $.definitions.trialv1Trial.properties
            update:
              endTime: {x-nullable: true}
              bestValidation: {x-nullable: true}
              latestValidation: {x-nullable: true}
              bestCheckpoint: {x-nullable: true}
              summaryMetrics: {x-nullable: true}
          - description: "§20.3 an experiment's endTime and forkedFrom may be null"
            target: $.definitions.v1Experiment.properties
            update:
              endTime: {x-nullable: true}
              forkedFrom: {x-nullable: true}
          - description: "§20.3 GetExperiment's jobSummary may be null"
            target: $.definitions.v1GetExperimentResponse.properties.jobSummary
            update: {x-nullable: true}
          - description: "§20.4 avgMetrics is required but sent as null when there are no metrics"
            target: $.definitions.v1Metrics.properties.avgMetrics
            update: {x-nullable: true}
          - description: "§20.5 MetricsWorkload requires a state it does not have"
            target: $.definitions.v1MetricsWorkload.required
            remove: true
          - description: "§20.5 MetricsWorkload's required fields without state"
            target: $.definitions.v1MetricsWorkload
            update: {required: [metrics, numInputs, totalBatches]}
          - description: "part 4 §29 a trigger has triggerType and condition; the spec's required names one merged field"
            target: $.definitions.v1Trigger.required
            remove: true
          - description: "part 4 §29 a trigger's required fields, as the master sends them"
            target: $.definitions.v1Trigger
            update: {required: [triggerType, condition]}
          - description: "part 4 §26.6 PostModelVersion and a changed PatchModelVersion answer lastUpdatedTime null"
            target: $.definitions.v1ModelVersion.properties.lastUpdatedTime
            update: {x-nullable: true}
          - description: "/health is an echo route the master answers without a login"
            target: $.paths['/health'].get
            update: {security: []}

        """

    /// The parsed overlay (a test checks that the text parses; nil would only skip it).
    public static let overlay: Overlay? = try? Overlay.parse(Array(text.utf8), source: source)
}

extension APIModel {
    /// Whether this is the Determined API: the master's generated spec (`DeterminedOverlay.appliesTo`) or
    /// detapi's own model of it.
    public var isDetermined: Bool {
        source == EmbeddedSpec.source || DeterminedOverlay.appliesTo(originalDocument ?? document)
            || title.hasPrefix("Determined API")
    }
}
