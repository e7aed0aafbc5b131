#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Configures and builds into a build folder. usage: build.sh BUILD_DIR [extra cmake -D options...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
shift || true
# ccache (when installed) makes a rebuild of unchanged sources a cache hit; it never changes results.
# Paths are hashed relative to the checkout, so two clones share the cache.
launcher=()
if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=true
fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" "$@" >/dev/null
cmake --build "$build" --parallel "$(nproc)"
