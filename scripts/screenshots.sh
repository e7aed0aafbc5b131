#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Screenshots of every Studio view at 1600 x 1000 and 1280 x 800, from the real main window in a
# real X server (xvfb-run): editor, validation, a live run with plots, the Gantt, the decision
# table, a replay, a comparison, the runs browser, the Pipeline Lab, the Experiments window
# (with one report figure) and a campus-day run mid-dropout.
#   usage: scripts/screenshots.sh OUTDIR [BUILD_DIR]   (BUILD_DIR defaults to build)
# The README's images in resources/screenshots/ are the 1600 x 1000 ones (and a few at 1280 x 800).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: screenshots.sh OUTDIR [BUILD_DIR]}
build=${2:-$root/build}
command -v xvfb-run >/dev/null || { echo "screenshots.sh: xvfb-run is missing (apt-get install xvfb xauth)" >&2; exit 1; }
cmake --build "$build" --target editor_screenshots studio_screenshots lab_screenshots \
    experiments_screenshots campus_screenshots -j2 >/dev/null
mkdir -p "$out"
for size in 1600x1000 1280x800; do
    w=${size%x*}
    h=${size#*x}
    suffix=""
    [ "$size" = 1600x1000 ] || suffix="-$size"
    screen=(-a -s "-screen 0 ${size}x24")
    # The editor window as a first run opens it (90 % of the screen), the run views at full size.
    QT_QPA_PLATFORM=xcb xvfb-run "${screen[@]}" "$build/tests/ui/editor_screenshots" "$out" \
        $((w * 9 / 10)) $((h * 9 / 10)) "$suffix"
    QT_QPA_PLATFORM=xcb xvfb-run "${screen[@]}" "$build/tests/ui_run/studio_screenshots" "$out" \
        "$size"
    QT_QPA_PLATFORM=xcb xvfb-run "${screen[@]}" "$build/tests/ui_lab/lab_screenshots" "$out" "$size"
    QT_QPA_PLATFORM=xcb xvfb-run "${screen[@]}" "$build/tests/ui_experiments/experiments_screenshots" \
        "$out" "$size"
    QT_QPA_PLATFORM=xcb xvfb-run "${screen[@]}" "$build/tests/ui_run/campus_screenshots" "$out" "$size"
done
# The canvas at scale (issue [7/7]): 100 clusters x 10 devices around 4 edge servers, edge offload
# on, at fit zoom and zoomed in, before and after a cost-only round (bench_canvas --shots).
cmake --build "$build" --target collapipe bench_canvas -j2 >/dev/null
scale_dir=$(mktemp -d)
sed 's/"edge_offload": false/"edge_offload": true/' "$root/resources/scenarios/default.json" \
    >"$scale_dir/base.json"
"$build/app/collapipe" generate --clusters 100 --devices-per-cluster 10 --edge-servers 4 \
    --base "$scale_dir/base.json" -o "$scale_dir/100x10.json" >/dev/null
QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" "$build/tests/bench/bench_canvas" \
    "$scale_dir/100x10.json" --frames 5 --shots "$scale_dir/shots" >/dev/null
for shot in fit-before fit-after zoomed-before zoomed-after; do
    cp "$scale_dir/shots/$shot.png" "$out/studio-canvas-scale-$shot-1280x800.png"
done
rm -rf "$scale_dir"
# 256-colour PNGs (ImageMagick, when installed): a third of the size, no visible difference on
# flat UI colours; keeps resources/screenshots/ small.
if command -v convert >/dev/null; then
    for f in "$out"/*.png; do
        convert "$f" -dither None -colors 256 "PNG8:$f"
    done
fi
ls -l "$out"/*.png
