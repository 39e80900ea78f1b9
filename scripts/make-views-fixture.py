#!/usr/bin/env python3
"""Makes fixtures/views/: a small /proc tree for the cgroup, command and
process tree views (see fixtures/views/README.md).

    python3 scripts/make-views-fixture.py

It reads the real smaps of fixtures/captures/n8.tar.gz and deals them out to
a made-up process family (a systemd-like system with services, a login
session and a desktop with firefox), each process with made-up cmdline,
stat (comm and ppid), cgroup file and owner. It writes:

- family.tar.gz: the /proc tree in smem's tarball layout (PID/ directories
  owned by the processes' users, meminfo, version);
- sys/fs/cgroup/: a cgroup v2 filesystem with memory.current for some of the
  cgroups (not all: the others' charge is unknown), read by memsnap beside a
  mirror DIR/proc when copied to DIR/sys/fs/cgroup;
- family.json: the family as designed (pid, ppid, comm, argv, cgroup, user)
  and each process's program as ps_mem's rule names it, computed here apart
  from memsnap.

The output is deterministic: running it again changes nothing.
"""

import gzip
import io
import json
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "fixtures" / "captures" / "n8.tar.gz"
OUT = ROOT / "fixtures" / "views"
MTIME = 1_764_097_200  # 2025-11-25T19:00:00Z: fixed, for identical output

USERS = {"root": (0, 0), "www-data": (33, 33), "postgres": (105, 109), "dev": (1000, 1000)}
SESSION = "/user.slice/user-1000.slice/session-3.scope"
USER_SERVICE = "/user.slice/user-1000.slice/user@1000.service"

# pid, ppid, comm, argv, cgroup (None: no cgroup file), user.
FAMILY = [
    (1, 0, "systemd", ["/sbin/init", "splash"], "/init.scope", "root"),
    (410, 1, "nginx", ["nginx: master process /usr/sbin/nginx"],
     "/system.slice/nginx.service", "root"),
    (411, 410, "nginx", ["nginx: worker process"], "/system.slice/nginx.service", "www-data"),
    (412, 410, "nginx", ["nginx: worker process"], "/system.slice/nginx.service", "www-data"),
    (520, 1, "postgres", ["/usr/lib/postgresql/15/bin/postgres", "-D", "/var/lib/pg"],
     "/system.slice/system-postgresql.slice/postgresql@15-main.service", "postgres"),
    (521, 520, "postgres", ["postgres: 15/main: checkpointer "],
     "/system.slice/system-postgresql.slice/postgresql@15-main.service", "postgres"),
    (1000, 1, "sshd", ["sshd: dev [priv]"], SESSION, "root"),
    (1010, 1000, "bash", ["-bash"], SESSION, "dev"),
    (1100, 1, "systemd", ["/usr/lib/systemd/systemd", "--user"],
     USER_SERVICE + "/init.scope", "dev"),
    (1200, 1100, "firefox", ["/usr/lib/firefox/firefox"],
     USER_SERVICE + "/app.slice/app-firefox.scope", "dev"),
    (1201, 1200, "Web Content", ["/usr/lib/firefox/firefox", "-contentproc", "-childID", "1"],
     USER_SERVICE + "/app.slice/app-firefox.scope", "dev"),
    (1202, 1200, "Web Content", ["/usr/lib/firefox/firefox", "-contentproc", "-childID", "2"],
     USER_SERVICE + "/app.slice/app-firefox.scope", "dev"),
    (1203, 1200, "Isolated Web Co", ["/usr/lib/firefox/firefox", "-contentproc", "-isForBrowser"],
     USER_SERVICE + "/app.slice/app-firefox.scope", "dev"),
    (1300, 1100, "gnome-terminal-", ["/usr/libexec/gnome-terminal-server"],
     USER_SERVICE + "/app.slice/app-terminal.scope", "dev"),
    (1301, 1300, "bash", ["bash"], USER_SERVICE + "/app.slice/app-terminal.scope", "dev"),
    (1302, 1301, "python3", ["/usr/bin/python3", "/opt/memwork/workload.py", "idle"],
     USER_SERVICE + "/app.slice/app-terminal.scope", "dev"),
    # Its parent (999) is not in the tree: a root.
    (1400, 999, "cron", ["/usr/sbin/cron", "-f"], "/system.slice/cron.service", "root"),
    # No cgroup file (a copy made without it): its cgroup is unknown.
    (1500, 1, "legacy", ["/opt/legacy/bin/legacy"], None, "root"),
]

# memory.current in bytes, for some cgroups only (page multiples).
CHARGES = {
    "/init.scope": 7_340_032,
    "/system.slice": 98_304_000,
    "/system.slice/nginx.service": 41_943_040,
    "/system.slice/cron.service": 2_097_152,
    "/user.slice": 905_969_664,
    "/user.slice/user-1000.slice": 905_969_664,
    SESSION: 16_777_216,
    USER_SERVICE + "/app.slice/app-firefox.scope": 734_003_200,
}


def program(pid, by_pid):
    """ps_mem's name with argv[0] for the exe link (docs/views.md)."""
    _, ppid, comm, argv, _, _ = by_pid[pid]
    started = started_as(argv)
    if started is None:
        return comm
    if started.startswith(comm):
        return started
    parent = by_pid.get(ppid)
    if parent is not None and started_as(parent[3]) == started:
        return program(ppid, by_pid)
    return comm


def started_as(argv):
    if not argv or argv[0] == "" or any(c.isspace() for c in argv[0]):
        return None
    return argv[0].rsplit("/", 1)[-1] or None


def main():
    with tarfile.open(SOURCE) as source:
        members = {m.name.rstrip("/"): m for m in source.getmembers()}
        read = lambda name: source.extractfile(members[name]).read()
        pids = sorted(int(n.split("/")[0]) for n in members if n.endswith("/smaps"))
        meminfo, version = read("meminfo"), read("version")
        originals = {pid: {f: read(f"{pid}/{f}") for f in ("smaps", "smaps_rollup", "stat")}
                     for pid in pids}

    by_pid = {entry[0]: entry for entry in FAMILY}
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
        add(tar, "meminfo", meminfo, "root")
        add(tar, "version", version, "root")
        for index, (pid, ppid, comm, argv, cgroup, user) in enumerate(FAMILY):
            original = originals[pids[index % len(pids)]]
            directory = tarfile.TarInfo(str(pid))
            directory.type = tarfile.DIRTYPE
            directory.mode = 0o555
            own(directory, user)
            tar.addfile(directory)
            add(tar, f"{pid}/smaps", original["smaps"], user)
            add(tar, f"{pid}/smaps_rollup", original["smaps_rollup"], user)
            add(tar, f"{pid}/stat", restat(original["stat"], pid, comm, ppid), user)
            add(tar, f"{pid}/cmdline", b"".join(a.encode() + b"\0" for a in argv), user)
            if cgroup is not None:
                add(tar, f"{pid}/cgroup", f"0::{cgroup}\n".encode(), user)
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "family.tar.gz", "wb") as out:
        with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, filename="") as z:
            z.write(raw.getvalue())

    for path, bytes_ in CHARGES.items():
        folder = OUT / "sys" / "fs" / "cgroup" / path.lstrip("/")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "memory.current").write_text(f"{bytes_}\n")

    manifest = [
        {"pid": pid, "ppid": ppid, "comm": comm, "argv": argv, "cgroup": cgroup, "user": user,
         "program": program(pid, by_pid)}
        for pid, ppid, comm, argv, cgroup, user in FAMILY
    ]
    (OUT / "family.json").write_text(json.dumps(manifest, indent=2) + "\n")


def restat(stat, pid, comm, ppid):
    """The source's stat line with this process's pid, comm and ppid."""
    text = stat.decode()
    after = text[text.rindex(")") + 2:].split(" ")
    after[1] = str(ppid)  # fields after the name: state, ppid, ...
    return f"{pid} ({comm}) {' '.join(after)}".encode()


def own(info, user):
    info.uid, info.gid = USERS[user]
    info.uname = user
    info.gname = user
    info.mtime = MTIME


def add(tar, name, data, user):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o444
    own(info, user)
    tar.addfile(info, io.BytesIO(data))


if __name__ == "__main__":
    main()
