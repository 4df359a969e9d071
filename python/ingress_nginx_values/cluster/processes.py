"""Stopping processes by id, whether this Python process started them or an earlier one did.

A demo kept running with KEEP=1 is stopped later by another process (`make
demo-stop`), which knows only the ids written down at start; tests stop their
own children. Both go through here, so both stop things the same way.
"""
from __future__ import annotations

import os
import signal
import time


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie (a child we have not reaped)."""
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)
        if waited == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def stop_group(pgid: int, grace: float = 5.0) -> None:
    """SIGTERM to a process group, SIGKILL after `grace` seconds; returns once its leader is gone."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while alive(pgid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if not alive(pgid):
            return


def kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
