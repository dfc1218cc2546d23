#!/usr/bin/env bash
# Runs every benchmark in one go, peers included, on the same input; prints the figures for bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product detapi-bench >/dev/null
mkdir -p bench/out
B=.build/release/detapi-bench
[ -f bench/out/experiments.json ] || $B gen-experiments bench/out/experiments.json 10
echo "== JSON parse: bench/out/experiments.json ($(stat -c %s bench/out/experiments.json) bytes), $(nproc) cores"
$B json-parse bench/out/experiments.json 3
python3 bench/json_loads.py bench/out/experiments.json
