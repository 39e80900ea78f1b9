#!/bin/sh
# The parity tests run Debian's smem, the reference memsnap must match.
# Installs it (package smem) when it is missing; fails with a clear
# message where it cannot.
set -eu
[ -x /usr/bin/smem ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "memsnap tests: /usr/bin/smem is missing and there is no apt-get: install smem 1.5 by hand" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "memsnap tests: installing Debian's smem (the reference the tests compare with)" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends smem >/dev/null
