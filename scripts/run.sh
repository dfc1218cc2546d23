#!/usr/bin/env bash
# The main job: the built-in scenarios against the embedded mock cluster (detapi run --mock).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --product detapi >/dev/null 2>&1 || swift build --product detapi
exec .build/debug/detapi run --mock "$@"
