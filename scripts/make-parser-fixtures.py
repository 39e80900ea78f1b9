#!/usr/bin/env python3
"""Makes the parser fixtures in fixtures/proc/ (see fixtures/proc/README.md).

    python3 scripts/make-parser-fixtures.py capture   # Linux, as root
    python3 scripts/make-parser-fixtures.py cgroup    # the cgroup inputs only
    python3 scripts/make-parser-fixtures.py invalid   # the derived number cases and invalid/ only
    python3 scripts/make-parser-fixtures.py expect

`capture` starts small python3 processes that set up the odd cases (a mapped
file whose name has spaces, a deleted file still mapped, a memfd, a comm with
parentheses, a rewritten argv...), copies their /proc files, kills exactly
the pids it started, and writes the captured inputs (NAME.txt, NAME.bin),
the inputs derived from them and the invalid/ inputs with their expected
error messages (NAME.error.txt, written by hand below).

`expect` writes every NAME.json from its input with the small readers of
this file. They follow proc(5) and never run memsnap's own parsers: a golden
file made by the code under test could not catch its bugs.
"""

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "proc"
PYTHON = "/usr/bin/python3"

# smaps field name -> memsnap's counter key (src/snapshot/counters.ts).
COUNTERS = {
    "Size": "size",
    "Rss": "rss",
    "Pss": "pss",
    "Pss_Anon": "pssAnon",
    "Pss_File": "pssFile",
    "Pss_Shmem": "pssShmem",
    "Pss_Dirty": "pssDirty",
    "Shared_Clean": "sharedClean",
    "Shared_Dirty": "sharedDirty",
    "Private_Clean": "privateClean",
    "Private_Dirty": "privateDirty",
    "Referenced": "referenced",
    "Anonymous": "anonymous",
    "AnonHugePages": "anonHugePages",
    "Swap": "swap",
    "SwapPss": "swapPss",
    "Locked": "locked",
}

# ---------------------------------------------------------------- capture

ODD_PROCESS = r'''
import ctypes, json, mmap, os, time
libc = ctypes.CDLL(None, use_errno=True)
here = "/tmp/memsnap fixture"
os.makedirs(here, exist_ok=True)

def address(m):
    return ctypes.addressof(ctypes.c_char.from_buffer(m))

def map_file(path, size, flags):
    with open(path, "wb") as f:
        f.write(b"m" * size)
    fd = os.open(path, os.O_RDWR)
    m = mmap.mmap(fd, size, flags=flags)
    os.close(fd)
    return m

private_anon = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS
spaced = map_file(here + "/my file.bin", 16384, mmap.MAP_SHARED)
spaced[0], spaced[8192]                      # two pages resident, clean
gone = map_file(here + "/gone.bin", 8192, mmap.MAP_PRIVATE)
gone[0:1] = b"x"                             # one page copied: private dirty
os.unlink(here + "/gone.bin")
newline = map_file(here + "/new\nline.bin", 4096, mmap.MAP_SHARED)
newline[0]
fd = os.memfd_create("memsnap-fixture")
os.ftruncate(fd, 8192)
memfd = mmap.mmap(fd, 8192)
memfd[0:4] = b"memf"
shared_anon = mmap.mmap(-1, 8192)            # MAP_SHARED: "/dev/zero (deleted)"
shared_anon[0] = 1
anon = mmap.mmap(-1, 65536, flags=private_anon, prot=mmap.PROT_READ)
locked = mmap.mmap(-1, 8192, flags=private_anon)
locked[0] = 1
assert libc.mlock(ctypes.c_void_p(address(locked)), ctypes.c_size_t(8192)) == 0
with open("/proc/self/comm", "w") as comm:
    comm.write("a) b (c")
print(json.dumps({"locked": address(locked)}), flush=True)
time.sleep(600)
'''

# Overwrites the whole argv area, as setproctitle(3) does. With NUL padding
# the last byte stays NUL; without, the kernel shows the title with no NUL.
RETITLE_PROCESS = r'''
import ctypes, time
text = open("/proc/self/stat").read()
fields = text[text.rindex(")") + 2:].split()
arg_start, arg_end = int(fields[48 - 3]), int(fields[49 - 3])  # proc(5) fields 48, 49
title = TITLE
size = arg_end - arg_start
if PAD_WITH_NUL:
    data = title + b"\0" * (size - len(title))
else:
    assert len(title) == size, (len(title), size)
    data = title
ctypes.memmove(arg_start, data, size)
print("{}", flush=True)
time.sleep(600)
'''

PADDED_COMM_PROCESS = r'''
import time
with open("/proc/self/comm", "w") as comm:
    comm.write(" lead) (x ")
print("{}", flush=True)
time.sleep(600)
'''

NO_NUL_TITLE = b"memsnap-fixture: argv rewritten by the process, with no final NUL byte"


def start(argv, env=None):
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, env=env)
    ready = process.stdout.readline()
    if not ready:
        raise SystemExit(f"{argv} did not start")
    return process, json.loads(ready)


def stop(process):
    os.kill(process.pid, signal.SIGKILL)  # exactly the pid we started
    process.wait()


def read(pid, name):
    with open(f"/proc/{pid}/{name}", "rb") as f:
        return f.read()


def write(relative, data):
    path = ROOT / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())


def records(smaps):
    """Splits smaps text into whole records (header line + field lines)."""
    out = []
    for line in smaps.splitlines(keepends=True):
        if is_header(line):
            out.append([line])
        else:
            out[-1].append(line)
    return out


def is_header(line):
    first = line.split(" ", 1)[0]
    return "-" in first and ":" not in first


def header_fields(line):
    parts = line.rstrip("\n").split(None, 5)
    return parts + [""] * (6 - len(parts))


def trim_odd_smaps(smaps, locked_address):
    """Keeps a representative subset of whole records, in file order."""
    kept, seen_anon, seen_python = [], False, False
    for record in records(smaps):
        span, perms, _, _, _, name = header_fields(record[0])
        start, end = (int(x, 16) for x in span.split("-"))
        keep = False
        if name.startswith(PYTHON) and not seen_python:
            keep = seen_python = True  # the executable's first mapping
        elif name.startswith("/tmp/memsnap fixture/") or name.startswith("/memfd:"):
            keep = True
        elif name in ("[heap]", "[stack]", "[vsyscall]", "[vdso]", "[vvar]"):
            keep = True
        elif name.startswith("/dev/zero"):
            keep = True
        elif name.endswith("/libc.so.6") and perms == "r-xp":
            keep = True
        elif name == "" and start <= locked_address < end:
            keep = True  # the mlock()ed anonymous mapping
        elif name == "" and not seen_anon and perms == "r--p":
            keep = seen_anon = True  # the read-only anonymous mapping
        if keep:
            kept.append("".join(record))
    return "".join(kept)


OLD_SMAPS_LINES = (
    "Pss_Dirty:", "KSM:", "LazyFree:", "ShmemPmdMapped:", "FilePmdMapped:",
    "Shared_Hugetlb:", "Private_Hugetlb:", "SwapPss:", "THPeligible:",
)
OLD_ROLLUP_LINES = OLD_SMAPS_LINES + ("Pss_Anon:", "Pss_File:", "Pss_Shmem:")


def without_lines(text, prefixes):
    return "".join(
        line for line in text.splitlines(keepends=True) if not line.startswith(prefixes)
    )


def capture():
    work = Path(tempfile.mkdtemp(prefix="memsnap-fixture-"))
    odd_script = work / "odd.py"
    odd_script.write_text(ODD_PROCESS)

    # A: odd mappings and an odd comm; two extra arguments, one with spaces,
    # one empty.
    odd, info = start([PYTHON, str(odd_script), "arg with spaces", ""])
    try:
        pid = odd.pid
        smaps = read(pid, "smaps").decode()
        rollup = read(pid, "smaps_rollup").decode()
        stat, status, cmdline = (read(pid, n) for n in ("stat", "status", "cmdline"))
    finally:
        stop(odd)
    trimmed = trim_odd_smaps(smaps, info["locked"])
    write("smaps/odd-mappings.txt", trimmed)
    write("smaps/old-kernel.txt", without_lines(trimmed, OLD_SMAPS_LINES))
    write("smaps_rollup/odd-mappings.txt", rollup)
    write("smaps_rollup/old-kernel.txt", without_lines(rollup, OLD_ROLLUP_LINES))
    write("smaps_rollup/empty.txt", b"")
    write("stat/odd-comm.txt", stat)
    write("status/odd-comm.txt", status)
    write("cmdline/arguments.bin", cmdline)

    # B: argv overwritten with a title that fills it, final NUL included;
    # no environment, so the kernel shows exactly the argv area.
    name_length = len(NO_NUL_TITLE) - (len(PYTHON) + 1) - (len(str(work)) + 1) - 1
    no_nul_script = work / ("r" * (name_length - 3) + ".py")
    assert len(PYTHON) + 1 + len(str(no_nul_script)) + 1 == len(NO_NUL_TITLE)
    no_nul_script.write_text(
        RETITLE_PROCESS.replace("TITLE", repr(NO_NUL_TITLE)).replace("PAD_WITH_NUL", "False")
    )
    retitled, _ = start([PYTHON, str(no_nul_script)], env={})
    try:
        write("cmdline/retitled-no-final-nul.bin", read(retitled.pid, "cmdline"))
    finally:
        stop(retitled)

    # C: argv overwritten with a short title padded with NULs.
    padded_script = work / "padded.py"
    padded_script.write_text(
        RETITLE_PROCESS.replace("TITLE", repr(b"memsnap: worker idle"))
        .replace("PAD_WITH_NUL", "True")
    )
    padded, _ = start([PYTHON, str(padded_script), "--worker", "1"])
    try:
        write("cmdline/retitled-nul-padded.bin", read(padded.pid, "cmdline"))
        write("stat/python.txt", read(padded.pid, "stat"))
    finally:
        stop(padded)

    # F: a comm with leading and trailing spaces.
    padded_comm, _ = start([PYTHON, "-c", PADDED_COMM_PROCESS])
    try:
        for name in ("stat", "status"):
            write(f"{name}/padded-comm.txt", read(padded_comm.pid, name))
    finally:
        stop(padded_comm)

    # D: a zombie (a child not yet waited for).
    zombie = subprocess.Popen(["/bin/true"])
    time.sleep(0.5)
    try:
        assert b") Z " in read(zombie.pid, "stat")
        for name in ("smaps", "stat", "status"):
            write(f"{name}/zombie.txt", read(zombie.pid, name))
        write("cmdline/zombie.bin", read(zombie.pid, "cmdline"))
    finally:
        zombie.wait()

    # E: a kernel thread (kthreadd), only read.
    for name in ("smaps", "stat", "status"):
        write(f"{name}/kernel-thread.txt", read(2, name))
    write("cmdline/kernel-thread.bin", read(2, "cmdline"))

    write("meminfo/this-machine.txt", Path("/proc/meminfo").read_bytes())
    write("version/this-machine.txt", Path("/proc/version").read_bytes())

    for path in work.iterdir():
        path.unlink()
    work.rmdir()
    for path in Path("/tmp/memsnap fixture").iterdir():
        path.unlink()
    Path("/tmp/memsnap fixture").rmdir()
    capture_cgroup()
    make_invalid()
    make_numbers()


# A v2-only system (systemd's unified layout), written by hand: this machine
# is hybrid. The second path holds a colon, which cgroup paths may.
V2_ONLY_CGROUP = "0::/user.slice/user-1000.slice/user@1000.service/app.slice/firefox.scope\n"
COLON_CGROUP = "0::/system.slice/a:b.service\n"


def capture_cgroup():
    """This process's cgroup file (the machine's layout) and a kernel thread's."""
    write("cgroup/this-machine.txt", read(os.getpid(), "cgroup"))
    write("cgroup/kernel-thread.txt", read(2, "cgroup"))
    write("cgroup/v2-only.txt", V2_ONLY_CGROUP)
    write("cgroup/path-with-colon.txt", COLON_CGROUP)
    write("cgroup/empty.txt", "")
    make_invalid_cgroup()


def make_invalid_cgroup():
    lines = lines_of("cgroup/this-machine.txt")
    invalid(
        "cgroup/invalid/no-path",
        "".join(lines[:1] + ["4:memory\n"] + lines[2:]),
        'Cannot parse "no-path/cgroup": line 2: expected "hierarchy-ID:controllers:/path"',
    )
    invalid(
        "cgroup/invalid/relative-path",
        "0::user.slice\n",
        'Cannot parse "relative-path/cgroup": line 1: expected "hierarchy-ID:controllers:/path"',
    )
    invalid(
        "cgroup/invalid/id-not-a-number",
        "".join(lines[:-1] + ["x::/\n"]),
        f'Cannot parse "id-not-a-number/cgroup": line {len(lines)}: '
        'expected "hierarchy-ID:controllers:/path"',
    )
    invalid(
        "cgroup/invalid/blank-line",
        "".join(lines[:1] + ["\n"] + lines[1:]),
        'Cannot parse "blank-line/cgroup": line 2: expected "hierarchy-ID:controllers:/path"',
    )


def lines_of(relative):
    return (ROOT / relative).read_text().splitlines(keepends=True)


def invalid(relative, text, message):
    write(f"{relative}.txt", text)
    write(f"{relative}.error.txt", message + "\n")


def make_invalid():
    smaps = records((ROOT / "smaps/odd-mappings.txt").read_text())
    first, second = "".join(smaps[0]), "".join(smaps[1])
    invalid(
        "smaps/invalid/field-before-header",
        "".join(smaps[0][1:]) + second,
        'Cannot parse "field-before-header/smaps": line 1: field before any mapping header',
    )
    # Line 7 is Pss_Dirty: its unit cut off.
    assert smaps[0][6].startswith("Pss_Dirty:")
    bad = smaps[0][:6] + [smaps[0][6].replace(" kB", "")] + smaps[0][7:]
    invalid(
        "smaps/invalid/value-without-unit",
        "".join(bad),
        'Cannot parse "value-without-unit/smaps": line 7: expected "Key: value kB"',
    )
    # A copy cut in the middle of the second header line.
    invalid(
        "smaps/invalid/truncated-header",
        first + smaps[1][0][:30] + "\n",
        f'Cannot parse "truncated-header/smaps": line {len(smaps[0]) + 1}: '
        'expected a mapping header "start-end perms offset dev inode [name]"',
    )
    invalid(
        "smaps/invalid/blank-line",
        first + "\n" + second,
        f'Cannot parse "blank-line/smaps": line {len(smaps[0]) + 1}: '
        'expected a mapping header "start-end perms offset dev inode [name]"',
    )

    rollup = (ROOT / "smaps_rollup/odd-mappings.txt").read_text()
    invalid(
        "smaps_rollup/invalid/two-records",
        rollup + rollup,
        'Cannot parse "two-records/smaps_rollup": expected one [rollup] record',
    )
    rollup_lines = rollup.splitlines(keepends=True)
    invalid(
        "smaps_rollup/invalid/field-before-header",
        "".join(rollup_lines[1:]),
        'Cannot parse "field-before-header/smaps_rollup": line 1: field before any mapping header',
    )
    assert rollup_lines[1].startswith("Rss:")
    invalid(
        "smaps_rollup/invalid/negative-value",
        rollup_lines[0] + re.sub(r" (\d)", r"-\1", rollup_lines[1], count=1)
        + "".join(rollup_lines[2:]),
        'Cannot parse "negative-value/smaps_rollup": line 2: expected "Key: value kB"',
    )

    stat = (ROOT / "stat/zombie.txt").read_text()
    pid, rest = stat.split(" ", 1)
    invalid(
        "stat/invalid/no-parentheses",
        stat.replace("(", "").replace(")", ""),
        'Cannot parse "no-parentheses/stat": line 1: expected "pid (name) state ..."',
    )
    state_end = stat.index(")") + 3
    invalid(
        "stat/invalid/truncated-after-state",
        stat[:state_end] + "\n",
        'Cannot parse "truncated-after-state/stat": line 1: expected a number for ppid',
    )
    fields = stat.split(" ")
    invalid(
        "stat/invalid/truncated-before-starttime",
        " ".join(fields[:21]) + "\n",
        'Cannot parse "truncated-before-starttime/stat": line 1: expected a number for starttime',
    )
    invalid(
        "stat/invalid/pid-not-a-number",
        "self " + rest,
        'Cannot parse "pid-not-a-number/stat": line 1: expected "pid (name) state ..."',
    )

    status = lines_of("status/kernel-thread.txt")
    uid_line = next(i for i, line in enumerate(status) if line.startswith("Uid:"))
    gid_line = next(i for i, line in enumerate(status) if line.startswith("Gid:"))
    invalid(
        "status/invalid/missing-uid",
        "".join(status[:uid_line] + status[uid_line + 1:]),
        'Cannot parse "missing-uid/status": missing the "Uid" line',
    )
    invalid(
        "status/invalid/three-gids",
        "".join(status[:gid_line] + ["Gid:\t0\t0\t0\n"] + status[gid_line + 1:]),
        f'Cannot parse "three-gids/status": line {gid_line + 1}: expected four ids after "Gid:"',
    )
    invalid(
        "status/invalid/line-without-colon",
        "".join(status[:2] + ["State\n"] + status[3:]),
        'Cannot parse "line-without-colon/status": line 3: expected "Key: value"',
    )
    ppid_line = next(i for i, line in enumerate(status) if line.startswith("PPid:"))
    invalid(
        "status/invalid/ppid-not-a-number",
        "".join(status[:ppid_line] + ["PPid:\t-1\n"] + status[ppid_line + 1:]),
        f'Cannot parse "ppid-not-a-number/status": line {ppid_line + 1}: '
        'expected a number after "PPid:"',
    )

    meminfo = lines_of("meminfo/this-machine.txt")
    invalid(
        "meminfo/invalid/value-in-mb",
        "".join(meminfo[:2] + [meminfo[2].replace(" kB", " MB")] + meminfo[3:6]),
        'Cannot parse "meminfo": line 3: expected "Key: value kB"',
    )
    invalid(
        "meminfo/invalid/missing-value",
        "".join(meminfo[:1] + ["MemFree:\n"] + meminfo[2:6]),
        'Cannot parse "meminfo": line 2: expected "Key: value kB"',
    )
    invalid(
        "meminfo/invalid/blank-line",
        "".join(meminfo[:3] + ["\n"] + meminfo[3:6]),
        'Cannot parse "meminfo": line 4: expected "Key: value kB"',
    )

    invalid(
        "version/invalid/empty",
        "",
        'Cannot parse "version": line 1: expected "Linux version RELEASE ..."',
    )
    invalid(
        "version/invalid/not-linux",
        "Darwin Kernel Version 23.6.0: Mon Jul 29 21:14:30 PDT 2024\n",
        'Cannot parse "version": line 1: expected "Linux version RELEASE ..."',
    )


# Numbers a kernel cannot print, and text cut inside a line: derived from the
# captured inputs, one change each.
TWO_TO_THE_64 = str(2**64)
FOUR_HUNDRED_DIGITS = "1" * 400


def make_numbers():
    smaps = records((ROOT / "smaps/odd-mappings.txt").read_text())
    first, second = "".join(smaps[0]), "".join(smaps[1])
    header = smaps[0][0]
    inode = header.split()[4]
    # overlayfs (xino) sets the top bits of inode numbers: 2^63 + 1 is a
    # real kernel value, above what a double holds exactly.
    write(
        "smaps/large-inode.txt",
        header.replace(f" {inode} ", f" {2**63 + 1} ", 1) + "".join(smaps[0][1:]) + second,
    )
    invalid(
        "smaps/invalid/inode-above-2-64",
        header.replace(f" {inode} ", f" {TWO_TO_THE_64} ", 1) + "".join(smaps[0][1:]),
        f'Cannot parse "inode-above-2-64/smaps": line 1: inode {TWO_TO_THE_64} is above 2^64 - 1',
    )
    rss = next(i for i, line in enumerate(smaps[0]) if line.startswith("Rss:"))
    for name, digits, shown in (
        ("value-2-64", TWO_TO_THE_64, f"{TWO_TO_THE_64} kB"),
        ("value-400-digits", FOUR_HUNDRED_DIGITS, "a 400-digit value"),
    ):
        bad = smaps[0][:rss] + [f"Rss:            {digits} kB\n"] + smaps[0][rss + 1:]
        invalid(
            f"smaps/invalid/{name}",
            "".join(bad),
            f'Cannot parse "{name}/smaps": line {rss + 1}: "Rss": {shown} '
            "is above 2^53 - 1, more than any kernel reports",
        )
    # A copy cut inside the second header line: its mapping name cut short,
    # and no line after it.
    cut = first + smaps[1][0][:-9]
    invalid(
        "smaps/invalid/cut-inside-a-line",
        cut,
        f'Cannot parse "cut-inside-a-line/smaps": line {len(smaps[0]) + 1}: '
        "cut short: the line has no newline at its end",
    )
    rollup = lines_of("smaps_rollup/odd-mappings.txt")
    invalid(
        "smaps_rollup/invalid/cut-inside-a-line",
        "".join(rollup[:-1]) + rollup[-1][:8],
        f'Cannot parse "cut-inside-a-line/smaps_rollup": line {len(rollup)}: '
        "cut short: the line has no newline at its end",
    )

    meminfo = lines_of("meminfo/this-machine.txt")
    assert meminfo[0].startswith("MemTotal:")
    invalid(
        "meminfo/invalid/memtotal-2-64",
        f"MemTotal:       {TWO_TO_THE_64} kB\n" + "".join(meminfo[1:6]),
        f'Cannot parse "meminfo": line 1: "MemTotal": {TWO_TO_THE_64} kB '
        "is above 2^53 - 1, more than any kernel reports",
    )
    # "MemFree: 2388" of "MemFree: 23880456 kB" would read as 2388 kB.
    invalid(
        "meminfo/invalid/cut-inside-a-line",
        meminfo[0] + meminfo[1][:20],
        'Cannot parse "meminfo": line 2: cut short: the line has no newline at its end',
    )

    stat = (ROOT / "stat/python.txt").read_text()
    fields = stat.split(" ")
    # Field 22 (starttime): the 20th after the name's closing parenthesis.
    fields[21] = TWO_TO_THE_64
    invalid(
        "stat/invalid/starttime-2-64",
        " ".join(fields),
        f'Cannot parse "starttime-2-64/stat": line 1: starttime: {TWO_TO_THE_64} '
        "is above 2^53 - 1, more than any kernel reports",
    )
    invalid(
        "stat/invalid/pid-with-leading-zero",
        "0" + stat,
        'Cannot parse "pid-with-leading-zero/stat": line 1: expected "pid (name) state ..."',
    )

    status = lines_of("status/odd-comm.txt")
    uid_line = next(i for i, line in enumerate(status) if line.startswith("Uid:"))
    invalid(
        "status/invalid/uid-2-32",
        "".join(status[:uid_line] + [f"Uid:\t{2**32}\t0\t0\t0\n"] + status[uid_line + 1:]),
        f'Cannot parse "uid-2-32/status": line {uid_line + 1}: expected four ids after "Uid:"',
    )


# ----------------------------------------------------------------- expect
# Readers after proc(5), written apart from memsnap's parsers.


def expect_smaps(text):
    # Keyed by start address, as smem keys them: a mapping the kernel printed
    # twice (it changed while the file was read) keeps its last record, in
    # the place of its first.
    mappings = {}
    for line in text.splitlines():
        if is_header(line):
            span, perms, offset, device, inode, name = header_fields(line)
            start, end = span.split("-")
            counters = {}
            mappings[start] = ({
                "start": start, "end": end, "perms": perms, "offset": offset,
                "device": device, "inode": inode, "name": name,
                "counters": counters,
            })
            continue
        key, value = line.split(":", 1)
        if key in COUNTERS:
            number, unit = value.split()
            assert unit == "kB", line
            counters[COUNTERS[key]] = int(number)
    return list(mappings.values())


def expect_smaps_rollup(text):
    mappings = expect_smaps(text)
    assert len(mappings) <= 1
    if not mappings:
        return None
    assert mappings[0]["name"] == "[rollup]"
    return mappings[0]["counters"]


def expect_stat(text):
    pid, rest = text.split(" (", 1)
    name, after = rest.rsplit(") ", 1)
    fields = [None, None, None] + after.split()  # fields[n] is field n of proc(5)
    return {
        "pid": int(pid), "name": name, "state": fields[3], "ppid": int(fields[4]),
        "utime": int(fields[14]), "stime": int(fields[15]), "startTime": int(fields[22]),
    }


def expect_status(text):
    values = {}
    for line in text.splitlines():
        key, value = line.split(":\t", 1) if ":\t" in line else line.split(":", 1)
        values[key] = value
    memory = {}
    for key, value in values.items():
        if key.startswith(("Vm", "Rss")) and value.strip().endswith(" kB"):
            memory[key] = int(value.split()[0])
    return {
        "name": values["Name"],
        "ppid": int(values["PPid"]),
        "uids": [int(x) for x in values["Uid"].split()],
        "gids": [int(x) for x in values["Gid"].split()],
        "memory": memory,
    }


def expect_cmdline(data):
    if data == b"":
        return []
    arguments = data.split(b"\0")
    if data.endswith(b"\0"):
        arguments.pop()
    return [argument.decode() for argument in arguments]


def expect_cgroup(text):
    result = []
    for line in text.splitlines():
        hierarchy, controllers, path = line.split(":", 2)
        result.append({
            "hierarchy": int(hierarchy),
            "controllers": controllers.split(",") if controllers else [],
            "path": path,
        })
    return result


def expect_meminfo(text):
    fields = {}
    for line in text.splitlines():
        key, value = line.split(":", 1)
        fields[key] = int(value.split()[0])
    return fields


def expect_version(text):
    words = text.split()
    assert words[:2] == ["Linux", "version"]
    return words[2]


def expect_id_names(text):
    """As glibc's files backend: blank and '#' lines skipped, NIS +/- too."""
    names = []
    for line in text.split("\n"):
        line = line.lstrip(" \t")
        if line == "" or line.startswith(("#", "+", "-")):
            continue
        fields = line.split(":")
        if len(fields) < 4 or fields[0] == "" or not fields[2].isdigit():
            continue
        if int(fields[2]) not in (id for id, _ in names):
            names.append([int(fields[2]), fields[0]])
    return names


def expect_oom_score(text):
    return int(text)


DRM_UNITS = {"KiB": 1024, "MiB": 1024 ** 2, "GiB": 1024 ** 3}


def expect_drm_fdinfo(text):
    """After the kernel's Documentation/gpu/drm-usage-stats.rst."""
    pairs = [line.split(":", 1) for line in text.splitlines()]
    keys = {key: value.strip() for key, value in pairs}
    if "drm-driver" not in keys:
        return None
    resident = {}
    for key, value in keys.items():
        for prefix in ("drm-resident-", "drm-memory-"):
            if key.startswith(prefix):
                number, *unit = value.split()
                resident[key[len(prefix):]] = int(number) * (DRM_UNITS[unit[0]] if unit else 1)
    return {
        "driver": keys["drm-driver"],
        "clientId": keys["drm-client-id"],
        "pdev": keys.get("drm-pdev"),
        "resident": resident,
    }


READERS = {
    "smaps": expect_smaps,
    "smaps_rollup": expect_smaps_rollup,
    "stat": expect_stat,
    "status": expect_status,
    "cmdline": expect_cmdline,
    "cgroup": expect_cgroup,
    "meminfo": expect_meminfo,
    "version": expect_version,
    "passwd": expect_id_names,
    "oom_score": expect_oom_score,
    "fdinfo": expect_drm_fdinfo,
}


def expect():
    for kind, reader in READERS.items():
        for path in sorted((ROOT / kind).iterdir()):
            if path.suffix not in (".txt", ".bin"):
                continue
            data = path.read_bytes()
            value = reader(data if path.suffix == ".bin" else data.decode())
            text = json.dumps(value, indent=2, ensure_ascii=False)
            path.with_suffix(".json").write_text(text + "\n")


if __name__ == "__main__":
    commands = {
        "capture": capture,
        "cgroup": capture_cgroup,
        "invalid": lambda: (make_invalid(), make_numbers()),
        "expect": expect,
    }
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        raise SystemExit(__doc__)
    commands[sys.argv[1]]()
