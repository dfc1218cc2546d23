#!/usr/bin/env bash
# The main job until `detapi run --mock` exists: serve a realistic GetExperiments body on loopback and
# fetch it with `detapi call`, showing the status line, headers, timings and the curl repro.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product detapi-bench >/dev/null
swift build -c release --product detapi >/dev/null
dir=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT
mkdir -p "$dir/api/v1"
.build/release/detapi-bench gen-experiments "$dir/api/v1/experiments" 0.01 >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$dir" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
.build/release/detapi call GET /api/v1/experiments --master "http://127.0.0.1:$port" -v --curl | head -40
