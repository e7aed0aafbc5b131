#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Configures and builds into a build folder. usage: build.sh BUILD_DIR [extra cmake -D options...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
shift || true
# ccache (when installed) makes a rebuild of unchanged sources a cache hit; it never changes results.
launcher=()
if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" "$@" >/dev/null
cmake --build "$build" --parallel "$(nproc)"
