#!/usr/bin/env bash
# The flagship scenario end to end (process start to exit) against an already-running mock, measured with
# hyperfine in the same run: detapi run (every response validated against the spec), the same requests as a
# curl shell script (bench/unarchive-curl.sh), and the same scenario written for Tavern
# (bench/tavern/test_unarchive.tavern.yaml, installed into bench/.venv). Also the same run reading the spec the
# master serves (from detapi's cache, after a 304) instead of --spec builtin, and, with BASELINE=/path/to/detapi,
# an earlier build of detapi on the same scenario (for "no slower than before" ratios).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is needed: apt-get install hyperfine" >&2; exit 2; }
if [ ! -x bench/.venv/bin/python ]; then
    python3 -m venv bench/.venv || { echo "python3-venv is needed for Tavern: apt-get install python3-venv" >&2; exit 2; }
fi
# Tavern 3.7 imports a pytest module that pytest 8.4 removed.
bench/.venv/bin/python -c 'import tavern' 2>/dev/null || bench/.venv/bin/pip install -q "tavern==3.7.1" "pytest<8.4"
swift build -c release --product detapi --static-swift-stdlib >/dev/null 2>&1
D=$PWD/.build/release/detapi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$D mock --port "$PORT" --quiet 2>/dev/null &
mock=$!
trap 'kill $mock 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/info" && break; sleep 0.05; done
M=http://127.0.0.1:$PORT
# Each must pass once before it is timed.
$D run specs/scenarios/unarchive.yaml --master "$M" --report none >/dev/null
bench/unarchive-curl.sh "$M"
(cd bench/tavern && DET_MASTER=$M ../.venv/bin/python -m pytest -q -p no:cacheprovider test_unarchive.tavern.yaml >/dev/null)
# The served spec's cache is filled once, in a folder of this run.
export XDG_CACHE_HOME=$(mktemp -d)
$D run specs/scenarios/unarchive.yaml --master "$M" --report none >/dev/null 2>&1
baseline=()
if [ -n "${BASELINE:-}" ]; then
    baseline=(-n "baseline detapi ($BASELINE), --spec builtin" "$BASELINE run specs/scenarios/unarchive.yaml --master $M --spec builtin --report none")
fi
mkdir -p bench/out
hyperfine -N --warmup 3 --runs ${RUNS:-30} --export-markdown bench/out/scenario.md \
    -n "detapi run unarchive.yaml (6 requests, all validated), --spec builtin" "$D run specs/scenarios/unarchive.yaml --master $M --spec builtin --report none" \
    -n "detapi, the spec the master serves (cached, 304)" "$D run specs/scenarios/unarchive.yaml --master $M --report none" \
    "${baseline[@]}" \
    -n "curl script (6 curl processes)" "bench/unarchive-curl.sh $M" \
    -n "Tavern (pytest, same 6 requests, no schema checks)" \
    "env -C bench/tavern DET_MASTER=$M ../.venv/bin/python -m pytest -q -p no:cacheprovider test_unarchive.tavern.yaml"
