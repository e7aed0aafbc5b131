#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Where a cost-only DSSDA round goes (issue [5/7] "Speed", core/optimizer/DSSDA.md "Second pass"):
# `perf record --call-graph dwarf` on `collapipe run FILE --train off --events off` into a new
# database (one solver thread), then each sample counted in the outermost part of the round it
# falls in (screening DPs, the BCD's DPs / power / bandwidth, the polish, the starts, the store,
# the engine, …). Prints the share of each part and its µs per round (share × the run's CPU time
# per round from /usr/bin/time), and the digest of the stored decisions as dssda_rounds.sh does.
# A Release build has the symbols needed (function names; inlined helpers count in their caller).
# usage: tests/bench/dssda_round_profile.sh [BUILD_DIR] [FILE]   ROUNDS=N (default 2000)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
file=${2:-$root/resources/scenarios/default.json}
rounds=${ROUNDS:-2000}
bin="$build/app/collapipe"
[ -x "$bin" ] || { echo "dssda_round_profile: $bin not built" >&2; exit 2; }
command -v perf >/dev/null || { echo "dssda_round_profile: needs perf" >&2; exit 2; }
command -v python3 >/dev/null || { echo "dssda_round_profile: needs python3" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "dssda_round_profile: needs /usr/bin/time (GNU time)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

args=(run "$file" --train off --events off --quiet --db "$work/run.db"
    --set "training.rounds=$rounds" --set training.threads=1)
/usr/bin/time -f "%U %S" -o "$work/time.txt" "$bin" "${args[@]}" >/dev/null
read -r user sys <"$work/time.txt"
digest="-"
if command -v sqlite3 >/dev/null; then
    digest=$(sqlite3 "$work/run.db" "SELECT * FROM device_rounds ORDER BY 1,2,3,4" | md5sum | cut -c1-12)
fi
rm -f "$work"/run.db*
perf record -q -o "$work/perf.data" --call-graph dwarf,16384 -F 3000 "$bin" "${args[@]}" \
    >/dev/null 2>&1
perf script -i "$work/perf.data" -F ip,sym 2>/dev/null >"$work/stacks.txt"
echo "$(basename "$file"), $rounds rounds, one solver thread: CPU $(awk -v u="$user" -v s="$sys" -v r="$rounds" \
    'BEGIN{printf "%.0f us per round (%.0f rounds/s)", 1e6*(u+s)/r, r/(u+s)}'), digest $digest, load $(cut -d' ' -f1 /proc/loadavg)"
python3 - "$work/stacks.txt" "$user" "$sys" "$rounds" <<'EOF'
import collections, re, sys
path, user, system, rounds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
samples, cur = [], []
for line in open(path):
    if not line.strip():
        if cur:
            samples.append(' | '.join(reversed(cur)))
        cur = []
        continue
    cur.append(re.sub(r'^\s*[0-9a-f]+ ', '', line.rstrip('\n')))
if cur:
    samples.append(' | '.join(reversed(cur)))

def part(chain):
    has = lambda name: name in chain
    if has('RunWriter') or has('sqlite3') or has('RunStore'):
        return 'store (RunWriter, sqlite)'
    if not has('solveForSchedule'):
        if has('stepRound') or has('runRound') or has('StoredRun'):
            return 'engine (channel, evaluation, queues, plan)'
        return 'process start, scenario load, other'
    if has('improveOrder') or has('screenValue'):
        return 'screening and order-swap DPs'
    if has('runBcd'):
        if has('solveSegments') or has('segmentProblem'):
            return 'BCD: DPs'
        if has('optimizeShares') or has('allocateBandwidth'):
            return 'BCD: bandwidth'
        if has('optimizePowers'):
            return 'BCD: power'
        return 'BCD: other'
    if has('refineExact'):
        if has('evaluateCluster') or has('exactObjective'):
            return 'polish: exact evaluations'
        if has('ExactBound'):
            return 'polish: ExactBound'
        return 'polish: moves, memo'
    if has('evaluateCluster') or has('exactObjective') or has('ExactBound'):
        return 'starts: exact evaluations and bounds'
    return 'rest of the solve'

counts = collections.Counter(part(s) for s in samples)
per_round = 1e6 * (user + system) / rounds
for name, n in counts.most_common():
    share = n / len(samples)
    print(f'{100 * share:5.1f} %  {share * per_round:6.1f} us/round  {name}')
print(f'{len(samples)} samples')
EOF
