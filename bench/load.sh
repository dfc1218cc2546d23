#!/usr/bin/env bash
# 1,000 runs of a 6-step scenario with --jobs 8 against the mock: requests/s and peak RSS of detapi.
# REPORTS=junit,html,json also writes the reports (into bench/out/load-reports) and counts that in.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product detapi --static-swift-stdlib >/dev/null 2>&1
D=.build/release/detapi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$D mock --port "$PORT" --quiet 2>/dev/null &
mock=$!
trap 'kill $mock 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/info" && break; sleep 0.05; done
start=$(date +%s.%N)
/usr/bin/time -f "peak RSS %M KB" $D run specs/scenarios/auth.yaml --master "http://127.0.0.1:$PORT" --repeat 1000 --jobs 8 --report "${REPORTS:-none}" --out bench/out/load-reports 2>&1 >/tmp/detapi-load.out | grep "peak RSS"
end=$(date +%s.%N)
tail -1 /tmp/detapi-load.out
python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print(f'6000 requests in {s:.2f} s = {6000/s:.0f} requests/s, every response validated')" "$start" "$end"
