#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What DSSDA's re-planning period costs and buys (optimizer.replan_every, core/optimizer/DSSDA.md
# "Re-planning period"): for each period F, one cost-only `collapipe run FILE --train off --events
# off` into a new store, then from the store: CPU rounds/s (GNU time, user + sys, process start
# included), the mean system latency, the mean energy queue backlog per device (Q after each
# round: how far the long-term budgets are from holding) and the share of (cluster, round) pairs
# whose structure (stages' devices and blocks, M) changed from the previous round.
# usage: tests/bench/replan_period.sh [BUILD_DIR] [SCENARIO] [F...]   ROUNDS=N (default 2000)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
scenario=${2:-$root/resources/scenarios/default.json}
shift 2 || shift $# || true
periods=("$@")
[ ${#periods[@]} -gt 0 ] || periods=(1 2 5 10 20 50 100)
rounds=${ROUNDS:-2000}
bin="$build/app/collapipe"
[ -x "$bin" ] || { echo "replan_period: $bin not built" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "replan_period: needs sqlite3" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "$(basename "$scenario"), $rounds cost-only rounds, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%6s %12s %14s %16s %18s\n' F "rounds/s" "latency [s]" "mean Q [J]" "structure changed"
for f in "${periods[@]}"; do
    db="$work/f$f.db"
    /usr/bin/time -f '%U %S' -o "$work/time" "$bin" run "$scenario" --train off --events off \
        --quiet --db "$db" --set "training.rounds=$rounds" --set "optimizer.replan_every=$f" \
        >/dev/null
    cpu=$(awk '{print $1 + $2}' "$work/time")
    latency=$(sqlite3 "$db" 'select avg(latency_s) from rounds')
    backlog=$(sqlite3 "$db" 'select avg(energy_queue_j) from device_rounds where present = 1')
    changed=$(sqlite3 "$db" "with s as (select round, cluster, group_concat(device || ':' ||
        first_block || '-' || last_block || 'x' || microbatches, ',') as plan from (select * from
        device_rounds where stage >= 0 order by round, cluster, stage) group by round, cluster)
        select round(100.0 * sum(a.plan <> b.plan) / count(*), 1) from s a join s b
        on b.cluster = a.cluster and b.round = a.round - 1")
    printf '%6s %12.0f %14.3f %16.2f %17s%%\n' "$f" "$(echo "$rounds / $cpu" | bc -l)" \
        "$latency" "$backlog" "$changed"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
