"""make bench times every tier the tests have: the markers it reads are the folders conftest knows."""
from __future__ import annotations

from conftest import TIERS
from ingress_nginx_values.bench import FAST_TIERS, tiers_of_pyproject


def test_bench_times_every_test_tier() -> None:
    assert sorted(tiers_of_pyproject()) == sorted(TIERS)


def test_fast_tiers_are_tiers() -> None:
    known = set(tiers_of_pyproject())
    # parity lands with its own tier; until then the sum covers the others.
    assert set(FAST_TIERS) - known <= {"parity"}
