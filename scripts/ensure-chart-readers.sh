#!/bin/sh
# The chart tests validate memsnap's PDF and EPS output with real readers:
# poppler's pdfinfo, pdffonts and pdftoppm (package poppler-utils) and
# ghostscript's gs. Installs them when missing; fails with a clear message
# where it cannot.
set -eu
command -v pdftoppm >/dev/null 2>&1 && command -v gs >/dev/null 2>&1 && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "memsnap tests: pdftoppm or gs is missing and there is no apt-get: install poppler-utils and ghostscript by hand" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "memsnap tests: installing Debian's poppler-utils and ghostscript (the chart tests read PDF and EPS with them)" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends poppler-utils ghostscript >/dev/null
