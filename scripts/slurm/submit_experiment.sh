#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs a collapipe experiment on a Slurm cluster: a job array whose task i runs shard i/N of the
# experiment into its own database, and a merge job that starts once every task has succeeded.
# Usage: scripts/slurm/submit_experiment.sh --help. Tested on a real single-node Slurm by
# tests/experiment/slurm/ (ctest -R slurm).
set -euo pipefail

usage() {
    cat <<'USAGE'
usage: submit_experiment.sh [options] EXPERIMENT.json

Submits two Slurm jobs for a collapipe experiment file:
  1. a job array of N tasks (#SBATCH --array=0-(N-1)); task i runs
       collapipe experiment EXPERIMENT.json --shard i/N --db OUT/shard-i.sqlite
  2. a merge job (--dependency=afterok:ARRAY) that runs, once every task succeeded,
       collapipe merge OUT/merged.sqlite OUT/shard-0.sqlite ... OUT/shard-(N-1).sqlite
The job scripts are written to OUT/array.sbatch and OUT/merge.sbatch, the jobs' output to
OUT/logs/. If a task fails, the merge job is cancelled (--kill-on-invalid-dep=yes); fix the
cause and resubmit what failed, e.g. `sbatch --array=2 OUT/array.sbatch` (a shard resumes: its
completed points are skipped), then `sbatch OUT/merge.sbatch`.

options:
  -n, --tasks N         array tasks = shards, 1..10000 (default 4)
  -o, --out DIR         folder for the databases, job scripts and logs; must be on a file
                        system every node sees (default ./EXPERIMENT-stem.slurm)
  -j, --jobs J          worker threads per task, also its --cpus-per-task (default 1)
  -c, --collapipe PATH  the collapipe binary, reachable from every node (default: collapipe
                        on PATH, or $COLLAPIPE)
  -t, --time T          time limit per task and for the merge (sbatch --time), e.g. 01:00:00
  -p, --partition P     partition (sbatch --partition)
  --sbatch-arg ARG      one more sbatch argument for both jobs, repeatable
                        (e.g. --sbatch-arg=--account=abc)
  --parsable            print only "ARRAY_JOB_ID MERGE_JOB_ID"
  --dry-run             write the job scripts and print the sbatch commands, submit nothing
  -h, --help            this text
Environment: SLURM_CONF, like any Slurm command. Exit codes: 0 submitted, 2 bad arguments
(the message names the option and the value), 1 sbatch failed.
USAGE
}

die() { # bad input: message naming the option and the value, exit 2
    echo "submit_experiment.sh: $*" >&2
    echo "(see submit_experiment.sh --help)" >&2
    exit 2
}

need_value() { # $1 option, $2 number of remaining arguments
    [ "$2" -ge 2 ] || die "$1: missing value"
}

positive_int() { # $1 option, $2 value, $3 max
    [[ "$2" =~ ^[0-9]+$ ]] && [ "${#2}" -le 6 ] && [ "$2" -ge 1 ] && [ "$2" -le "$3" ] \
        || die "$1: expected an integer from 1 to $3 (got '$2')"
}

tasks=4
jobs=1
out=""
collapipe="${COLLAPIPE:-}"
time_limit=""
partition=""
parsable=false
dry_run=false
sbatch_args=()
file=""
while [ $# -gt 0 ]; do
    case "$1" in
        -h | --help) usage; exit 0 ;;
        -n | --tasks) need_value "$1" $#; tasks=$2; shift 2 ;;
        --tasks=*) tasks=${1#*=}; shift ;;
        -o | --out) need_value "$1" $#; out=$2; shift 2 ;;
        --out=*) out=${1#*=}; shift ;;
        -j | --jobs) need_value "$1" $#; jobs=$2; shift 2 ;;
        --jobs=*) jobs=${1#*=}; shift ;;
        -c | --collapipe) need_value "$1" $#; collapipe=$2; shift 2 ;;
        --collapipe=*) collapipe=${1#*=}; shift ;;
        -t | --time) need_value "$1" $#; time_limit=$2; shift 2 ;;
        --time=*) time_limit=${1#*=}; shift ;;
        -p | --partition) need_value "$1" $#; partition=$2; shift 2 ;;
        --partition=*) partition=${1#*=}; shift ;;
        --sbatch-arg) need_value "$1" $#; sbatch_args+=("$2"); shift 2 ;;
        --sbatch-arg=*) sbatch_args+=("${1#*=}"); shift ;;
        --parsable) parsable=true; shift ;;
        --dry-run) dry_run=true; shift ;;
        --) shift; break ;;
        -*) die "unknown option '$1'" ;;
        *)
            [ -z "$file" ] || die "expected one EXPERIMENT.json (got '$file' and '$1')"
            file=$1
            shift
            ;;
    esac
done
if [ $# -gt 0 ]; then
    [ -z "$file" ] && [ $# -eq 1 ] || die "expected one EXPERIMENT.json (got '${file:-$1}' and more)"
    file=$1
fi

[ -n "$file" ] || die "missing EXPERIMENT.json"
[ -f "$file" ] && [ -r "$file" ] || die "EXPERIMENT.json: no readable file '$file'"
positive_int --tasks "$tasks" 10000
positive_int --jobs "$jobs" 1024
tasks=$((10#$tasks))
jobs=$((10#$jobs))
if [ -z "$collapipe" ]; then
    collapipe=$(command -v collapipe) \
        || die "--collapipe: no collapipe on PATH (give the binary's path, or set COLLAPIPE)"
fi
[ -f "$collapipe" ] && [ -x "$collapipe" ] \
    || die "--collapipe: not an executable file '$collapipe'"
if [ -n "$time_limit" ] && ! [[ "$time_limit" =~ ^[0-9:-]+$ ]]; then
    die "--time: expected a Slurm time such as 30, 01:00:00 or 1-00:00:00 (got '$time_limit')"
fi
if ! $dry_run; then
    command -v sbatch >/dev/null || die "sbatch: not found on PATH (is Slurm installed here?)"
fi

# Absolute paths: the jobs start in OUT on another node, not where this script ran.
file=$(cd "$(dirname "$file")" && pwd)/$(basename "$file")
collapipe=$(cd "$(dirname "$collapipe")" && pwd)/$(basename "$collapipe")
stem=$(basename "$file")
stem=${stem%.*}
[ -n "$out" ] || out="$stem.slurm"
if [ -e "$out" ] && [ ! -d "$out" ]; then
    die "--out: '$out' exists and is not a folder"
fi
mkdir -p "$out/logs" || die "--out: cannot create '$out/logs'"
out=$(cd "$out" && pwd)

common=(--job-name="collapipe-$stem" --chdir="$out")
[ -z "$time_limit" ] || common+=(--time="$time_limit")
[ -z "$partition" ] || common+=(--partition="$partition")
common+=("${sbatch_args[@]}")

# The array task: its shard is passed explicitly rather than left to collapipe's
# SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT default, so resubmitting a subset of the tasks
# (sbatch --array=2 array.sbatch) still runs shard 2 of N, not the whole experiment.
{
    echo '#!/bin/bash'
    echo "#SBATCH --array=0-$((tasks - 1))"
    echo "#SBATCH --cpus-per-task=$jobs"
    echo "#SBATCH --output=logs/shard-%a.out"
    echo "# One shard of $(basename "$file") ($tasks tasks); written by submit_experiment.sh."
    echo 'set -eu'
    printf 'exec %q experiment %q --shard "${SLURM_ARRAY_TASK_ID}/%d" \\\n' \
        "$collapipe" "$file" "$tasks"
    printf '    --db "shard-${SLURM_ARRAY_TASK_ID}.sqlite" --jobs %d --quiet\n' "$jobs"
} >"$out/array.sbatch"

# Every shard is named: a shard that is missing makes the merge fail instead of leaving its
# points out.
{
    echo '#!/bin/bash'
    echo "#SBATCH --output=logs/merge.out"
    echo "# Merges the $tasks shards of $(basename "$file"); written by submit_experiment.sh."
    echo 'set -eu'
    printf 'exec %q merge merged.sqlite' "$collapipe"
    for ((i = 0; i < tasks; ++i)); do
        printf ' shard-%d.sqlite' "$i"
    done
    echo
} >"$out/merge.sbatch"

if $dry_run; then
    printf 'sbatch --parsable'
    printf ' %q' "${common[@]}" "$out/array.sbatch"
    printf '\nsbatch --parsable'
    printf ' %q' "${common[@]}" --dependency=afterok:ARRAY_JOB_ID --kill-on-invalid-dep=yes \
        "$out/merge.sbatch"
    echo
    exit 0
fi

# --parsable prints "ID" or "ID;CLUSTER".
array_id=$(sbatch --parsable "${common[@]}" "$out/array.sbatch") \
    || { echo "submit_experiment.sh: sbatch of the job array failed" >&2; exit 1; }
array_id=${array_id%%;*}
merge_id=$(sbatch --parsable "${common[@]}" --dependency="afterok:$array_id" \
    --kill-on-invalid-dep=yes "$out/merge.sbatch") \
    || { echo "submit_experiment.sh: sbatch of the merge job failed (array job $array_id" \
        "is queued; cancel it with scancel $array_id)" >&2; exit 1; }
merge_id=${merge_id%%;*}

if $parsable; then
    echo "$array_id $merge_id"
else
    echo "job array $array_id: $tasks shard(s) of $(basename "$file") -> $out/shard-*.sqlite"
    echo "merge job $merge_id (after every task succeeded) -> $out/merged.sqlite"
    echo "watch: squeue -j $array_id,$merge_id; logs: $out/logs/"
fi
