"""What the data plane tier does when a piece it needs is absent."""
from __future__ import annotations

import os
from typing import NoReturn

import pytest


def missing(what: str) -> NoReturn:
    """Fails under CI=true (nothing may skip there), skips otherwise, naming `what`."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} (CI=true: the data plane tier must run)")
    pytest.skip(what)
