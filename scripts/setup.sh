#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian 12 packages CollaPipe Studio needs; does nothing when all are present.
set -euo pipefail

packages=(
    g++ cmake ninja-build ccache pkg-config python3 clang-format
    qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite qt6-svg-dev
    libqcustomplot-dev libqcustomplot2.1-qt6
    libeigen3-dev libsqlite3-dev libblis-serial-dev
    xvfb xauth fonts-dejavu-core
    # Fuzzing (scripts/test.sh, tests/fuzz): clang's libFuzzer and sanitizer runtimes are in
    # libclang-rt-14-dev, only a Recommends of clang, so named here; llvm brings llvm-symbolizer
    # for readable stacks in clang's ASan/UBSan reports.
    clang libclang-rt-14-dev llvm
    # lld links every build's executables (cmake/CollaPipeTargets.cmake) several times faster than ld.
    lld
    # A private single-node Slurm for tests/experiment/tst_experiment_slurm (the submit script in
    # scripts/slurm/): controller, node daemon, sbatch/squeue/scontrol, and munge for their auth.
    # Installing them starts no daemon in a container (no systemd); the test starts its own.
    slurmctld slurmd slurm-client munge
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
