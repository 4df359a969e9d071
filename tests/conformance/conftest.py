"""Fixtures of the conformance tier: schema validators shared by its tests."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.schema_check import CustomSchemas, KubeSchemas


@pytest.fixture(scope="session")
def kube_schemas() -> Callable[[str], KubeSchemas]:
    cache: dict[str, KubeSchemas] = {}

    def get(minor: str) -> KubeSchemas:
        if minor not in cache:
            cache[minor] = KubeSchemas(minor)
        return cache[minor]

    return get


@pytest.fixture(scope="session")
def custom_schemas() -> CustomSchemas:
    return CustomSchemas()

