#!/usr/bin/env bash
# The flagship scenario end to end (process start to exit) against an already-running mock: detapi run (every
# response validated) vs the same requests as a curl shell script, measured with hyperfine in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is needed: apt-get install hyperfine" >&2; exit 2; }
swift build -c release --product detapi --static-swift-stdlib >/dev/null 2>&1
D=$PWD/.build/release/detapi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$D mock --port "$PORT" --quiet 2>/dev/null &
mock=$!
trap 'kill $mock 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/info" && break; sleep 0.05; done
M=http://127.0.0.1:$PORT
hyperfine -N --warmup 3 --runs ${RUNS:-30} \
    -n "detapi run unarchive.yaml (6 requests, all validated)" "$D run specs/scenarios/unarchive.yaml --master $M --report none" \
    -n "curl script (6 curl processes)" "bench/unarchive-curl.sh $M"
