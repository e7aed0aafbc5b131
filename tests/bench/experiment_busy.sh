#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Busy bench (issue [5/7]: "the runner keeps N cores >= 90 % busy on cost-only points"): runs
# `collapipe experiment` on a cost-only grid with --jobs JOBS and reports
#   busy = CPU time of the process (user + sys) / (JOBS x wall time)
# and, from /proc/stat, how many cores the rest of the machine used meanwhile: busy is only
# meaningful when that is near 0 (on a loaded machine the workers wait for a core, not for work).
# The grid: resources/experiments/iterations-and-bandwidth.json with 4 seeds and 300 rounds
# (2 x 2 x 3 x 4 = 48 points, 14,400 rounds).
# usage: tests/bench/experiment_busy.sh [BUILD_DIR] [JOBS] [REPEATS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
jobs=${2:-2}
repeats=${3:-3}
bin="$build/app/collapipe"
[ -x "$bin" ] || { echo "experiment_busy: $bin not built" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed -e "s|\"../scenarios/classroom.json\"|\"$root/resources/scenarios/classroom.json\"|" \
    -e 's/"seeds": \[1, 2\]/"seeds": [1, 2, 3, 4]/' -e 's/"rounds": 20/"rounds": 300/' \
    "$root/resources/experiments/iterations-and-bandwidth.json" >"$work/grid.json"

busy_ticks() { # busy and total jiffies of the whole machine
    local _ u n s i w x y z
    read -r _ u n s i w x y z _ </proc/stat
    echo "$((u + n + s + x + y + z)) $((u + n + s + x + y + z + i + w))"
}

ticks_per_s=$(getconf CLK_TCK)
for r in $(seq 1 "$repeats"); do
    rm -f "$work"/db.sqlite*
    read -r b0 _ < <(busy_ticks)
    /usr/bin/time -f '%e %U %S' -o "$work/time" "$bin" experiment "$work/grid.json" \
        --jobs "$jobs" --db "$work/db.sqlite" --quiet >/dev/null
    read -r b1 _ < <(busy_ticks)
    read -r wall user sys <"$work/time"
    load=$(cut -d' ' -f1 /proc/loadavg)
    awk -v wall="$wall" -v u="$user" -v s="$sys" -v jobs="$jobs" -v machine="$((b1 - b0))" \
        -v hz="$ticks_per_s" -v r="$r" -v load="$load" 'BEGIN {
            c = u + s
            others = (machine / hz - c) / wall
            if (others < 0) others = 0
            printf "run %d: jobs %d, wall %.2f s, CPU %.2f s, busy %.1f %%; ", r, jobs, wall, c,
                100 * c / (jobs * wall)
            printf "other processes used %.2f cores meanwhile (load %s)\n", others, load
        }'
done
