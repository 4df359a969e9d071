"""Where the tests find the repository and the shared reference beside it."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "charts" / "ingress-nginx"
PROFILES = ROOT / "ci-values"
# CI checks the repository out with ../shared beside it.
SHARED_REFERENCE = ROOT.parent / "shared" / "reference"
SEED_VALUES = SHARED_REFERENCE / "seed-daemonset-prod.yaml"
UPSTREAM_VALUES = SHARED_REFERENCE / "upstream-values-4.15.1.txt"
