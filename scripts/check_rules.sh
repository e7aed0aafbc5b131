#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# House rules a reader can check in seconds (style.md rules 1, 17, 20; the layering). Fails on the first broken one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
status=0

sources=$(git ls-files -- 'app/*' 'core/*' 'ui/*' 'tests/*' | grep -E '\.(cpp|h)$' || true)

if [ -n "$sources" ]; then
    if ! clang-format --dry-run --Werror $sources 2>/tmp/collapipe-format.log; then
        echo "check: clang-format finds unformatted files (run: clang-format -i <file>):" >&2
        grep -oE '^[^:]+\.(cpp|h)' /tmp/collapipe-format.log | sort -u | head -20 >&2
        status=1
    fi
fi

if grep -rlE '#include *<(Qt?Widgets|QWidget|QMainWindow|QGraphics[A-Za-z]*|qcustomplot\.h)' core 2>/dev/null; then
    echo "check: core/ must not include widgets or QCustomPlot (files above)" >&2
    status=1
fi

# The module layering of core/layering.txt: which include breaks which arrow.
if ! bash "$root/scripts/check_layering.sh" "$root"; then
    status=1
fi

allow="$root/scripts/long_files_allowlist.txt"
for f in $sources; do
    n=$(wc -l <"$f")
    if [ "$n" -gt 600 ] && ! grep -qxF "$f" "$allow" 2>/dev/null; then
        echo "check: $f has $n lines (> 600): split it by responsibility" >&2
        status=1
    fi
done
exit $status
