#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 17 "Speed": cost-only rounds/s of `collapipe run` as users run it, two builds alternated
# (e.g. before/after the store's background committer). For each series and each case, runs
#   collapipe run resources/scenarios/default.json --train off --events off --db NEW --quiet
#       --set training.rounds=ROUNDS [case options]
# with build A then build B and prints wall, user and sys seconds (/usr/bin/time) and rounds/s
# per wall and per CPU second, with the 1-minute load. Cases: uniform (a decision that costs
# nothing: the store's share shows) and warm-started DSSDA (replan_every=50, warm_start=track).
# Measured 2026-12-05 (2 vCPUs Xeon AVX-512, shared; 3 series, 20,000 rounds), before (A: batches
# committed on the round loop's thread) vs after (B: on the writer's committer thread), load 2.4-2.7:
#   uniform     wall 1.03-1.09 s -> 0.77-0.84 s (18.3-19.4k -> 23.8-26.0k rounds/s), CPU about equal
#   dssda-warm  wall 2.46-2.47 s -> 1.76-1.85 s (8.1k -> 10.8-11.4k rounds/s), CPU 0-12 % more
# At load 4.5-5.7 (no idle core for the committer) wall and CPU stay within the noise either way.
# usage: tests/bench/store_committer.sh BUILD_A BUILD_B [SERIES] [ROUNDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
a=${1:?build A}
b=${2:?build B}
series=${3:-3}
rounds=${4:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cases=("uniform|--set optimizer.policy=uniform"
    "dssda-warm|--set optimizer.replan_every=50 --set optimizer.warm_start=track")
printf '%-6s %-10s %-2s %7s %7s %7s %9s %9s %5s\n' series case bd wall user sys 'r/s wall' 'r/s cpu' load
for s in $(seq 1 "$series"); do
    for c in "${cases[@]}"; do
        name=${c%%|*}
        read -r -a opts <<<"${c#*|}"
        for side in A B; do
            build=$a
            [ "$side" = B ] && build=$b
            rm -f "$work"/db.sqlite*
            /usr/bin/time -f '%e %U %S' -o "$work/time" "$build/app/collapipe" run \
                "$root/resources/scenarios/default.json" --train off --events off \
                --db "$work/db.sqlite" --quiet --set training.rounds="$rounds" "${opts[@]}" \
                >/dev/null
            read -r wall user sys <"$work/time"
            load=$(cut -d' ' -f1 /proc/loadavg)
            awk -v s="$s" -v n="$name" -v side="$side" -v w="$wall" -v u="$user" -v y="$sys" \
                -v r="$rounds" -v l="$load" 'BEGIN {
                printf "%-6s %-10s %-2s %7.2f %7.2f %7.2f %9.0f %9.0f %5s\n", s, n, side, w, u, y,
                    r / w, r / (u + y), l }'
        done
    done
done
