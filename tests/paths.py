"""Where the tests find the repository, its test data and the shared reference beside it."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "charts" / "ingress-nginx"
PROFILES = ROOT / "ci-values"
TEST_DATA = ROOT / "tests" / "data"
SEED_VALUES = TEST_DATA / "seed-daemonset-prod.yaml"
# CI checks the repository out with ../shared beside it; a bare clone has none.
SHARED = ROOT.parent / "shared"
SHARED_REFERENCE = SHARED / "reference"
UPSTREAM_CHART = SHARED / "upstream" / "ingress-nginx-4.15.1.tgz"
