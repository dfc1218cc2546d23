#!/usr/bin/env bash
# Runs every benchmark with its peers in one go, on the same inputs; prints the figures for bench/README.md.
# Peers (Python jsonschema-rs, fastjsonschema, openapi-spec-validator) are installed into bench/.venv (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product detapi-bench >/dev/null
mkdir -p bench/out
B=.build/release/detapi-bench
SPEC=${SPEC:-../shared/specs/determined-0.38.1.swagger.json}
[ -f bench/out/experiments.json ] || $B gen-experiments bench/out/experiments.json 10
[ -f bench/out/experiments-nonull.json ] || $B gen-experiments-nonull bench/out/experiments-nonull.json 10
if [ ! -x bench/.venv/bin/python ]; then
    python3 -m venv bench/.venv || { echo "python3-venv is needed for the Python peers: apt-get install python3-venv" >&2; exit 2; }
    bench/.venv/bin/pip install -q jsonschema-rs fastjsonschema openapi-spec-validator
fi
echo "== machine: $(nproc) cores, $(date -u +%FT%TZ)"
echo "== JSON parse: bench/out/experiments.json ($(stat -c %s bench/out/experiments.json) bytes)"
$B json-parse bench/out/experiments.json 3
python3 bench/json_loads.py bench/out/experiments.json
if [ -f "$SPEC" ]; then
    echo "== bytes -> verdict, GetExperiments body vs v1GetExperimentsResponse"
    echo "-- body with nulls in unset fields (as a real master sends; detapi's default --nulls optional)"
    $B validate "$SPEC" bench/out/experiments.json 3
    echo "-- the same body without null fields (valid for validators with no null policy)"
    $B validate "$SPEC" bench/out/experiments-nonull.json 3
    bench/.venv/bin/python bench/validate_peers.py "$SPEC" bench/out/experiments-nonull.json 3
    echo "== memory"
    $B memory "$SPEC" bench/out/experiments.json
    echo "== spec load + index + compile"
    [ -f bench/out/big-spec.json ] || $B gen-spec "$SPEC" bench/out/big-spec.json 4
    $B spec-load "$SPEC" 3
    $B spec-load bench/out/big-spec.json 3
    bench/.venv/bin/python bench/spec_load_peer.py "$SPEC" bench/out/big-spec.json
else
    echo "($SPEC not found: validation and spec-load benchmarks skipped)"
fi
