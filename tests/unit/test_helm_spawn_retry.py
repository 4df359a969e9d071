"""Starting Helm again after an EFAULT at exec, and only then (cluster/helm.py)."""
from __future__ import annotations

import errno

import pytest

from ingress_nginx_values.cluster.helm import _spawn_retrying


class Starts:
    """Fails with the given errors, in order, then returns "ran"."""

    def __init__(self, *errors: OSError) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ran"


def test_efault_at_start_is_retried() -> None:
    starts = Starts(OSError(errno.EFAULT, "Bad address", "/bin/sh"))
    assert _spawn_retrying(starts) == "ran"
    assert starts.calls == 2


def test_other_errors_are_raised_at_once() -> None:
    starts = Starts(OSError(errno.ENOENT, "No such file or directory", "/bin/sh"))
    with pytest.raises(OSError) as raised:
        _spawn_retrying(starts)
    assert raised.value.errno == errno.ENOENT
    assert starts.calls == 1


def test_efault_every_time_is_raised_after_the_last_attempt() -> None:
    starts = Starts(*(OSError(errno.EFAULT, "Bad address", "/bin/sh") for _ in range(3)))
    with pytest.raises(OSError) as raised:
        _spawn_retrying(starts, attempts=3)
    assert raised.value.errno == errno.EFAULT
    assert starts.calls == 3
