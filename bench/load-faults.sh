#!/usr/bin/env bash
# Issue 11, load with faults: the flagship (and the auth scenario beside it) repeated with --jobs 16 against
# `detapi mock --fail-rate 0.1 --latency 0-300ms`. Prints, for REPEATS (default "50 200") each, the peak RSS
# with --report none, then one run with --report json that checks nothing was lost (scenarios and steps in
# the report = scenarios and steps run) and that the mock ends with the archived set it started with.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product detapi --static-swift-stdlib >/dev/null 2>&1
D=.build/release/detapi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$D mock --port "$PORT" --quiet --fail-rate 0.1 --latency 0-300ms 2>/dev/null &
mock=$!
trap 'kill $mock 2>/dev/null || true' EXIT
M="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -s -o /dev/null "$M/info" && break; sleep 0.05; done
archived() {
    # Asked until the faulty mock answers.
    for _ in $(seq 50); do
        token=$(curl -s -X POST "$M/api/v1/auth/login" -d '{"username":"admin","password":""}' |
            python3 -c 'import json,sys; print(json.load(sys.stdin).get("token",""))' 2>/dev/null || true)
        [ -n "$token" ] || continue
        ids=$(curl -s -H "Authorization: Bearer $token" "$M/api/v1/experiments?archived=true&limit=100" |
            python3 -c 'import json,sys; print(",".join(str(e["id"]) for e in json.load(sys.stdin)["experiments"]))' 2>/dev/null || true)
        [ -n "$ids" ] && { echo "$ids"; return; }
    done
    echo "unreachable"
}
before=$(archived)
S="specs/scenarios/unarchive.yaml specs/scenarios/auth.yaml"
repeats=${REPEATS:-50 200}
# SKIP_RSS=1 runs only the last, checking run.
[ -n "${SKIP_RSS:-}" ] && rss_runs="" || rss_runs=$repeats
for n in $rss_runs; do
    start=$(date +%s.%N)
    /usr/bin/time -o /tmp/detapi-faults.rss -f "%M" $D run $S --master "$M" --spec builtin --repeat "$n" --jobs 16 --report none \
        >/tmp/detapi-faults.out 2>/dev/null || true
    rss=$(tail -1 /tmp/detapi-faults.rss)
    end=$(date +%s.%N)
    python3 -c "import sys; print(f'--repeat {sys.argv[1]}: peak RSS {int(sys.argv[2])/1024:.1f} MB, {float(sys.argv[4])-float(sys.argv[3]):.1f} s;', open('/tmp/detapi-faults.out').read().strip().splitlines()[-1])" "$n" "$rss" "$start" "$end"
done
n=${repeats##* }
$D run $S --master "$M" --spec builtin --repeat "$n" --jobs 16 --report json --out bench/out/load-faults >/tmp/detapi-faults.out 2>/dev/null || true
python3 - "$n" <<'PY'
import json, sys
n = int(sys.argv[1])
r = json.load(open("bench/out/load-faults/report.json"))
steps = sum(len(s["steps"]) for s in r["scenarios"])
flag = [s for s in r["scenarios"] if s["name"] == "unarchive-experiment"]
undone = [s for s in flag if any(t["name"] == "unarchive it" and t["outcome"] == "passed" for t in s["steps"])]
restored = [s for s in undone if s["steps"][-1]["finally"] and s["steps"][-1]["outcome"] == "passed"]
retried = sum(1 for s in r["scenarios"] for t in s["steps"] if t["attempts"] > 1)
print(f"reported: {len(r['scenarios'])} of {2*n} scenarios, {steps} steps (summary says {r['summary']['steps']}); "
      f"{r['summary']['passed']} passed, {r['summary']['failed']} failed, {r['summary']['errors']} errors; "
      f"{retried} steps needed more than one attempt; unarchived {len(undone)} times, finally re-archived {len(restored)}")
PY
after=$(archived)
echo "archived before: $before"
echo "archived after:  $after"
[ "$before" = "$after" ] && echo "the mock ends with the archived set it started with" || { echo "CHANGED"; exit 1; }
