#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# README command 1: install, build, and open the Studio on the bundled default scenario.
# With no display, runs the same scenario headless with the CLI and prints a summary.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
# Only the two programs: the tests are command 2's job. Built for this machine's CPU (it runs
# here): the trainer's own kernels gain 5-10 % over the portable build the tests use.
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOLLAPIPE_NATIVE=ON >/dev/null
cmake --build "$root/build" --parallel "$(nproc)" --target collapipe collapipe-studio
scenario="$root/resources/scenarios/default.json"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$root/build/app/collapipe-studio" ]; then
    exec "$root/build/app/collapipe-studio" "$scenario"
fi
echo "run: no display; running $scenario headless with the CLI"
exec "$root/build/app/collapipe" run "$scenario" --db "$root/build/runs.sqlite" "$@"
