#!/usr/bin/env bash
# detapi conform --allow-writes vs Schemathesis with its stateful phase, in one run, on the same mock and spec:
# every method of the full Determined spec, the comparable checks, 2 workers each (Schemathesis without Logout,
# which would end its own session: detapi never sends it either). Prints operations reached,
# what each left behind on the mock, and wall time (hyperfine). Schemathesis is installed into bench/.venv.
# Usage: bench/conform-writes.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
SPEC=${SPEC:-../shared/specs/determined-0.38.1.swagger.json}
RUNS=${1:-2}
[ -f "$SPEC" ] || { echo "$SPEC not found: the benchmark needs the full Determined spec" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "hyperfine is needed: apt-get install hyperfine" >&2; exit 2; }
if [ ! -x bench/.venv/bin/st ]; then
    python3 -m venv bench/.venv || { echo "python3-venv is needed for Schemathesis: apt-get install python3-venv" >&2; exit 2; }
    bench/.venv/bin/pip install -q schemathesis
fi
D=${DETAPI:-}
if [ -z "$D" ]; then
    swift build -c release --product detapi --static-swift-stdlib >/dev/null 2>&1
    D=$PWD/.build/release/detapi
fi
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
out=bench/out/conform-writes
rm -rf "$out" && mkdir -p "$out"
# One mock per tool, so what one leaves behind does not change what the other meets.
start() { # $1 name -> prints port; the mock logs a line per request to $out/$1-mock.log
    local p; p=$(port)
    $D mock --port "$p" --spec "$SPEC" --state "$out/$1-state.json" >>"$out/$1-mock.log" 2>&1 &
    echo $! >"$out/$1.pid"
    for _ in $(seq 200); do curl -s -o /dev/null "http://127.0.0.1:$p/info" && break; sleep 0.05; done
    echo "$p"
}
DP=$(start detapi)
SP=$(start schemathesis)
trap 'kill $(cat $out/*.pid) 2>/dev/null || true' EXIT
login() { curl -s -X POST "http://127.0.0.1:$1/api/v1/auth/login" -d '{"username":"admin","password":""}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])'; }
DT=$(login "$DP")
STOK=$(login "$SP")
cp "$out/detapi-state.json" "$out/detapi-before.json"
cp "$out/schemathesis-state.json" "$out/schemathesis-before.json"
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,ignored_auth,negative_data_rejection,positive_data_acceptance,use_after_free,ensure_resource_availability
echo "== machine: $(nproc) cores, $(date -u +%FT%TZ); $SPEC"
DCMD="env DET_TOKEN=$DT $D conform --master http://127.0.0.1:$DP --spec $SPEC --include-deprecated --allow-writes --yes --workers 2 --checks $CHECKS --report json --out $out/detapi"
STCMD="bench/.venv/bin/st run $SPEC --url http://127.0.0.1:$SP -H 'Authorization: Bearer $STOK' --phases examples,coverage,stateful --checks $CHECKS -w 2 --seed 1 --no-color --continue-on-failure --exclude-operation-id Logout"
echo "-- detapi conform --allow-writes (one run, for the counts)"
: >"$out/detapi-mock.log"
$DCMD >"$out/detapi.txt" 2>&1 || true
python3 - "$out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1] + "/detapi/report.json"))["conform"]
print(f"detapi: {r['reached']} operations reached with a documented 2xx of {r['specOperations']}; {len(r.get('notSent', []))} not sent, each with its reason; {r['requests']} requests")
PY
read -r dr total < <(python3 bench/reached_from_log.py "$SPEC" "$out/detapi-mock.log")
echo "detapi: $dr operations answered a documented 2xx of $total (from its mock's request log)"
cmp -s "$out/detapi-before.json" "$out/detapi-state.json" && echo "detapi: the mock's state file is byte for byte as before" || echo "detapi: the mock's state file CHANGED"
echo "-- Schemathesis (one run, for the counts)"
: >"$out/schemathesis-mock.log"
eval "$STCMD" >"$out/schemathesis.txt" 2>&1 || true
grep -A3 "API Operations:" "$out/schemathesis.txt" | head -4 || true
# The same definition of reached for both: an operation answered a documented 2xx (from each mock's request log).
read -r sr total < <(python3 bench/reached_from_log.py "$SPEC" "$out/schemathesis-mock.log")
echo "Schemathesis: $sr operations answered a documented 2xx of $total (from its mock's request log)"
cmp -s "$out/schemathesis-before.json" "$out/schemathesis-state.json" && echo "Schemathesis: the mock's state file is as before" || echo "Schemathesis: the mock's state file changed (what its stateful phase created stays)"
hyperfine -N --warmup 0 --runs "$RUNS" --ignore-failure --export-markdown "$out/times.md" \
    -n "detapi conform --allow-writes --workers 2" "$DCMD" \
    -n "Schemathesis 4 (examples+coverage+stateful, -w 2)" "bash -c \"$STCMD\""
cat "$out/times.md"
