#!/usr/bin/env python3
"""A synthetic workload for memsnap's benchmark: N long-lived processes that
share memory the ways real systems do, with deterministic sizes.

    python3 scripts/bench_workload.py --processes 1000

Every process is forked from this one parent, so the interpreter is shared
copy-on-write and N = 1000 costs little RAM. Each child, by its index i:

- reads a copy-on-write anonymous buffer the parent filled before forking;
- maps one shared file (a temporary file) and reads every page;
- maps one memfd segment shared by all and reads every page;
- writes private anonymous memory of 4 KiB * (1 + (37 i) mod 256);
- runs as uid/gid 0, 60001 or 60002 (i mod 3: three users, numeric ids,
  no system users made);
- children 0-4 (a few) also hold 400 one-page mappings each.

When every child is ready, the parent prints one line, `ready PID PID...`
(its own pid first), and waits. It stops its children and removes the file
on SIGTERM, SIGINT or SIGHUP, and when its own parent dies (it polls), so a
killed benchmark leaves nothing behind; each child also has a parent-death
signal (SIGKILL) set after its change of user, which would clear it.
"""

import argparse
import ctypes
import gc
import mmap
import os
import signal
import sys
import tempfile
import time

PAGE = mmap.PAGESIZE
COW_BYTES = 8 << 20
FILE_BYTES = 8 << 20
MEMFD_BYTES = 4 << 20
MANY_MAPS_CHILDREN = 5
MANY_MAPS = 400
UIDS = (0, 60001, 60002)
PR_SET_PDEATHSIG = 1


def touch(view, length):
    """Reads one byte per page, making each page resident."""
    total = 0
    for offset in range(0, length, PAGE):
        total += view[offset]
    return total


def child(index, cow, file_fd, memfd, ready_fd, parent):
    """Sets up one child's memory, reports ready and sleeps until killed."""
    uid = UIDS[index % len(UIDS)]
    if uid != 0:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    # A change of credentials clears the parent-death signal: set it after.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(0)
    touch(cow, COW_BYTES)
    shared_file = mmap.mmap(file_fd, FILE_BYTES, mmap.MAP_SHARED, mmap.PROT_READ)
    touch(shared_file, FILE_BYTES)
    shared_mem = mmap.mmap(memfd, MEMFD_BYTES, mmap.MAP_SHARED, mmap.PROT_READ)
    touch(shared_mem, MEMFD_BYTES)
    private_bytes = PAGE * (1 + (37 * index) % 256)
    private = mmap.mmap(-1, private_bytes)
    for offset in range(0, private_bytes, PAGE):
        private[offset] = 1
    many = []
    if index < MANY_MAPS_CHILDREN:
        # Alternating protections keep neighbouring mappings from merging.
        for k in range(MANY_MAPS):
            prot = mmap.PROT_READ if k % 2 else mmap.PROT_READ | mmap.PROT_WRITE
            many.append(mmap.mmap(file_fd, PAGE, mmap.MAP_SHARED, prot, offset=PAGE * (k % 64)))
    os.write(ready_fd, b"r")
    os.close(ready_fd)
    while True:
        signal.pause()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, required=True, help="children to start (N)")
    args = parser.parse_args()

    # A process group of its own: the benchmark can signal all of it at once.
    if os.getpgid(0) != os.getpid():
        os.setpgid(0, 0)
    starter = os.getppid()
    cow = bytearray(COW_BYTES)
    for offset in range(0, COW_BYTES, PAGE):
        cow[offset] = 1 + offset // PAGE % 255
    file_fd, file_path = tempfile.mkstemp(prefix="memsnap-bench-")
    os.write(file_fd, bytes(range(256)) * (FILE_BYTES // 256))
    memfd = os.memfd_create("memsnap-bench")
    os.write(memfd, b"\x5a" * MEMFD_BYTES)
    read_end, write_end = os.pipe()
    children = []
    stopping = False

    def stop(*_):
        nonlocal stopping
        if stopping:
            return
        stopping = True
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in children:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        os.unlink(file_path)
        os._exit(0)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, stop)
    try:
        parent = os.getpid()
        gc.freeze()  # Keeps the collector from writing to shared pages.
        for index in range(args.processes):
            pid = os.fork()
            if pid == 0:
                for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                    signal.signal(sig, signal.SIG_DFL)
                os.close(read_end)
                try:
                    child(index, cow, file_fd, memfd, write_end, parent)
                finally:
                    os._exit(1)
            children.append(pid)
        os.close(write_end)
        ready = 0
        while ready < args.processes:
            chunk = os.read(read_end, 4096)
            if not chunk:
                raise SystemExit("a child of the workload failed while setting up")
            ready += len(chunk)
        print("ready", os.getpid(), *children, flush=True)
        # The benchmark's death ends the workload too.
        while os.getppid() == starter:
            time.sleep(0.5)
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
