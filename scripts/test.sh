#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# README command 2 (and CI, .ci/run): install, check the house rules, then
#   1. Release build (warnings as errors)             build-test/
#   2. ASan + UBSan build of the whole tree, Studio too build-asan/  (GCC, -DCOLLAPIPE_SANITIZE=ON)
#   3. libFuzzer harnesses only                       build-fuzz/   (clang, -DCOLLAPIPE_FUZZ=ON)
#   4. the whole suite under ASan/UBSan: zero reports (learning tests in their reduced mode)
#   5. both fuzz harnesses at once for COLLAPIPE_FUZZ_SECONDS (60) s: a crash fails, reproducer printed
#   6. the whole suite on the Release build
# A failing build stops at once; failing tests or fuzzing do not stop the later steps (one run
# shows every failure). On success the last lines are the Release ctest's summary; otherwise the
# list of failed steps follows it and the exit code is 1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=$(nproc)
fuzz_seconds=${COLLAPIPE_FUZZ_SECONDS:-60}
start=$SECONDS
phase_start=$SECONDS
times_file="${TMPDIR:-/tmp}/collapipe-test-times.$$"
# Wall time per step, and the CPU time (user sys) of all steps so far: the second does not
# depend on what else the machine runs.
phase_done() {
    local cpu
    times >"$times_file" # not in $(...): a subshell reports its own, empty, times
    cpu=$(tail -n 1 "$times_file")
    rm -f "$times_file"
    echo "== $1: $(( SECONDS - phase_start )) s (total $(( SECONDS - start )) s; CPU user sys" \
        "so far: $cpu)"
    phase_start=$SECONDS
}

"$root/scripts/setup.sh"
"$root/scripts/check_rules.sh"
phase_done "setup + house rules"

"$root/scripts/build.sh" "$root/build-test" -DCOLLAPIPE_WERROR=ON
phase_done "Release build"

# The whole tree, Studio included (benchmarks are never built: EXCLUDE_FROM_ALL). Affordable on 2
# cores because the UI and test objects compile at -O1 under ASan (the engine keeps -O3; cmake's
# collapipe_sanitizer_light_optimization) and lld links the executables.
"$root/scripts/build.sh" "$root/build-asan" -DCOLLAPIPE_WERROR=ON -DCOLLAPIPE_SANITIZE=ON \
    -DCOLLAPIPE_BUILD_UI=ON
phase_done "ASan+UBSan build"

# Only the two harnesses and the libraries they link; no GUI. Warnings are GCC's job (build 1).
cmake -S "$root" -B "$root/build-fuzz" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_COMPILER=clang++ -DCOLLAPIPE_FUZZ=ON -DCOLLAPIPE_BUILD_UI=OFF >/dev/null
cmake --build "$root/build-fuzz" --parallel "$jobs" --target fuzz_scenario fuzz_store
phase_done "fuzz build"

export QT_QPA_PLATFORM=offscreen
# Sanitizer options and the report check live in the ctest setup (cmake/CollaPipeTargets.cmake):
# its last test, sanitizer_reports_none, fails on any report of any test or child process.
failed=()
(cd "$root/build-asan" && ctest --output-on-failure --parallel "$jobs" --timeout 900) \
    || failed+=("ASan+UBSan tests (build-asan)")
phase_done "ASan+UBSan tests"

"$root/scripts/fuzz.sh" "$root/build-fuzz" "$fuzz_seconds" || failed+=("fuzzing (reproducer above)")
phase_done "fuzzing"

cd "$root/build-test"
ctest --output-on-failure --parallel "$jobs" --timeout 900 || failed+=("Release tests (build-test)")
if [ ${#failed[@]} -gt 0 ]; then
    printf 'FAILED: %s\n' "${failed[@]}" >&2
    exit 1
fi
