#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the libFuzzer harnesses of tests/fuzz side by side for a fixed time (README "Fuzzing").
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

# One harness: its report goes to $work/report.txt (printed in order once all have finished).
fuzz_one() {
    local h=$1 exe="$build/tests/fuzz/fuzz_$1" work="$build/fuzz/$1"
    local args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
                -artifact_prefix="$work/")
    [ -f "$root/tests/fuzz/$h.dict" ] && args+=(-dict="$root/tests/fuzz/$h.dict")
    if "$exe" "${args[@]}" "$work/new" "$root/tests/fuzz/corpus/$h" >"$work/log.txt" 2>&1; then
        # The last status line ("#execs DONE cov: N ft: N corp: ...") and the exec count.
        grep -E '^#[0-9]+[[:space:]]+DONE' "$work/log.txt" | tail -n 1 | sed "s/^/fuzz: $h: /"
        grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' \
            "$work/log.txt" | sed "s/^/fuzz: $h: /"
        return 0
    fi
    echo "fuzz: $h FAILED; the end of its log:"
    tail -n 60 "$work/log.txt"
    for input in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
        [ -e "$input" ] || continue
        echo "fuzz: reproducer: $input"
        echo "fuzz:   replay: $exe $input"
        echo "fuzz:   once fixed, keep it as a regression test: cp $input" \
             "$root/tests/fuzz/corpus/$h/regress-<what>"
    done
    return 1
}

# The harnesses run at the same time (one core each on CI's two): the budget is $seconds s of
# wall time in all, not per harness.
pids=()
for h in "${harnesses[@]}"; do
    exe="$build/tests/fuzz/fuzz_$h"
    [ -x "$exe" ] || { echo "fuzz: $exe missing (cmake --build $build --target fuzz_$h)" >&2; exit 2; }
    work="$build/fuzz/$h"
    rm -rf "$work"
    mkdir -p "$work/new"
    echo "fuzz: $h for $seconds s (log: $work/log.txt)"
    fuzz_one "$h" >"$work/report.txt" &
    pids+=($!)
done
status=0
for i in "${!harnesses[@]}"; do
    if wait "${pids[$i]}"; then
        cat "$build/fuzz/${harnesses[$i]}/report.txt"
    else
        status=1
        cat "$build/fuzz/${harnesses[$i]}/report.txt" >&2
    fi
done
exit $status
