#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# README command 2: install, check the house rules, build with warnings as errors, run every test.
# The last lines are ctest's summary.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/setup.sh"
"$root/scripts/check_rules.sh"
build="$root/build-test"
"$root/scripts/build.sh" "$build" -DCOLLAPIPE_WERROR=ON
export QT_QPA_PLATFORM=offscreen
cd "$build"
ctest --output-on-failure --parallel "$(nproc)" --timeout 900
