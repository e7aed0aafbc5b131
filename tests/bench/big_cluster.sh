#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue [7/7] "Scale", big clusters: generates one cluster of K devices per size and measures
# DSSDA on it, (1) per decision with and without the device pool (bench_optimizer scale: CPU,
# wall, peak RSS, the exact objective) and (2) end to end with `collapipe plan` under
# /usr/bin/time -v (wall, CPU, peak RSS). Prints the load average before and after: on a shared
# machine report the numbers as ranges with it (core/optimizer/DSSDA.md "Scale").
# usage: tests/bench/big_cluster.sh BUILD_DIR [K ...]   (default K: 200 500 1000 100000)
# Needs the targets collapipe and bench_optimizer. The pool-off run is skipped above 1,000
# devices (minutes at 1,000; quadratic memory above).
set -euo pipefail
build=${1:?usage: big_cluster.sh BUILD_DIR [K ...]}
shift
sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then
    sizes=(200 500 1000 100000)
fi
cli=$build/app/collapipe
bench=$build/tests/bench/bench_optimizer
for tool in "$cli" "$bench"; do
    [ -x "$tool" ] || { echo "big_cluster.sh: $tool is missing (build it first)" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "load before: $(uptime)"
for k in "${sizes[@]}"; do
    "$cli" generate --clusters 1 --devices-per-cluster "$k" -o "$tmp/1x$k.json" >/dev/null
    "$bench" scale "1x$k" 2
    if [ "$k" -le 1000 ]; then
        "$bench" scale "1x$k" 2 nopool
    fi
    status=0
    /usr/bin/time -v "$cli" plan "$tmp/1x$k.json" --policy dssda >/dev/null 2>"$tmp/time.txt" \
        || status=$?
    wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$tmp/time.txt")
    user=$(sed -n 's/.*User time (seconds): //p' "$tmp/time.txt")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time.txt")
    echo "plan 1 x $k: exit $status  wall $wall  user ${user} s  peak RSS $((rss / 1024)) MB"
done
echo "load after: $(uptime)"
