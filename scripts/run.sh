#!/usr/bin/env bash
# The main job: the built-in scenarios against the embedded mock cluster (detapi run --mock).
# The first build (a few minutes) shows its progress; later ones are silent unless they fail.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
if [ ! -x .build/debug/detapi ]; then
    echo "run.sh: building detapi for the first time (about 5 minutes on 2 cores)…" >&2
    swift build --product detapi >&2
else
    log=$(mktemp)
    if ! swift build --product detapi >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        exit 2
    fi
    rm -f "$log"
fi
exec .build/debug/detapi run --mock "$@"
