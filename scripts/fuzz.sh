#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the libFuzzer harnesses of tests/fuzz for a fixed time each (README "Fuzzing").
# usage: fuzz.sh BUILD_DIR [SECONDS [HARNESS...]]   (default 60 s; harnesses: scenario store)
# BUILD_DIR is configured with -DCMAKE_CXX_COMPILER=clang++ -DCOLLAPIPE_FUZZ=ON (scripts/test.sh
# does this). The committed corpus tests/fuzz/corpus/<h> is read, never written: new inputs go to
# BUILD_DIR/fuzz/<h>/new, crash inputs to BUILD_DIR/fuzz/<h>/crash-* (exit 1, reproducer printed).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: fuzz.sh BUILD_DIR [SECONDS [HARNESS...]]}
build=$(cd "$build" && pwd)
seconds=${2:-60}
shift $(( $# < 2 ? $# : 2 ))
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(scenario store)

# Every sanitizer report is fatal; libFuzzer then saves the input. Leaks are checked per input.
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$root/scripts/lsan_suppressions.txt:print_suppressions=0"

status=0
for h in "${harnesses[@]}"; do
    exe="$build/tests/fuzz/fuzz_$h"
    [ -x "$exe" ] || { echo "fuzz: $exe missing (cmake --build $build --target fuzz_$h)" >&2; exit 2; }
    work="$build/fuzz/$h"
    rm -rf "$work"
    mkdir -p "$work/new"
    args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
          -artifact_prefix="$work/")
    [ -f "$root/tests/fuzz/$h.dict" ] && args+=(-dict="$root/tests/fuzz/$h.dict")
    echo "fuzz: $h for $seconds s (log: $work/log.txt)"
    if "$exe" "${args[@]}" "$work/new" "$root/tests/fuzz/corpus/$h" >"$work/log.txt" 2>&1; then
        # The last status line ("#execs DONE cov: N ft: N corp: ...") and the exec count.
        grep -E '^#[0-9]+[[:space:]]+DONE' "$work/log.txt" | tail -n 1 | sed "s/^/fuzz: $h: /"
        grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' \
            "$work/log.txt" | sed "s/^/fuzz: $h: /"
    else
        status=1
        echo "fuzz: $h FAILED; the end of its log:" >&2
        tail -n 60 "$work/log.txt" >&2
        for input in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
            [ -e "$input" ] || continue
            echo "fuzz: reproducer: $input" >&2
            echo "fuzz:   replay: $exe $input" >&2
            echo "fuzz:   once fixed, keep it as a regression test: cp $input" \
                 "$root/tests/fuzz/corpus/$h/regress-<what>" >&2
        done
    fi
done
exit $status
