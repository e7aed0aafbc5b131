#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# with_slurm_cluster.sh COMMAND [ARG...]
# Starts a private single-node Slurm (munged, slurmctld, slurmd from Debian 12's slurm-wlm and
# munge) in a temporary folder, runs COMMAND with SLURM_CONF pointing at it, and stops every
# daemon at the end, also when COMMAND or the start fails. If the cluster does not come up, or
# COMMAND fails, the daemons' logs are printed and the exit code is 1: it never skips silently.
# Only a run as non-root outside CI (CI unset or not "true") is reported "not run" (exit 77).
#
# Pitfalls met in containers, and what this script does about them:
# - No systemd and often no usable cgroups (e.g. gVisor): the daemons are started by hand, and
#   slurm.conf uses proctrack/linuxproc, task/none and jobacct_gather/none, no cgroup plugin.
# - slurmctld runs as the primary controller only when SlurmctldHost names this machine's short
#   hostname; the address is given in parentheses (127.0.0.1) so nothing needs to resolve the
#   name (/etc/hosts in a container may not list it). slurmd is told its node name with -N.
# - munged refuses a socket folder that not everyone may enter, and a key others may read: the
#   temp folder is made 0755, the key 0600 (mungekey does that).
# - A second cluster on the machine (another build's test, a real Slurm) must not be reached:
#   free TCP ports are picked at start, munge has its own socket, and SLURM_CONF is exported so
#   sbatch/squeue/scontrol talk to this cluster only.
# - slurmd's CPU layout guess may differ from the hardware's (sockets vs cores): with
#   SlurmdParameters=config_overrides the node is not drained for it.
# - By default slurmctld schedules batch jobs up to 3 s after an event (batch_sched_delay), so a
#   4-task array and its dependent merge waited ~9 s for ~2 s of work; batch_sched_delay=0
#   halves the test.
# - Paths in slurm.conf must be absolute: the daemons change their working folder.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

not_run() {
    echo "not run: $*"
    if [ "${CI:-}" = true ]; then
        echo "FAIL: CI=true: this test must run in CI" >&2
        exit 1
    fi
    exit 77
}

[ $# -ge 1 ] || { echo "usage: with_slurm_cluster.sh COMMAND [ARG...]" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || not_run "a private Slurm needs root here (SlurmUser=root, munged's key)"
for tool in munged mungekey slurmctld slurmd sbatch squeue scontrol sinfo scancel python3; do
    command -v "$tool" >/dev/null || {
        echo "FAIL: $tool is missing: run scripts/setup.sh (Debian packages slurm-wlm, munge)" >&2
        exit 1
    }
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/collapipe-slurm.XXXXXX")
chmod 0755 "$dir" # munged checks that every user may reach its socket
mkdir -p "$dir/run" "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
chmod 0700 "$dir/munge" "$dir/state" "$dir/spool"
started=$SECONDS

print_logs() {
    local f
    for f in "$dir"/log/*; do
        [ -f "$f" ] || continue
        echo "----- $f (last 60 lines)"
        tail -n 60 "$f"
    done
}

# The daemons run in the foreground as children of this script (-F, -D): it knows their pids and
# reaps them. Daemonised, they would be orphans whose parent in a container may never reap them,
# and a zombie still answers `kill -0`.
declare -A pids=()
start_daemon() { # name command...
    local name=$1
    shift
    "$@" >"$dir/log/$name.out" 2>&1 &
    pids[$name]=$!
}

stop_daemon() {
    local pid=${pids[$1]:-}
    [ -n "$pid" ] || return 0
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "with_slurm_cluster.sh: $1 (pid $pid) ignored SIGTERM for 5 s: SIGKILL" >&2
        kill -9 "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    # Jobs first (their slurmstepd would outlive slurmd), then the daemons, newest first.
    if [ -n "${pids[slurmctld]:-}" ]; then
        scancel --quiet --full $(squeue -h -o %A 2>/dev/null) 2>/dev/null || true
        for _ in $(seq 1 50); do
            [ -z "$(squeue -h -o %A 2>/dev/null)" ] && break
            sleep 0.1
        done
    fi
    stop_daemon slurmd
    stop_daemon slurmctld
    stop_daemon munged
    if [ "$status" -ne 0 ]; then
        echo "with_slurm_cluster.sh: failed (exit $status); the daemons' logs:" >&2
        print_logs >&2
    fi
    rm -rf "$dir"
    echo "with_slurm_cluster.sh: cluster up and down in $((SECONDS - started)) s"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# munge: a fresh key and a socket of our own.
mungekey --create --keyfile="$dir/munge/munge.key"
start_daemon munged munged --foreground --key-file="$dir/munge/munge.key" \
    --socket="$dir/run/munge.sock" --pid-file="$dir/run/munged.pid" \
    --seed-file="$dir/munge/seed" --log-file="$dir/log/munged.log"

read -r ctld_port slurmd_port < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))')
host=$(hostname -s)
cpus=$(nproc)
export SLURM_CONF="$dir/slurm.conf"
cat >"$SLURM_CONF" <<CONF
# A private single-node cluster for one test run (tests/experiment/slurm/with_slurm_cluster.sh).
ClusterName=collapipe-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/run/munge.sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/builtin
SchedulerParameters=batch_sched_delay=0
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
SlurmdParameters=config_overrides
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

for _ in $(seq 1 50); do # slurmctld checks munge at start: wait for its socket
    [ -S "$dir/run/munge.sock" ] && break
    sleep 0.1
done
start_daemon slurmctld slurmctld -D -f "$SLURM_CONF"
start_daemon slurmd slurmd -D -f "$SLURM_CONF" -N "$host"
state=""
for _ in $(seq 1 100); do
    state=$(sinfo -h -o %T 2>/dev/null || true)
    [ "$state" = idle ] && break
    for name in munged slurmctld slurmd; do
        if ! kill -0 "${pids[$name]}" 2>/dev/null; then
            echo "FAIL: $name exited at start (its log below)" >&2
            exit 1
        fi
    done
    sleep 0.1
done
if [ "$state" != idle ]; then
    echo "FAIL: the node is not idle 10 s after the start (state '${state:-no answer}')" >&2
    exit 1
fi
echo "with_slurm_cluster.sh: node $host ($cpus CPUs) idle after $((SECONDS - started)) s;" \
    "SLURM_CONF=$SLURM_CONF"

"$@"
