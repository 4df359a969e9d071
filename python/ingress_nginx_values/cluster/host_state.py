"""What the real node changes on the host outside its namespaces, and putting it back.

The kubelet writes a few host-wide sysctls and makes cgroups in the host's
hierarchies (network namespaces do not cover either). The node snapshots the
sysctls before it starts and restores them after; its cgroups all sit below one
cgroup root of its own, removed at teardown.
"""
from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

PROC_SYS = Path("/proc/sys")
# The host-wide tunables the kubelet sets at start (its setupKernelTunables).
KUBELET_SYSCTLS = (
    "vm/overcommit_memory", "vm/panic_on_oom", "kernel/panic", "kernel/panic_on_oops",
    "kernel/keys/root_maxkeys", "kernel/keys/root_maxbytes",
)


@dataclass(frozen=True)
class SysctlSnapshot:
    values: tuple[tuple[str, str], ...]

    @classmethod
    def take(cls, names: tuple[str, ...] = KUBELET_SYSCTLS) -> SysctlSnapshot:
        return cls(tuple((name, (PROC_SYS / name).read_text().strip()) for name in names
                         if (PROC_SYS / name).exists()))

    def changed(self) -> list[str]:
        """`name: was -> now` for every sysctl that differs from the snapshot."""
        now = dict(SysctlSnapshot.take(tuple(n for n, _ in self.values)).values)
        return [f"{name}: {value} -> {now[name]}" for name, value in self.values if now.get(name) != value]

    def restore(self) -> None:
        for name, value in self.values:
            path = PROC_SYS / name
            if path.read_text().strip() != value:
                path.write_text(value)


def cgroup_mounts(mountinfo: Path = Path("/proc/self/mountinfo")) -> list[Path]:
    """Mount points of every cgroup (v1) and cgroup2 hierarchy of this machine."""
    mounts = []
    for line in mountinfo.read_text().splitlines():
        before, _, after = line.partition(" - ")
        if after.split(" ", 1)[0] in ("cgroup", "cgroup2"):
            mounts.append(Path(before.split()[4]))
    return mounts


def create_cgroup_root(name: str) -> None:
    """The kubelet refuses a cgroup root that does not exist in every hierarchy."""
    for mount in cgroup_mounts():
        path = mount / name.strip("/")
        path.mkdir(exist_ok=True)
        # A cpuset cgroup takes no task until it has CPUs and memory nodes.
        for knob in ("cpuset.cpus", "cpuset.mems"):
            if (path / knob).exists() and not (path / knob).read_text().strip():
                (path / knob).write_text((mount / knob).read_text())


def cgroup_leftovers(name: str) -> list[Path]:
    return [mount / name.strip("/") for mount in cgroup_mounts() if (mount / name.strip("/")).exists()]


def remove_cgroup_root(name: str) -> None:
    """Kills what still runs below the root, then removes its cgroups deepest first."""
    for top in cgroup_leftovers(name):
        for directory, _, _ in os.walk(top, topdown=False):
            procs = Path(directory) / "cgroup.procs"
            try:
                pids = [int(pid) for pid in procs.read_text().split()]
            except OSError:
                pids = []
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
    for top in cgroup_leftovers(name):
        for directory, _, _ in os.walk(top, topdown=False):
            _rmdir_when_empty(Path(directory))


def _rmdir_when_empty(directory: Path, attempts: int = 50) -> None:
    for _ in range(attempts):
        try:
            directory.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            # Killed tasks leave a cgroup a moment after the signal.
            time.sleep(0.1)
