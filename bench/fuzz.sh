#!/usr/bin/env bash
# Runs one libFuzzer target (Sources/FuzzTargets) for SECONDS with AddressSanitizer:
#   bench/fuzz.sh json|spec|scenario|jsonpath|validator [SECONDS=600] [extra libFuzzer flags…]
# The driver is built once into .build-fuzz (DETAPI_FUZZ=1 adds its target to Package.swift). The corpus
# grows in bench/out/fuzz/TARGET/corpus, starting from Tests/Fuzz/seeds/TARGET; a crash, hang (-timeout) or
# leak is written to bench/out/fuzz/TARGET/ and the script exits non-zero: copy the input to
# Tests/Fuzz/crashes/TARGET/ once fixed, so `swift test` keeps running it. The last lines printed are
# libFuzzer's final statistics (executions, corpus size, coverage).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: bench/fuzz.sh TARGET [SECONDS] [libFuzzer flags]}
seconds=${2:-600}
shift $(($# < 2 ? $# : 2))
fuzzer=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")/lib/clang
fuzzer=$(ls "$fuzzer"/*/lib/linux/libclang_rt.fuzzer-x86_64.a | head -1)
DETAPI_FUZZ=1 swift build --product detapi-fuzz --build-path .build-fuzz \
    -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
    -Xlinker "$fuzzer" -Xlinker -lstdc++ >&2
out=bench/out/fuzz/$target
mkdir -p "$out/corpus"
cp -n Tests/Fuzz/seeds/"$target"/* "$out/corpus/" 2>/dev/null || true
export DETAPI_FUZZ_TARGET=$target
# Swift's own crash handler fights AddressSanitizer's; libFuzzer prints the stack.
export SWIFT_BACKTRACE=enable=no
# The kill -s INT after SECONDS+60 is a backstop: libFuzzer stops itself at -max_total_time.
timeout -s INT $((seconds + 60)) .build-fuzz/debug/detapi-fuzz "$out/corpus" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$out/" "$@" 2>"$out/log.txt" || { status=$?; tail -40 "$out/log.txt"; exit $status; }
grep -E "^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb|Done )" "$out/log.txt" || true
echo "corpus: $(ls "$out/corpus" | wc -l) files, $(du -sk "$out/corpus" | cut -f1) KB"
