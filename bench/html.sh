#!/usr/bin/env bash
# How quickly the HTML report opens with thousands of steps: headless Chromium loads a report of 1,000 runs of
# specs/scenarios/auth.yaml (6,000 steps) and a report of one run (6 steps), five times each, and prints when
# the page's script was done (body[data-ready-ms], ms after navigation started) and the whole load's wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || { echo "chromium is needed: apt-get install chromium" >&2; exit 2; }
swift build -c release --product detapi --static-swift-stdlib >/dev/null 2>&1
D=$PWD/.build/release/detapi
OUT=$PWD/bench/out/html
rm -rf "$OUT" && mkdir -p "$OUT"
$D run --mock --repeat "${REPEAT:-1000}" --jobs 8 specs/scenarios/auth.yaml --report html --out "$OUT/big" >/dev/null 2>&1
$D run --mock specs/scenarios/auth.yaml --report html --out "$OUT/small" >/dev/null 2>&1
for name in small big; do
    file=$OUT/$name/report.html
    steps=$(grep -o 'data-count="[0-9]*"' "$file" | grep -o '[0-9]*' | awk '{ s += $1 } END { print s }')
    printf '%-6s %7d bytes, %5d steps:' "$name" "$(stat -c %s "$file")" "$steps"
    for _ in 1 2 3 4 5; do
        start=$(date +%s%N)
        ready=$("$CHROMIUM" --headless --no-sandbox --disable-gpu --dump-dom "file://$file" 2>/dev/null | grep -o 'data-ready-ms="[0-9]*"' | grep -o '[0-9]*')
        printf '  ready %4s ms (load %4d ms)' "$ready" $(( ($(date +%s%N) - start) / 1000000 ))
    done
    echo
done
