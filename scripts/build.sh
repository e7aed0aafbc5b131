#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Configures and builds into a build folder. usage: build.sh BUILD_DIR [extra cmake -D options...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
shift || true
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$build" --parallel "$(nproc)"
