#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# DSSDA round speed the way users run it (issues [5/7] and [7/7]): `collapipe run FILE --train off
# --events off --db DB` under /usr/bin/time -v, so the figures include the store, the plan and
# the process start. Prints, per case: rounds, wall and CPU seconds, rounds/s (or seconds per
# round), peak RSS, the load average before and after (a shared machine inflates wall time), and
# a digest of the stored decisions (sqlite3 dump of the device rows), so a speed change that
# alters a decision shows as a different digest.
#   default   bundled default.json, ROUNDS rounds (default 2000), 2 repeats
#   CxK       `collapipe generate --clusters C --devices-per-cluster K` (seed 1), training.threads
#             2; per round = (time of R + 1 rounds − time of 1 round) / R, which drops the start
#             and the scenario load
# usage: tests/bench/dssda_rounds.sh [BUILD_DIR] [CASE...]   cases: default 100x10 1000x10
#        ROUNDS=N, SCALE_ROUNDS=R (default 3), POLICY=P (default dssda) and DSSDA_SET=PATH=VALUE (one
#        extra --set, e.g. optimizer.replan_every=1: default.json solved in full every round, the
#        digest b441958e8314 of the per-slot solve) in the environment.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
shift || true
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(default 100x10 1000x10)
bin="$build/app/collapipe"
rounds=${ROUNDS:-2000}
scale_rounds=${SCALE_ROUNDS:-3}
policy=${POLICY:-dssda}
[ -x "$bin" ] || { echo "dssda_rounds: $bin not built" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "dssda_rounds: needs /usr/bin/time (GNU time)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run SCENARIO ROUNDS THREADS -> "wall cpu peak_kb digest" of one `collapipe run` into a new db
run() {
    local db="$work/run.db" log="$work/time.txt"
    rm -f "$db" "$db-wal" "$db-shm"
    /usr/bin/time -v "$bin" run "$1" --train off --events off --quiet --db "$db" \
        --policy "$policy" --set "training.rounds=$2" --set "training.threads=$3" \
        ${DSSDA_SET:+--set "$DSSDA_SET"} >/dev/null 2>"$log" || { cat "$log" >&2; exit 1; }
    awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,t,":"); w=0; for(i=1;i<=n;i++) w=w*60+t[i]}
        /User time/{u=$2} /System time/{s=$2} /Maximum resident/{m=$2}
        END{printf "%.3f %.3f %d", w, u+s, m}' "$log"
    local digest="-"
    if command -v sqlite3 >/dev/null; then
        digest=$(sqlite3 "$db" "SELECT * FROM device_rounds ORDER BY 1,2,3,4" | md5sum | cut -c1-12)
    fi
    echo " $digest"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)  policy $policy  $(git -C "$root" rev-parse --short HEAD 2>/dev/null || true)"
for c in "${cases[@]}"; do
    if [ "$c" = default ]; then
        for rep in 1 2; do
            read -r wall cpu peak digest < <(run "$root/resources/scenarios/default.json" "$rounds" 0)
            awk -v r="$rounds" -v w="$wall" -v c="$cpu" -v p="$peak" -v d="$digest" -v k="$rep" \
                'BEGIN{printf "default.json  %d rounds  repeat %d  wall %.2f s (%.0f rounds/s)  cpu %.2f s (%.0f rounds/s)  peak %.0f MB  digest %s\n", r, k, w, r/w, c, r/c, p/1024, d}'
        done
        continue
    fi
    [[ "$c" =~ ^([0-9]+)x([0-9]+)$ ]] || { echo "dssda_rounds: case $c is not default or CxK" >&2; exit 2; }
    file="$work/$c.json"
    "$bin" generate --clusters "${BASH_REMATCH[1]}" --devices-per-cluster "${BASH_REMATCH[2]}" \
        -o "$file" >/dev/null
    read -r w1 c1 _ _ < <(run "$file" 1 2)
    read -r wn cn peak digest < <(run "$file" $((scale_rounds + 1)) 2)
    awk -v c="$c" -v r="$scale_rounds" -v w1="$w1" -v c1="$c1" -v wn="$wn" -v cn="$cn" -v p="$peak" -v d="$digest" \
        'BEGIN{printf "%-9s 2 threads  per round: wall %.3f s  cpu %.3f s  (%d vs 1 round)  peak %.0f MB  digest %s\n", c, (wn-w1)/r, (cn-c1)/r, r+1, p/1024, d}'
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
