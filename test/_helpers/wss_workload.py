"""The --wss test's process: 100 MiB (a memfd named wss-area-TAG) written once, then 10 MiB of it touched
again and again. Prints "ready" after the first pass; runs until stdin closes.

    wss_workload.py TAG
"""

import mmap
import os
import sys
import threading

MIB = 1 << 20
PAGE = mmap.PAGESIZE

# A memfd of its own name, so that the mapping view shows this area alone.
fd = os.memfd_create(f"wss-area-{sys.argv[1]}")
os.ftruncate(fd, 100 * MIB)
area = mmap.mmap(fd, 100 * MIB, mmap.MAP_SHARED)
for at in range(0, 100 * MIB, PAGE):
    area[at] = 1
done = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
print("ready", flush=True)
while not done.is_set():
    for at in range(0, 10 * MIB, PAGE):
        area[at] = (area[at] + 1) % 256
    done.wait(0.05)
os._exit(0)
