"""The ci-values profiles as every test tier reads them, and how one runs beside others.

The cluster tier (tests/cluster/together.py, test_profiles.py) and the e2e tier
(tests/e2e/service_wave.py) install several profiles on one cluster at once; which
profiles cannot share a node and what a release changes to live beside others are
written here once, for both.
"""
from __future__ import annotations

from typing import Any

import yaml

from ingress_nginx_values.values_loading import merge_values
from paths import PROFILES


def profile_names() -> list[str]:
    return sorted(path.stem for path in PROFILES.glob("*.yaml"))


def load_profile(name: str) -> dict[str, Any]:
    return yaml.safe_load((PROFILES / f"{name}.yaml").read_text()) or {}


def holds_host_ports(values: dict[str, Any]) -> bool:
    """Whether the controller binds its node's own ports (hostNetwork, or hostPort): two such
    releases cannot run on one node at the same time."""
    controller = values.get("controller") or {}
    return bool(controller.get("hostNetwork")) or bool((controller.get("hostPort") or {}).get("enabled"))


def own_class(values: dict[str, Any], release: str) -> dict[str, Any]:
    """`values` with an IngressClass of the release's own unless they name one: its name,
    `--ingress-class` and controller value all become the release's. The IngressClass is
    cluster-wide (two releases cannot both own `nginx`), and controllers that share a
    controller value would all take the same Ingresses."""
    if ((values.get("controller") or {}).get("ingressClassResource") or {}).get("name"):
        return values
    return dict(merge_values(values, {"controller": {
        "ingressClass": release,
        "ingressClassResource": {"name": release, "controllerValue": f"k8s.io/ingress-nginx-{release}"},
    }}))
