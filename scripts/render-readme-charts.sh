#!/bin/sh
# Renders the charts README.md shows, from fixtures, into docs/images/:
# a pie of the n60 capture's processes, the workload recording's timeline, and
# a diff of two of its snapshots (docs/charts.md).
set -eu
cd "$(dirname "$0")/.."
mkdir -p docs/images
deno run -A main.ts -S fixtures/captures/n60.tar.gz --pie name --no-unused \
  -o docs/images/pie-n60.png --force
deno run -A main.ts chart fixtures/charts/workload.tar.gz \
  -o docs/images/timeline-workload.png --force
deno run -A main.ts diff fixtures/charts/workload.tar.gz@14 fixtures/charts/workload.tar.gz@last \
  --bar --top 6 -o docs/images/diff-workload.png --force
