#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Says which arrow of core/layering.txt an #include breaks (the build also refuses it, through the
# include views of cmake/CollaPipeLayering.cmake, but with a bare "No such file"). usage:
# check_layering.sh [ROOT] (default: this checkout). Exit 0 when every core include follows the
# table, 1 otherwise, one line per broken include:
#   check: core/store/run_reader.h includes core/sim/session.h — store may depend on: types
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
table="$root/core/layering.txt"
if [ ! -f "$table" ]; then
    echo "check: $table is missing" >&2
    exit 1
fi

declare -A row   # module -> its row, as written
declare -A reach # module -> " itself and every module it may reach "
while IFS= read -r line || [ -n "$line" ]; do
    line=${line%%#*}
    [[ $line =~ ^[[:space:]]*$ ]] && continue
    if [[ ! $line =~ ^[[:space:]]*([a-z_]+):(.*)$ ]]; then
        echo "check: core/layering.txt: row '$line' is not 'module: deps...'" >&2
        exit 1
    fi
    module=${BASH_REMATCH[1]}
    deps=$(echo "${BASH_REMATCH[2]}" | xargs)
    row[$module]=$deps
    all=" $module "
    for dep in $deps; do
        # Lowest first: a row names only modules above it, so their reach is already known.
        if [ -z "${reach[$dep]+x}" ]; then
            echo "check: core/layering.txt: '$module' depends on '$dep', which has no row above it" >&2
            exit 1
        fi
        for r in ${reach[$dep]}; do
            [[ $all == *" $r "* ]] || all+="$r "
        done
    done
    reach[$module]=$all
done <"$table"

status=0
for dir in "$root"/core/*/; do
    module=$(basename "$dir")
    if [ -z "${reach[$module]+x}" ]; then
        echo "check: core/$module has no row in core/layering.txt" >&2
        status=1
        continue
    fi
    while IFS= read -r hit; do
        [ -n "$hit" ] || continue
        file=${hit%%:*}
        target=$(echo "$hit" | sed -E 's/.*#include *"(core\/[^"]+)".*/\1/')
        dep=$(echo "$target" | cut -d/ -f2)
        if [[ ${reach[$module]} != *" $dep "* ]]; then
            deps=${row[$module]:-}
            echo "check: ${file#"$root"/} includes $target — $module may depend on: ${deps:-nothing}" >&2
            status=1
        fi
    done < <(grep -rHE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"core/' "$dir" \
        --include='*.h' --include='*.cpp' || true)
done
exit $status
