#!/usr/bin/env bash
# The mock cluster under wrk: GetExperiments?limit=10 with a valid token, a static JSON endpoint of the same
# mock (/info), and python3's http.server serving the same bytes as that list; 10 s each, same run.
# OLD=path/to/earlier/detapi adds that build's mock on the same endpoints, measured alternately with this one
# (ROUNDS, default 2) so that a busy moment of the machine hits both.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
swift build -c release --product detapi --static-swift-stdlib >/dev/null
D=.build/release/detapi
SECONDS_EACH=${SECONDS_EACH:-10}
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
MP=$(port)
$D mock --port "$MP" --quiet 2>/dev/null &
mock=$!
dir=$(mktemp -d)
trap 'kill $mock ${py:-} 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$MP/info" && break; sleep 0.05; done
TOKEN=$(curl -s -X POST "http://127.0.0.1:$MP/api/v1/auth/login" -d '{"username":"determined","password":""}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
mkdir -p "$dir/api/v1"
curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$MP/api/v1/experiments?limit=10" > "$dir/api/v1/experiments.json"
PP=$(port)
python3 -m http.server "$PP" --bind 127.0.0.1 --directory "$dir" >/dev/null 2>&1 &
py=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PP/" && break; sleep 0.05; done
echo "== wrk -t2 -c32 -d${SECONDS_EACH}s, $(nproc) cores, body $(stat -c %s "$dir/api/v1/experiments.json") bytes"
run() {
    local name=$1; shift
    wrk -t2 -c32 -d"${SECONDS_EACH}s" --latency "$@" | awk -v n="$name" '/Requests\/sec/ {r=$2} / 99%/ {p=$2} /Non-2xx/ {e=$4} END {printf "mock-bench %-40s req/s %s  p99 %s%s\n", n, r, p, (e ? "  non-2xx " e : "")}'
}
if [ -n "${OLD:-}" ]; then
    OP=$(port)
    "$OLD" mock --port "$OP" --quiet 2>/dev/null &
    old=$!
    trap 'kill $mock $old ${py:-} 2>/dev/null || true; rm -rf "$dir"' EXIT
    for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$OP/info" && break; sleep 0.05; done
    OLD_TOKEN=$(curl -s -X POST "http://127.0.0.1:$OP/api/v1/auth/login" -d '{"username":"determined","password":""}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
    for round in $(seq "${ROUNDS:-2}"); do
        run "round $round this build GetExperiments?limit=10" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$MP/api/v1/experiments?limit=10"
        run "round $round OLD build GetExperiments?limit=10" -H "Authorization: Bearer $OLD_TOKEN" "http://127.0.0.1:$OP/api/v1/experiments?limit=10"
    done
fi
run "detapi mock GetExperiments?limit=10" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$MP/api/v1/experiments?limit=10"
run "detapi mock /info (static)" "http://127.0.0.1:$MP/info"
run "python3 http.server, same list bytes" "http://127.0.0.1:$PP/api/v1/experiments.json"
