"""The one wait loop of the test tiers that talk to a cluster: poll until an answer."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def eventually(check: Callable[[], Any], what: str, timeout: float = 30.0, interval: float = 0.25,
               tolerate: tuple[type[BaseException], ...] = ()) -> Any:
    """Calls check() until it returns something truthy, and returns that. Errors in `tolerate`
    mean "not yet" (an API server or a port not answering); any other is raised at once.
    After `timeout` seconds an AssertionError names `what` and the last answer or error."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while True:
        try:
            last = check()
        except tolerate as error:
            last = error
        else:
            if last:
                return last
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}; last: {last!r}")
        time.sleep(interval)
