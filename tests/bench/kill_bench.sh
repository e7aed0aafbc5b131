#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Kill bench (issue [5/6]): starts `collapipe run` KILLS times (default 20), SIGKILLs it after a
# random delay, and checks the database each time: PRAGMA integrity_check is ok, the run shows
# `interrupted` once `collapipe runs` has opened the file, and every committed round is complete
# (rounds 0..n-1 all present, n = runs.rounds_done, 4 device rows and >= 1 event per round).
# Alternates cost-only runs (commits in batches) and trained runs (about one commit per round).
# usage: tests/bench/kill_bench.sh [BUILD_DIR] [KILLS]     (needs the sqlite3 command)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
kills=${2:-20}
bin="$build/app/collapipe"
scenario="$root/tests/cli_run/data/tiny.json"
[ -x "$bin" ] || { echo "kill_bench: $bin not built" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "kill_bench: needs the sqlite3 command" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failures=0
total_rounds=0
for i in $(seq 1 "$kills"); do
    db="$work/kill-$i.sqlite"
    if [ $((i % 2)) -eq 0 ]; then train=on; else train=off; fi
    delay_ms=$((200 + RANDOM % 1800))
    "$bin" run "$scenario" --db "$db" --rounds 1000000 --train "$train" --quiet >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    "$bin" runs --db "$db" >"$work/runs.txt" 2>&1 || true
    integrity=$(sqlite3 "$db" 'PRAGMA integrity_check;')
    status=$(sqlite3 "$db" 'SELECT status FROM runs ORDER BY id DESC LIMIT 1;')
    done_rounds=$(sqlite3 "$db" 'SELECT rounds_done FROM runs ORDER BY id DESC LIMIT 1;')
    check=$(sqlite3 "$db" "SELECT COUNT(*), IFNULL(MAX(round) + 1, 0),
        (SELECT COUNT(*) FROM device_rounds), (SELECT COUNT(DISTINCT round) FROM events)
        FROM rounds;")
    IFS='|' read -r count maxp1 devices evrounds <<<"$check"
    ok=yes
    [ "$integrity" = "ok" ] || ok="integrity: $integrity"
    [ "$status" = "interrupted" ] || ok="status $status"
    [ "$count" = "$done_rounds" ] && [ "$maxp1" = "$count" ] || ok="rounds $count/$maxp1 vs done $done_rounds"
    [ "$devices" = $((4 * count)) ] || ok="device rows $devices for $count rounds"
    [ "$evrounds" = "$count" ] || ok="events in $evrounds of $count rounds"
    printf 'kill %2d  train %-3s  after %4d ms  committed rounds %6d  %s\n' \
        "$i" "$train" "$delay_ms" "$count" "$ok"
    [ "$ok" = yes ] || failures=$((failures + 1))
    total_rounds=$((total_rounds + count))
done
echo "kill_bench: $kills kills, $failures failures, $total_rounds committed rounds checked"
[ "$failures" -eq 0 ]
