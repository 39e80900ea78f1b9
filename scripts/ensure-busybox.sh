#!/bin/sh
# The capture script's tests run it under Debian's busybox (sh, tar, gzip
# and the other applets, nothing else on PATH), the closest thing here to a
# small device. Installs it (package busybox) when it is missing; fails with
# a clear message where it cannot.
set -eu
[ -x /usr/bin/busybox ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "memsnap tests: /usr/bin/busybox is missing and there is no apt-get: install BusyBox by hand" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "memsnap tests: installing Debian's busybox (the capture script's tests run it)" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends busybox >/dev/null
