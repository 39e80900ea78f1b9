#!/bin/sh
# The programs the tests run beside memsnap, from Debian's packages:
#   smem          the reference the parity tests compare with (/usr/bin/smem)
#   busybox       the capture script's tests run it as a small device's sh, tar and gzip
#   poppler-utils pdfinfo, pdffonts, pdftoppm: the chart tests read memsnap's PDFs
#   ghostscript   gs: the chart tests read memsnap's EPS files
#   prometheus    prometheus, promtool: the serve tests scrape memsnap serve with a real server
#   openssl       the serve tests make a self-signed certificate
#   curl          the serve TLS test fetches over HTTPS with the certificate as its CA
#   tmux          memsnap top's tests run it in a tmux pane and read the screen
#   chromium      the web UI's browser tests drive it headless (puppeteer-core downloads none)
# Installs the missing ones in one apt-get run; fails with a clear message
# where it cannot.
set -eu
missing=""
[ -x /usr/bin/smem ] || missing="$missing smem"
[ -x /usr/bin/busybox ] || missing="$missing busybox"
command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v gs >/dev/null 2>&1 || missing="$missing ghostscript"
command -v promtool >/dev/null 2>&1 || missing="$missing prometheus"
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
command -v curl >/dev/null 2>&1 || missing="$missing curl"
command -v tmux >/dev/null 2>&1 || missing="$missing tmux"
[ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "memsnap tests: missing Debian packages:$missing, and there is no apt-get: install them by hand" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "memsnap tests: installing Debian's$missing (the tests run them)" >&2
$SUDO apt-get update -qq
# shellcheck disable=SC2086 # one word per package
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
