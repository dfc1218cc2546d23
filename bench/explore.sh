#!/usr/bin/env bash
# detapi explore's figures: start to prompt with the full Determined spec (script mode, one 'exit' line),
# against `detapi --version` in the same hyperfine run; then Tab completion in process over its 266 operations.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is needed: apt-get install hyperfine" >&2; exit 2; }
SPEC=${SPEC:-../shared/specs/determined-0.38.1.swagger.json}
swift build -c release --product detapi --static-swift-stdlib >/dev/null 2>&1
swift build -c release --product detapi-bench >/dev/null 2>&1
D=$PWD/.build/release/detapi
mkdir -p bench/out
echo exit > bench/out/exit.txt
# No request is sent before the prompt, so the master need not answer.
hyperfine -N --warmup 3 --runs ${RUNS:-30} --export-markdown bench/out/explore.md \
    -n "detapi --version" "$D --version" \
    -n "explore --spec (266 operations) to the prompt and exit" \
    "sh -c '$D explore --spec $SPEC --master http://127.0.0.1:9 < bench/out/exit.txt 2>/dev/null'" \
    -n "sh -c (the wrapper alone)" "sh -c 'true < bench/out/exit.txt'"
.build/release/detapi-bench complete "$SPEC" 3
