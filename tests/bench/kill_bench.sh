#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Kill bench (issues [5/6], [2/7]): starts `collapipe run` and SIGKILLs it once a random number of
# rounds is committed (cost-only 1-400, trained 1-6) plus a random 0-300 ms, KILLS times with
# cost-only runs (commits in batches) and KILLS times with trained runs (about one commit per
# round), default 20 + 20. After each kill it checks:
#   - PRAGMA integrity_check is ok and `collapipe check` agrees (exit 0);
#   - `collapipe runs` (a reader: read-only, never writes) shows the run `interrupted` and leaves
#     the database file byte-for-byte unchanged;
#   - every committed round is complete: rounds 0..n-1 all present (n = runs.rounds_done), 4 device
#     rows and >= 1 event per round;
#   - the next writer (`collapipe run --rounds 1` on the same file) stores `interrupted` for the
#     killed run and completes its own run.
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
n=0
for train in off on; do
    for i in $(seq 1 "$kills"); do
        n=$((n + 1))
        db="$work/kill-$n.sqlite"
        if [ "$train" = on ]; then target=$((1 + RANDOM % 6)); else target=$((1 + RANDOM % 400)); fi
        delay_ms=$((RANDOM % 300))
        "$bin" run "$scenario" --db "$db" --rounds 1000000 --train "$train" --quiet \
            >/dev/null 2>&1 &
        pid=$!
        # Poll (read-only) until the target is committed; give up after 180 s.
        done_now=-1
        for _ in $(seq 1 3600); do
            done_now=$(sqlite3 -readonly "$db" 'SELECT rounds_done FROM runs WHERE id = 1;' \
                2>/dev/null || true)
            [ -n "$done_now" ] && [ "$done_now" -ge "$target" ] && break
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        sleep "$(printf '0.%03d' "$delay_ms")"
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        ok=yes
        fail() { if [ "$ok" = yes ]; then ok="$1"; else ok="$ok; $1"; fi; }
        # Fold the dead writer's WAL into the file first (sqlite3 is a writer here, not us), so
        # the byte comparison below sees the reader alone.
        sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null 2>&1 || true
        before=$(sha256sum "$db" | cut -d' ' -f1)
        "$bin" runs --db "$db" >"$work/runs.txt" 2>&1 || fail "runs failed: $(cat "$work/runs.txt")"
        grep -Eq '^1 +interrupted ' "$work/runs.txt" || fail "runs shows: $(sed -n 3p "$work/runs.txt")"
        [ "$(sha256sum "$db" | cut -d' ' -f1)" = "$before" ] || fail "the reader changed the file"
        "$bin" check --db "$db" >/dev/null 2>&1 || fail "collapipe check failed"
        integrity=$(sqlite3 "$db" 'PRAGMA integrity_check;' 2>&1 || true)
        done_rounds=$(sqlite3 "$db" 'SELECT rounds_done FROM runs WHERE id = 1;' 2>&1 || true)
        check=$(sqlite3 "$db" "SELECT COUNT(*), IFNULL(MAX(round) + 1, 0),
            (SELECT COUNT(*) FROM device_rounds), (SELECT COUNT(DISTINCT round) FROM events)
            FROM rounds;" 2>&1 || true)
        IFS='|' read -r count maxp1 devices evrounds <<<"$check"
        [ "$integrity" = "ok" ] || fail "integrity: $integrity"
        [ "$count" -ge "$target" ] || fail "only $count rounds committed before the kill (target $target)"
        [ "$count" = "$done_rounds" ] && [ "$maxp1" = "$count" ] \
            || fail "rounds $count/$maxp1 vs done $done_rounds"
        [ "$devices" = $((4 * count)) ] || fail "device rows $devices for $count rounds"
        [ "$evrounds" = "$count" ] || fail "events in $evrounds of $count rounds"
        "$bin" run "$scenario" --db "$db" --rounds 1 --train off --quiet >"$work/next.txt" 2>&1 \
            || fail "the next run failed: $(tail -1 "$work/next.txt")"
        status=$(sqlite3 "$db" 'SELECT status FROM runs WHERE id = 1;' 2>&1 || true)
        [ "$status" = "interrupted" ] || fail "stored status $status after the next writer"
        printf 'kill %2d  train %-3s  target %3d + %3d ms  committed rounds %6d  %s\n' \
            "$n" "$train" "$target" "$delay_ms" "$count" "$ok"
        [ "$ok" = yes ] || failures=$((failures + 1))
        total_rounds=$((total_rounds + count))
    done
done
echo "kill_bench: $n kills ($kills cost-only, $kills trained), $failures failures," \
    "$total_rounds committed rounds checked"
[ "$failures" -eq 0 ]
