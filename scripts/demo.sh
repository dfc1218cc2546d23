#!/usr/bin/env bash
# The main job until `detapi run --mock` lands: the flagship unarchive scenario, step by step with
# `detapi call`, against the embedded mock cluster; every body is checked with `detapi validate` against
# detapi's own spec, and the cluster is left as found (the experiment is archived again at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product detapi >/dev/null 2>&1 || swift build --product detapi
D=.build/debug/detapi
work=$(mktemp -d)
$D mock --port 0 --quiet 2>"$work/mock.log" &
mock=$!
trap 'kill $mock 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q "listening on" "$work/mock.log" 2>/dev/null && break; sleep 0.1; done
export DET_MASTER=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/mock.log" | head -1)
echo "mock cluster: $DET_MASTER"
pass=0
step() {   # step NAME OPERATION STATUS METHOD PATH [BODY]
    local name=$1 op=$2 want=$3 method=$4 path=$5 body=${6:-}
    local args=(call "$method" "$path" --raw -v)
    [ -n "$body" ] && args+=(-d "$body")
    $D "${args[@]}" >"$work/body.json" 2>"$work/head.txt"
    local status
    status=$(sed -n 's/^< HTTP\/[0-9.]* \([0-9]*\).*/\1/p' "$work/head.txt" | head -1)
    if [ "$status" != "$want" ]; then echo "✗ $name: HTTP $status, expected $want"; cat "$work/body.json"; echo; exit 1; fi
    if ! $D validate --op "$op" --status "$status" "$work/body.json" >"$work/verdict.txt"; then
        echo "✗ $name: the body breaks the spec"; cat "$work/verdict.txt"; exit 1
    fi
    printf '✓ %-47s %-6s %-46s HTTP %s, body valid against %s\n' "$name" "$method" "$path" "$status" "$op"
    pass=$((pass + 1))
}
step "log in as determined (blank password)" Login 200 POST /api/v1/auth/login '{"username":"determined","password":""}'
export DET_TOKEN=$(sed 's/.*"token":"\([^"]*\)".*/\1/' "$work/body.json")
step "list archived experiments, limit=1" GetExperiments 200 GET "/api/v1/experiments?archived=true&limit=1"
id=$(sed -n 's/.*"experiments":\[{"id":\([0-9]*\).*/\1/p' "$work/body.json")
[ -n "$id" ] || { echo "↷ no archived experiment on this cluster; nothing to unarchive"; exit 0; }
step "unarchive experiment $id" UnarchiveExperiment 200 POST "/api/v1/experiments/$id/unarchive"
step "verify: GetExperiment shows archived false" GetExperiment 200 GET "/api/v1/experiments/$id"
grep -q '"archived":false' "$work/body.json" || { echo "✗ experiment $id is still archived"; exit 1; }
step "unarchiving again is refused" UnarchiveExperiment 400 POST "/api/v1/experiments/$id/unarchive"
step "archive it again (leave the cluster as found)" ArchiveExperiment 200 POST "/api/v1/experiments/$id/archive"
DET_TOKEN= step "a call without a token is refused" GetExperiments 401 GET "/api/v1/experiments"
echo "$pass passed, 0 failed"
