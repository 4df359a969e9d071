"""Impossible workload settings are refused with a message naming the values."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from manifests import Render

RenderError = Callable[..., str]

SCHEMA_REFUSAL = "schema"
SCHEMA_MAY_REFUSE = {"kind": "kind", "stream-port-key": "db", "stream-port-range": "70000"}

CASES: list[tuple[str, dict[str, Any], dict[str, Any], list[str]]] = [
    (
        "kind",
        {"controller": {"kind": "Both"}},
        {"controller": {"kind": "DaemonSet"}},
        ["controller.kind: Both", "Set controller.kind to Deployment or DaemonSet."],
    ),
    (
        "daemonset-hpa",
        {"controller": {"kind": "DaemonSet", "autoscaling": {"enabled": True}}},
        {"controller": {"kind": "Deployment", "autoscaling": {"enabled": True}}},
        ["controller.autoscaling.enabled:", "controller.kind"],
    ),
    (
        "daemonset-keda",
        {"controller": {"kind": "DaemonSet", "keda": {"enabled": True}}},
        {"controller": {"kind": "Deployment", "keda": {"enabled": True}}},
        ["controller.keda.enabled:", "controller.kind"],
    ),
    (
        "hpa-and-keda",
        {"controller": {"autoscaling": {"enabled": True}, "keda": {"enabled": True}}},
        {"controller": {"autoscaling": {"enabled": False}, "keda": {"enabled": True}}},
        ["controller.autoscaling.enabled and controller.keda.enabled:"],
    ),
    (
        "hpa-bounds",
        {"controller": {"autoscaling": {"enabled": True, "minReplicas": 5, "maxReplicas": 3}}},
        {"controller": {"autoscaling": {"enabled": True, "minReplicas": 3, "maxReplicas": 3}}},
        ["controller.autoscaling.minReplicas: 5", "controller.autoscaling.maxReplicas (3)"],
    ),
    (
        "keda-bounds",
        {"controller": {"keda": {"enabled": True, "minReplicas": 12, "maxReplicas": 11}}},
        {"controller": {"keda": {"enabled": True, "minReplicas": 11, "maxReplicas": 11}}},
        ["controller.keda.minReplicas: 12", "controller.keda.maxReplicas (11)"],
    ),
    (
        "stream-port-key",
        {"tcp": {"db": "apps/db:5432"}},
        {"tcp": {"5432": "apps/db:5432"}},
        ["tcp.db: the key must be the port number"],
    ),
    (
        "stream-port-range",
        {"udp": {"70000": "apps/dns:53"}},
        {"udp": {"65535": "apps/dns:53"}},
        ["udp.70000:"],
    ),
    (
        "port-name-length",
        {"portNamePrefix": "production", "tcp": {"9000": "apps/db:5432"}},
        {"portNamePrefix": "prod", "tcp": {"9000": "apps/db:5432"}},
        ["portNamePrefix:", '"production-9000-tcp"', "at most 6 characters"],
    ),
    (
        "host-network-host-port",
        {"controller": {"hostNetwork": True, "hostPort": {"enabled": True, "ports": {"http": 8080}}}},
        {"controller": {"hostNetwork": True, "hostPort": {"enabled": True, "ports": {"http": 80}}}},
        ["controller.hostPort.ports.http: 8080", "controller.containerPort.http (80)", "controller.hostNetwork"],
    ),
]


@pytest.mark.parametrize(("case", "refused", "accepted", "fragments"), CASES, ids=[c[0] for c in CASES])
def test_refused(render_error: RenderError, case: str, refused: dict[str, Any], accepted: dict[str, Any],
                 fragments: list[str]) -> None:
    message = render_error(refused)
    if case in SCHEMA_MAY_REFUSE and SCHEMA_REFUSAL in message:
        # The values schema (written separately) may refuse these first; it must then name the key.
        assert SCHEMA_MAY_REFUSE[case] in message
        return
    for fragment in fragments:
        assert fragment in message
    found = re.search(r"\): ([\w.]+(?: and [\w.]+)*: .*)$", message, re.MULTILINE)
    assert found, message
    assert found.group(1).endswith("."), found.group(1)


@pytest.mark.parametrize(("case", "refused", "accepted", "fragments"), CASES, ids=[c[0] for c in CASES])
def test_accepted(render: Render, case: str, refused: dict[str, Any], accepted: dict[str, Any],
                  fragments: list[str]) -> None:
    assert render(accepted).controller()["metadata"]["name"] == "ingress-nginx-controller"


def test_refused_with_helm4(render_error: RenderError) -> None:
    message = render_error({"controller": {"kind": "DaemonSet", "autoscaling": {"enabled": True}}}, helm="helm4")
    assert "controller.autoscaling.enabled:" in message
