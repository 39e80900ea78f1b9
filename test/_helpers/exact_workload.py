"""A process of the --exact test's workload, with known sharing (issue 18).

    exact_workload.py a1 TAG FILE        a 64 MiB memfd, 32 MiB private, FILE mapped
    exact_workload.py a2 TAG FILE PID FD the memfd of PID (its fd FD), 32 MiB private, FILE mapped
    exact_workload.py b TAG FILE         FILE mapped only

Every page is touched (written for memory of its own, read for FILE), so
that it is resident. Prints "ready PID FD" and holds everything until stdin
closes. TAG only names the processes for the test's -P filter.
"""

import mmap
import os
import sys

MIB = 1 << 20
PAGE = mmap.PAGESIZE


def touch_written(area, size):
    # A distinct non-zero byte per page: never the zero page, never merged.
    for at in range(0, size, PAGE):
        area[at] = 1 + (at // PAGE) % 251


def touch_read(area, size):
    total = 0
    for at in range(0, size, PAGE):
        total += area[at]
    return total


def main():
    role, _tag, path = sys.argv[1:4]
    keep = []
    fd = -1
    if role == "a1":
        fd = os.memfd_create("exact-shared")
        os.ftruncate(fd, 64 * MIB)
        shared = mmap.mmap(fd, 64 * MIB, mmap.MAP_SHARED)
        touch_written(shared, 64 * MIB)
        keep.append(shared)
    elif role == "a2":
        pid, their_fd = sys.argv[4:6]
        fd = os.open(f"/proc/{pid}/fd/{their_fd}", os.O_RDWR)
        shared = mmap.mmap(fd, 64 * MIB, mmap.MAP_SHARED)
        touch_read(shared, 64 * MIB)
        keep.append(shared)
    if role in ("a1", "a2"):
        private = mmap.mmap(-1, 32 * MIB, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        touch_written(private, 32 * MIB)
        keep.append(private)
    with open(path, "rb") as file:
        mapped = mmap.mmap(file.fileno(), 16 * MIB, mmap.MAP_SHARED, mmap.PROT_READ)
    touch_read(mapped, 16 * MIB)
    keep.append(mapped)
    print(f"ready {os.getpid()} {fd}", flush=True)
    sys.stdin.read()


main()
