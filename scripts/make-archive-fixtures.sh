#!/bin/sh
# Makes fixtures/archives/v1-*.tar.gz: a capture and a recording in memsnap's
# archive format version 1, from the n8 capture. The tests read them back
# with every later memsnap, so that old files stay readable: do not remake
# them for a later format version; add v2-* files beside them instead.
set -eu
cd "$(dirname "$0")/.."
out=fixtures/archives
source=fixtures/captures/n8.tar.gz
mkdir -p "$out"
deno run -A main.ts capture -S "$source" --force -o "$out/v1-capture.tar.gz"
deno run -A main.ts record -S "$source" --force -o "$out/v1-recording.tar.gz" \
  --count 3 --interval 100ms --detail full
