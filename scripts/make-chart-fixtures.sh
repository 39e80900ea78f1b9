#!/bin/sh
# Makes fixtures/charts/workload.tar.gz: a recording (rollup detail, 250 ms,
# --tree) of four Python workers that grow at different rates, one leaving
# early, for the timeline chart's tests and README picture. Live data: a
# remake gives other numbers (and the tests' goldens must be remade with it:
# UPDATE_GOLDEN=1 deno test -A test/chart).
set -eu
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/work.sh" <<'WORK'
grow() {
  python3 -c '
import sys, time
mib, steps = int(sys.argv[1]), int(sys.argv[2])
keep = []
for _ in range(steps):
    block = bytearray(mib << 20)
    block[::4096] = b"x" * len(block[::4096])  # touch every page
    keep.append(block)
    time.sleep(0.25)
time.sleep(1)
' "$1" "$2"
}
grow 4 24 & grow 2 24 & grow 8 10 & grow 1 20 &
wait
WORK
mkdir -p fixtures/charts
deno run -A main.ts record -o fixtures/charts/workload.tar.gz --force -i 250ms --tree \
  -- sh "$work/work.sh"
