#!/usr/bin/env python3
"""Writes specs/determined.swagger.json: detapi's own Swagger 2.0 description of the endpoints its mock
cluster models, taken in shape (paths, parameters, operationIds, definitions, field names and types) from
../shared/specs/determined-0.38.1.swagger.json, with every description replaced by detapi's own words.

Run it when the operation list or the reference spec changes; the output is committed.
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "specs" / "determined-0.38.1.swagger.json"
OUT = ROOT / "specs" / "determined.swagger.json"

# operationId -> summary in our words
OPERATIONS = {
    "GetMaster": "Cluster identity, version and feature flags; needs no login.",
    "Login": "Exchange a username and password for a session token.",
    "Logout": "End the session of the token sent.",
    "GetMe": "The user the token belongs to.",
    "CurrentUser": "The user the token belongs to (older route).",
    "GetUsers": "Page through users.",
    "GetUser": "One user by id.",
    "GetExperiments": "Page through experiments, filtered and sorted.",
    "GetExperiment": "One experiment with its job summary.",
    "ArchiveExperiment": "Hide a finished experiment from default listings.",
    "UnarchiveExperiment": "Show an archived experiment again.",
    "ArchiveExperiments": "Archive several experiments of a project; one result per id.",
    "UnarchiveExperiments": "Unarchive several experiments of a project; one result per id.",
    "KillExperiment": "Stop an experiment at once.",
    "CancelExperiment": "Stop an experiment, letting its trials finish their step.",
    "PauseExperiment": "Pause an active experiment.",
    "ActivateExperiment": "Resume a paused experiment.",
    "DeleteExperiment": "Delete a finished experiment and its data.",
    "GetWorkspaces": "Page through workspaces.",
    "GetWorkspace": "One workspace by id.",
    "GetWorkspaceProjects": "Page through the projects of a workspace (0: all workspaces).",
    "GetProject": "One project by id.",
    "GetExperimentTrials": "Page through the trials of an experiment.",
    "GetTrial": "One trial by id (trial ids are cluster-wide).",
    "GetTrialWorkloads": "Page through a trial's training, validation and checkpoint workloads.",
    "GetExperimentCheckpoints": "Page through the checkpoints of an experiment.",
    "GetCheckpoint": "One checkpoint by uuid.",
    "TrialLogs": "A trial's log lines as a stream: one {\"result\": …} object per line.",
    "PatchExperiment": "Change an experiment's name, description, notes or labels.",
    "PutExperimentLabel": "Add a label to an experiment.",
    "DeleteExperimentLabel": "Remove a label from an experiment.",
    "GetModels": "Page through the model registry.",
    "GetResourcePools": "The cluster's resource pools.",
    "GetJobs": "Page through the job queue (older route).",
    "GetJobsV2": "Page through the job queue.",
    "GetTasks": "The allocations the cluster is running.",
    "PostAccessToken": "Create a long-lived access token for a user (admin only).",
    "GetAccessTokens": "Page through access tokens.",
    "PatchAccessToken": "Change an access token's description, or revoke it.",
    "GetUserByUsername": "One user by username.",
    "PostWorkspace": "Create a workspace, pinned for its creator.",
    "PatchWorkspace": "Rename a workspace or change its settings.",
    "DeleteWorkspace": "Delete a workspace with its projects and their experiments.",
    "ArchiveWorkspace": "Archive a workspace (its projects read as archived).",
    "UnarchiveWorkspace": "Unarchive a workspace.",
    "PinWorkspace": "Pin a workspace for the caller.",
    "UnpinWorkspace": "Unpin a workspace for the caller.",
    "PostProject": "Create a project in a workspace.",
    "PatchProject": "Change a project's name, description or key.",
    "DeleteProject": "Delete a project with its experiments; completed is false while they are deleted.",
    "ArchiveProject": "Archive a project.",
    "UnarchiveProject": "Unarchive a project.",
    "MoveProject": "Move a project to another workspace.",
    "MoveExperiment": "Move an experiment to another project.",
    "MoveExperiments": "Move several experiments of a project to another; one result per id.",
    "PostUser": "Create a user (admin only); inactive unless active is true.",
    "PatchUser": "Change a user's names, flags or password.",
    "SetUserPassword": "Set a user's password; the body is a bare JSON string.",
    "PatchUsers": "Activate or deactivate several users; one result per id.",
    "health": "Whether the master and its dependencies are up.",
    "GetTrialCheckpoints": "Page through the checkpoints of one trial.",
    "PostModel": "Register a model by name, in a workspace (default: Uncategorized).",
    "GetModel": "One model by name, or by id when the segment is all digits.",
    "PatchModel": "Change a model's name, description, notes, metadata, labels or workspace.",
    "ArchiveModel": "Archive a model: it refuses edits and new versions.",
    "UnarchiveModel": "Unarchive a model.",
    "MoveModel": "Move a model to another workspace.",
    "DeleteModel": "Delete a model and all its versions (its owner or an admin).",
    "GetModelLabels": "The labels models carry, most used first.",
    "PostModelVersion": "Register a completed checkpoint as the model's next version.",
    "GetModelVersions": "Page through a model's versions.",
    "GetModelVersion": "One version of a model.",
    "PatchModelVersion": "Change a version's name, comment, notes, metadata or labels.",
    "DeleteModelVersion": "Delete a version of a model.",
    "GetTemplates": "Page through experiment-config templates, by name.",
    "GetTemplate": "One template by name.",
    "PostTemplate": "Create a template; the path's name wins over the body's.",
    "PutTemplate": "Create or replace a template.",
    "PatchTemplateConfig": "Replace a template's config with the body.",
    "PatchTemplateName": "Rename a template.",
    "DeleteTemplate": "Delete a template.",
}

# Where the reference spec and a real master disagree (../shared/reference/determined-master*.md): fields the
# master sends as null although the spec types them plainly.
NULLABLE = {
    "v1Experiment": ["forkedFrom"],
    "trialv1Trial": ["endTime", "bestValidation", "latestValidation", "bestCheckpoint", "summaryMetrics"],
    "v1Trial": ["endTime", "bestValidation", "latestValidation", "bestCheckpoint", "summaryMetrics"],
    "v1ValidationMetrics": ["avgMetrics"],
    "checkpointv1Training": ["experimentConfig", "hparams"],
    "v1ModelVersion": ["lastUpdatedTime"],
}

DROP = {"description", "title", "example", "externalDocs"}


def strip(value, names=False):
    """Drops prose keywords; inside a `properties` map the keys are field names and stay."""
    if isinstance(value, dict):
        return {k: strip(v, k == "properties" and not names) for k, v in value.items() if names or k not in DROP}
    if isinstance(value, list):
        return [strip(v) for v in value]
    return value


def refs(value, found):
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "$ref" and isinstance(v, str):
                found.add(v.split("/")[-1])
            else:
                refs(v, found)
    elif isinstance(value, list):
        for v in value:
            refs(v, found)


def main():
    spec = json.loads(SOURCE.read_text())
    paths = {}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict) or op.get("operationId") not in OPERATIONS:
                continue
            op = strip(op)
            op["summary"] = OPERATIONS[op["operationId"]]
            for p in op.get("parameters", []):
                p.pop("description", None)
            for status, response in op["responses"].items():
                response["description"] = "Success." if status == "200" else "An error, in the gateway's shape."
                if status == "default":
                    response["schema"] = {"$ref": "#/definitions/gatewayError"}
                    # A server stream's errors after the gateway accepted the request (authentication, not found)
                    # come in the stream-error shape, with the error's status (reference part 3 §18.5).
                    ok = op["responses"].get("200", {}).get("schema", {})
                    if set(ok.get("properties", {})) == {"result", "error"}:
                        response["schema"] = {"anyOf": [{"$ref": "#/definitions/gatewayError"}, {"$ref": "#/definitions/detapiStreamError"}]}
            paths.setdefault(path, {})[method] = op
    missing = set(OPERATIONS) - {op["operationId"] for item in paths.values() for op in item.values()}
    if missing:
        sys.exit(f"not in the reference spec: {sorted(missing)}")
    needed, seen = set(), set()
    refs(paths, needed)
    definitions = {}
    while needed - seen:
        name = sorted(needed - seen)[0]
        seen.add(name)
        if name in ("gatewayError", "detapiStreamError"):
            if name == "detapiStreamError":
                needed.add("runtimeStreamError")
            continue
        definitions[name] = strip(spec["definitions"][name])
        more = set()
        refs(definitions[name], more)
        needed |= more
    # MetricsWorkload lists a `state` it does not have (reference part 3 §20): not required.
    metrics = definitions.get("v1MetricsWorkload", {})
    if "state" in metrics.get("required", []) and "state" not in metrics.get("properties", {}):
        metrics["required"].remove("state")
    for name, fields in NULLABLE.items():
        for field in fields:
            prop = definitions.get(name, {}).get("properties", {}).get(field)
            if prop is not None:
                prop["x-nullable"] = True
    definitions["gatewayError"] = {
        "type": "object",
        "description": "What a Determined master really sends on errors (the reference spec's runtimeError "
        "says otherwise): {\"error\": {\"code\": gRPC code, \"reason\": code name, \"error\": message}}.",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "reason", "error"],
                "properties": {
                    "code": {"type": "integer", "format": "int32"},
                    "reason": {"type": "string"},
                    "error": {"type": "string"},
                },
            }
        },
    }
    if "runtimeStreamError" in definitions:
        definitions["detapiStreamError"] = {
            "type": "object",
            "description": "A server stream's error: the last chunk of a broken stream, or the whole body when it "
            "fails before the first result.",
            "required": ["error"],
            "properties": {"error": {"$ref": "#/definitions/runtimeStreamError"}},
        }
    definitions["detapiMasterInfo"] = {
        "type": "object",
        "description": "The unauthenticated /info answer (an echo route, not the gateway; snake_case keys).",
        "required": ["version", "master_id", "cluster_id", "cluster_name", "telemetry"],
        "properties": {
            "version": {"type": "string"},
            "master_id": {"type": "string"},
            "cluster_id": {"type": "string"},
            "cluster_name": {"type": "string"},
            "telemetry": {
                "type": "object",
                "properties": {
                    "enabled": {"type": "boolean"},
                    "segment_key": {"type": "string"},
                    "otel_enabled": {"type": "boolean"},
                    "otel_endpoint": {"type": "string"},
                },
            },
            "sso_providers": {"type": "array", "x-nullable": True, "items": {"type": "object"}},
        },
    }
    paths["/info"] = {
        "get": {
            "operationId": "GetInfo",
            "summary": "Version and cluster identity; the first call of every det CLI command; needs no login.",
            "tags": ["Cluster"],
            "security": [],
            "responses": {"200": {"description": "Success.", "schema": {"$ref": "#/definitions/detapiMasterInfo"}}},
        }
    }
    # An echo route the master answers without a login (the spec's global security does not apply to it).
    if "/health" in paths:
        paths["/health"]["get"]["security"] = []
    tags = sorted({t for item in paths.values() for op in item.values() for t in op.get("tags", [])})
    out = {
        "swagger": "2.0",
        "info": {
            "title": "Determined API (detapi's model of the workflow endpoints)",
            "description": "The endpoints detapi's mock cluster models with state: login, users, experiments and "
            "their lifecycle, workspaces, projects, the master's identity. Shapes follow Determined 0.38.1.",
            "version": "0.38.1",
        },
        "schemes": ["http", "https"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "securityDefinitions": {
            "BearerToken": {
                "type": "apiKey",
                "name": "Authorization",
                "in": "header",
                "description": "Authorization: Bearer <token from Login>.",
            }
        },
        "security": [{"BearerToken": []}],
        "tags": [{"name": t} for t in tags],
        "paths": dict(sorted(paths.items())),
        "definitions": dict(sorted(definitions.items())),
    }
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {OUT}: {sum(len(i) for i in paths.values())} operations, {len(definitions)} definitions")


main()
