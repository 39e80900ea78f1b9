#!/bin/sh
# memsnap capture script @VERSION@: writes one memsnap snapshot, a tar.gz in
# smem's layout (memsnap -S and smem read it), with nothing but a POSIX sh,
# tar and gzip; BusyBox's are enough. Printed by `memsnap capture-script`.
#
# Usage: sh capture.sh [-o FILE|-] [-d full|rollup]
#        sh capture.sh --to http://COLLECTOR:PORT [--every TIME] [--count N]
#                      [--token-file FILE] [--ca-file FILE] [--spool DIR]
#                      [--spool-max N] [-d ..]
#   -o FILE  the archive to write (default: memsnap-HOST-TIME.tar.gz here);
#            -o - writes it to standard output
#   -d       full: every mapping (PID/smaps); rollup: one record per process
#            (PID/smaps_rollup, Linux 4.14+), a fraction of the size
#   --to URL push each snapshot to `memsnap serve --receive` at URL, every
#            TIME (5s, 1m; default: once), N times (default: until killed).
#            The token comes from MEMSNAP_TOKEN or --token-file, never from
#            the command line. Snapshots wait in the spool (default
#            $TMPDIR/memsnap-spool, at most --spool-max, default 100, the
#            oldest dropped beyond) until sent. Sends with curl if there is
#            one (https too), else with nc (http only; BusyBox's will do).
#            --ca-file FILE: trust the certificates in FILE (PEM) for https,
#            as curl --cacert (a collector's own certificate).
# Environment: PROC reads another /proc tree (default /proc), ETC another
# passwd and group (default /etc), TMPDIR holds the working copy.
# Run it as root: another user's memory cannot be read otherwise.
set -u
umask 077
PRODUCER='memsnap capture-script @VERSION@'
DETAIL='@DETAIL@'
PROC=${PROC:-/proc}
ETC=${ETC:-/etc}
me=${0##*/}
out=
tmp=
partial=
direct=

say() { printf '%s: %s\n' "$me" "$*" >&2; }
die() {
  say "$*"
  exit 1
}
usage() {
  printf 'Usage: sh %s [-o FILE|-|--to URL [--every TIME] [--count N] [--token-file FILE] [--ca-file FILE] [--spool DIR] [--spool-max N]] [-d full|rollup]\n' "$me" >&2
  exit "$1"
}
cleanup() {
  [ -n "$tmp" ] && rm -rf "$tmp"
  [ -n "$partial" ] && rm -f "$partial"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

to= every= count= token_file= ca_file= spool= spool_max=100

# Push mode (--to): captures by running this script again into the spool,
# then sends the spool oldest first; what cannot be sent stays for the next
# round. The token is put in a file of the working directory (mode 600) or
# in the request written to nc: never on any command line.
push_mode() {
  [ -z "$out" ] || die "Options \"-o\" and \"--to\" contradict each other: choose one"
  case $to in
  http://* | https://*) ;;
  *) die "\"--to $to\": expected http://HOST:PORT or https://HOST:PORT" ;;
  esac
  token=${MEMSNAP_TOKEN-}
  if [ -n "$token_file" ]; then
    { IFS= read -r token <"$token_file"; } 2>/dev/null || die "Cannot read the token file \"$token_file\""
  fi
  [ -n "$token" ] || die "\"--to\" needs the receiver's token: MEMSNAP_TOKEN or --token-file FILE"
  if [ -n "$ca_file" ]; then
    case $to in https://*) ;; *) die "\"--ca-file\" applies to https:// URLs, not \"$to\"" ;; esac
    [ -r "$ca_file" ] || die "Cannot read the certificate file \"$ca_file\""
  fi
  case $count in '' | *[!0-9]*) [ -z "$count" ] || die "\"--count $count\": expected a whole number" ;; esac
  case $spool_max in '' | *[!0-9]* | 0) die "\"--spool-max $spool_max\": expected a whole number >= 1" ;; esac
  secs=
  if [ -n "$every" ]; then
    secs=${every%s}
    case $every in *m) secs=$((${every%m} * 60)) ;; *h) secs=$((${every%h} * 3600)) ;; esac
    case $secs in '' | *[!0-9]* | 0) die "\"--every $every\": expected a time such as 5s, 1m, 1h" ;; esac
  fi
  if command -v curl >/dev/null 2>&1; then
    via=curl
  elif command -v nc >/dev/null 2>&1; then
    via=nc
    case $to in https://*) die "Cannot send to $to with nc: https needs curl" ;; esac
    hostport=${to#http://}
    hostport=${hostport%%/*}
    nc_host=${hostport%:*}
    nc_port=${hostport##*:}
    [ "$nc_port" != "$hostport" ] || nc_port=80
  else
    die "Cannot send: no curl and no nc (BusyBox's nc will do)"
  fi
  spool=${spool:-${TMPDIR:-/tmp}/memsnap-spool}
  mkdir -p "$spool" 2>/dev/null || die "Cannot make the spool \"$spool\""
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/memsnap.XXXXXX" 2>/dev/null) || die "Cannot make a working directory"
  printf 'Authorization: Bearer %s\n' "$token" >"$tmp/header"
  n=0
  while :; do
    n=$((n + 1))
    stamp=$(date -u '+%Y%m%dT%H%M%SZ' 2>/dev/null) || stamp=undated
    file=$spool/$stamp-$(printf '%06d' "$n").tar.gz
    sh "$0" -d "$DETAIL" -o "$file" || say "A capture failed: nothing spooled this round"
    # Bounded: the oldest go first.
    set -- "$spool"/*.tar.gz
    while [ $# -gt "$spool_max" ]; do
      rm -f "$1" && say "Spool full ($spool_max): dropped ${1##*/}, never sent"
      shift
    done
    for f in "$spool"/*.tar.gz; do
      [ -f "$f" ] || continue
      if send "$f"; then
        rm -f "$f"
      else
        say "Cannot send ${f##*/} to $to: kept in the spool for the next round"
        break
      fi
    done
    [ -n "$count" ] && [ "$n" -ge "$count" ] && break
    [ -n "$secs" ] || break
    sleep "$secs"
  done
  exit 0
}

# Sends one archive; true when the receiver answered 200.
send() {
  if [ "$via" = curl ]; then
    curl -fsS -o /dev/null -H @"$tmp/header" -H 'Content-Type: application/gzip' \
      ${ca_file:+--cacert} ${ca_file:+"$ca_file"} \
      --data-binary @"$1" "$to/api/v1/push" 2>/dev/null
    return
  fi
  set -- "$1" $(ls -ln "$1")
  _size=$6
  rm -f "$tmp/answer" "$tmp/closed"
  # The request stays open until the answer has come or nc has ended (at
  # most 60 s): a receiver may drop an answer to a half-closed connection.
  {
    printf 'POST /api/v1/push HTTP/1.0\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/gzip\r\nContent-Length: %s\r\n\r\n' \
      "$hostport" "$token" "$_size"
    cat "$1"
    _i=0
    while [ ! -s "$tmp/answer" ] && [ ! -e "$tmp/closed" ] && [ $_i -lt 300 ]; do
      sleep 0.2 2>/dev/null || sleep 1
      _i=$((_i + 1))
    done
  } 2>/dev/null | {
    nc "$nc_host" "$nc_port" >"$tmp/answer" 2>/dev/null
    printf '' >"$tmp/closed"
  }
  _status=
  { read -r _ _status _ <"$tmp/answer"; } 2>/dev/null
  [ "$_status" = 200 ]
}

while [ $# -gt 0 ]; do
  case $1 in
  -o | -d | --to | --every | --count | --token-file | --ca-file | --spool | --spool-max)
    [ $# -ge 2 ] || { say "Option \"$1\" needs a value" && usage 2; }
    case $1 in
    -o) out=$2 ;;
    -d) DETAIL=$2 ;;
    --to) to=${2%/} ;;
    --every) every=$2 ;;
    --count) count=$2 ;;
    --token-file) token_file=$2 ;;
    --ca-file) ca_file=$2 ;;
    --spool) spool=$2 ;;
    --spool-max) spool_max=$2 ;;
    esac
    shift 2
    ;;
  -h | --help) usage 0 ;;
  *) say "Unexpected argument \"$1\"" && usage 2 ;;
  esac
done
case $DETAIL in
full) memory=smaps ;;
rollup) memory=smaps_rollup ;;
*) say "Unknown detail \"$DETAIL\": expected \"full\" or \"rollup\"" && usage 2 ;;
esac
if [ -n "$to" ]; then
  push_mode # Never returns.
fi
command -v tar >/dev/null 2>&1 || die "Cannot write an archive: no tar command (BusyBox's will do)"
[ -r "$PROC/meminfo" ] || die "Cannot read \"$PROC/meminfo\": is $PROC a mounted /proc?"

# J becomes $1 as a JSON string: quotes, backslashes and control characters
# escaped, other bytes (UTF-8) kept.
json() {
  _s=$1
  J=
  while [ -n "$_s" ]; do
    _r=${_s#?}
    _c=${_s%"$_r"}
    _s=$_r
    case $_c in
    '"' | '\') J="$J\\$_c" ;;
    [[:cntrl:]]) J="$J$(printf '\\u%04x' "'$_c")" ;;
    *) J="$J$_c" ;;
    esac
  done
  J="\"$J\""
}

# The time, once, in both forms.
if stamp=$(date -u '+%Y %m %d %H %M %S' 2>/dev/null); then
  set -- $stamp
  taken="\"$1-$2-$3T$4:$5:${6}Z\""
  compact="$1$2$3T$4$5${6}Z"
else
  taken=null compact=undated
fi
host=null name=unknown
if { read -r h <"$PROC/sys/kernel/hostname"; } 2>/dev/null && [ -n "$h" ]; then
  json "$h"
  host=$J
  name=$h
fi
kernel=null
if { read -r w1 w2 release _ <"$PROC/version"; } 2>/dev/null && [ "$w1 $w2" = "Linux version" ]; then
  json "$release"
  kernel=$J
fi

# Where the archive goes: checked before any work, written beside the
# target and renamed into place, so that a failure leaves no partial file.
if [ "$out" != - ]; then
  if [ -z "$out" ]; then
    safe=
    while [ -n "$name" ]; do
      r=${name#?}
      c=${name%"$r"}
      name=$r
      case $c in [A-Za-z0-9._-]) safe=$safe$c ;; *) safe=${safe}_ ;; esac
    done
    out=memsnap-$safe-$compact.tar.gz
  fi
  case $out in */*) dir=${out%/*} && dir=${dir:-/} ;; *) dir=. ;; esac
  [ -d "$dir" ] || die "Cannot write \"$out\": no directory \"$dir\""
  [ -d "$out" ] && die "Cannot write \"$out\": it is a directory"
  if [ -e "$out" ] && [ ! -f "$out" ]; then
    # A device or a pipe (/dev/null, a fifo): written into, never replaced.
    { printf '' >>"$out"; } 2>/dev/null || die "Cannot write \"$out\""
    direct=1
  else
    partial=$out.partial.$$
    # printf, not ":": a special builtin's failed redirection ends the shell.
    { printf '' >"$partial"; } 2>/dev/null || {
      partial=
      die "Cannot write \"$out\": cannot create a file in \"$dir\""
    }
  fi
elif [ -t 1 ]; then
  die "Refusing to write an archive to a terminal: redirect it, or use -o FILE"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/memsnap.XXXXXX" 2>/dev/null) || {
  tmp=${TMPDIR:-/tmp}/memsnap.$$
  mkdir "$tmp" 2>/dev/null || {
    tmp=
    die "Cannot make a working directory in \"${TMPDIR:-/tmp}\""
  }
}
snap=$tmp/snap
mkdir "$snap" || die "Cannot make a working directory in \"$tmp\""
cat "$PROC/meminfo" >"$snap/meminfo" || die "Cannot read \"$PROC/meminfo\""
cat "$PROC/version" >"$snap/version" 2>/dev/null || rm -f "$snap/version"

# STATE and START become the state and start time of the process whose stat
# line is $1: the same pid with another start time is another process.
start_of() {
  set -f
  set -- ${1##*') '}
  set +f
  STATE= START=
  [ $# -ge 20 ] || return 1
  STATE=$1
  shift 19
  START=$1
}

# OWNER becomes uid:gid of process $1's directory (copied to $snap/$1): from
# one ls of all of /proc, taken first (a fork per process costs more than
# the rest of its copy), else from its own, else from its copied status.
command -v ls >/dev/null 2>&1 && have_ls=1 || have_ls=
if [ -n "$have_ls" ] && ls -ln "$PROC" >"$tmp/owners" 2>/dev/null; then
  while read -r _ _ u g rest; do
    set -f
    set -- $rest
    set +f
    [ $# -gt 0 ] && eval "_n=\${$#}" || continue
    case $_n$u$g in *[!0-9]*) continue ;; esac # Digits only: safe to eval.
    eval "own_$_n=$u:$g"
  done <"$tmp/owners"
fi
owner_of() {
  eval "OWNER=\${own_$1-}"
  if [ -z "$OWNER" ] && [ -n "$have_ls" ]; then
    # The owner of /proc/PID, as smem and memsnap take it.
    set -- $(ls -ldn "$PROC/$1" 2>/dev/null)
    [ $# -ge 4 ] && OWNER=$3:$4
  elif [ -z "$OWNER" ]; then
    while read -r key _ eff _; do
      case $key in
      Uid:) OWNER=$eff ;;
      Gid:) OWNER=$OWNER:$eff && break ;;
      esac
    done <"$snap/$1/status"
  fi
  case $OWNER in *[!0-9:]* | :* | *: | '') return 1 ;; esac # Evaluated later.
}

# Copies one process into $snap/PID; on any failure leaves nothing there.
# Returns 1 when it exited (or was replaced) meanwhile, 2 when it cannot be
# read, 3 when it has no command line (a kernel thread, or a zombie).
copy_process() {
  p=$PROC/$1
  w=$snap/$1
  # Kernel threads are most processes on a small device: skip them without
  # a fork (the shell drops the NULs it reads).
  first=
  { IFS= read -r first <"$p/cmdline"; } 2>/dev/null
  [ -z "$first" ] && { [ -d "$p" ] && return 3 || return 1; }
  mkdir "$w" || return 2
  for f in stat cmdline status $memory; do
    cat "$p/$f" >"$w/$f" 2>/dev/null || {
      rm -rf "$w"
      [ -d "$p" ] && return 2
      return 1
    }
    [ "$f" = cmdline ] && [ ! -s "$w/cmdline" ] && rm -rf "$w" && return 3
  done
  # Linux without cgroups has no such file: then the member is missing.
  cat "$p/cgroup" >"$w/cgroup" 2>/dev/null || rm -f "$w/cgroup"
  owner_of "$1" || {
    rm -rf "$w"
    return 1
  }
  # Still the same process, and alive?
  read -r before <"$w/stat"
  start_of "$before"
  before=$START
  { read -r now <"$p/stat"; } 2>/dev/null && start_of "$now" || START=
  # A zombie's memory is gone: what was read of it may be cut short.
  case $STATE in [ZXx]*) START= ;; esac
  [ -n "$START" ] && [ "$START" = "$before" ] || {
    rm -rf "$w"
    return 1
  }
  # Owners and their processes, for one chown each.
  o=${OWNER%:*}_${OWNER#*:}
  eval "[ -n \"\${pids_$o-}\" ] || owners=\"\$owners \$o\"; pids_$o=\"\${pids_$o-} \$1\""
  return 0
}

copied=0 exited=0 unreadable=0 kthreads=0 unowned=0 owners=
for d in "$PROC"/[0-9]*; do
  pid=${d##*/}
  case $pid in *[!0-9]*) continue ;; esac
  copy_process "$pid"
  case $? in
  0) copied=$((copied + 1)) ;;
  1) exited=$((exited + 1)) ;;
  2) unreadable=$((unreadable + 1)) ;;
  *) kthreads=$((kthreads + 1)) ;;
  esac
done

# Each directory carries its process's owner, as smem's captures do: tar
# records it, with the user's name.
uids=' ' gids=' '
for o in $owners; do
  uids="$uids${o%_*} "
  gids="$gids${o#*_} "
  eval "set -- \$pids_$o"
  (cd "$snap" && chown -R "${o%_*}:${o#*_}" "$@") 2>/dev/null || unowned=$((unowned + $#))
done

# The page size: getconf, else the kernel's word in an smaps.
pagesize=null
if [ "$PROC" = /proc ] && p=$(getconf PAGESIZE 2>/dev/null) && [ -n "$p" ]; then
  pagesize=$p
else
  for f in "$PROC/self/smaps" "$snap"/[0-9]*/smaps; do
    [ -r "$f" ] || continue
    while read -r key value _; do
      [ "$key" = KernelPageSize: ] || continue
      case $value in '' | *[!0-9]*) continue ;; esac
      pagesize=$((value * 1024))
      break 2
    done <"$f"
  done
fi

# J becomes the JSON object of the names in FILE (passwd or group) of the ids in LIST.
names() {
  J=null
  [ -r "$1" ] || return 0
  _o=
  while IFS=: read -r _name _ _id _ || [ -n "$_name" ]; do
    case $2 in *" $_id "*) ;; *) continue ;; esac
    case $_o in *"\"$_id\":"*) continue ;; esac
    json "$_name"
    _o="$_o${_o:+, }\"$_id\": $J"
  done <"$1"
  J="{$_o}"
}
names "$ETC/passwd" "$uids"
users=$J
names "$ETC/group" "$gids"
groups=$J

printf '{"format": "memsnap-snapshot", "formatVersion": 1, "producer": "%s", "takenAt": %s, "hostname": %s, "kernel": %s, "pageSize": %s, "detail": "%s", "users": %s, "groups": %s}\n' \
  "$PRODUCER" "$taken" "$host" "$kernel" "$pagesize" "$DETAIL" "$users" "$groups" >"$snap/memsnap.json"

# memsnap.json first, then meminfo, version and the processes, in pid order.
set -- memsnap.json meminfo
[ -f "$snap/version" ] && set -- "$@" version
for d in "$snap"/[0-9]*; do [ -d "$d" ] && set -- "$@" "${d##*/}"; done
pack() {
  (cd "$snap" && tar cf - "$@") || printf "" >"$tmp/failed"
}
if command -v gzip >/dev/null 2>&1; then
  write() { pack "$@" | gzip -c; }
else
  say "No gzip command: writing an uncompressed tar (memsnap and smem read it too)"
  write() { pack "$@"; }
fi
if [ "$out" = - ]; then
  write "$@" || printf "" >"$tmp/failed"
elif [ -n "$direct" ]; then
  write "$@" >"$out" || printf "" >"$tmp/failed"
else
  write "$@" >"$partial" || printf "" >"$tmp/failed"
fi
[ -e "$tmp/failed" ] && die "Cannot write \"$out\": tar or gzip failed"
if [ -n "$partial" ]; then
  mv -f "$partial" "$out" || die "Cannot write \"$out\""
  partial=
fi

summary="$copied processes"
[ "$kthreads" -gt 0 ] && summary="$summary; $kthreads without a command line (kernel threads) left out"
[ "$exited" -gt 0 ] && summary="$summary; $exited exited while read, left out"
euid=
[ -r /proc/self/status ] && while read -r key _ eff _; do
  [ "$key" = Uid: ] && euid=$eff && break
done </proc/self/status
hint=
[ "$euid" = 0 ] || hint=" (run as root to include them)"
[ "$unreadable" -gt 0 ] && summary="$summary; $unreadable not readable, left out$hint"
[ "$unowned" -gt 0 ] && summary="$summary; $unowned recorded as yours, not their owner's (run as root to keep owners)"
[ "$out" = - ] && out="standard output" || out="\"$out\""
say "Wrote $out: $DETAIL detail, $summary"
