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
# KEDA on, as it can run: with a trigger.
KEDA = {"enabled": True, "triggers": [{"type": "cpu", "metricType": "Utilization", "metadata": {"value": "80"}}]}

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
        {"controller": {"kind": "DaemonSet", "keda": KEDA}},
        {"controller": {"kind": "Deployment", "keda": KEDA}},
        ["controller.keda.enabled:", "controller.kind"],
    ),
    (
        "hpa-and-keda",
        {"controller": {"autoscaling": {"enabled": True}, "keda": KEDA}},
        {"controller": {"autoscaling": {"enabled": False}, "keda": KEDA}},
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
        {"controller": {"keda": {**KEDA, "minReplicas": 12, "maxReplicas": 11}}},
        {"controller": {"keda": {**KEDA, "minReplicas": 11, "maxReplicas": 11}}},
        ["controller.keda.minReplicas: 12", "controller.keda.maxReplicas (11)"],
    ),
    (
        "keda-without-trigger",
        {"controller": {"keda": {"enabled": True}}},
        {"controller": {"keda": KEDA}},
        ["controller.keda.triggers: is empty while controller.keda.enabled is true", "Add a trigger"],
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
    # The API server: "may not specify more than 1 handler type" / "must specify a handler type". Helm merges
    # a probe into the chart's default one, so an exec probe keeps the default httpGet unless it is set to null.
    (
        "probe-two-handlers",
        {"controller": {"livenessProbe": {"exec": {"command": ["/healthcheck"]}}}},
        {"controller": {"livenessProbe": {"httpGet": None, "exec": {"command": ["/healthcheck"]}}}},
        ["controller.livenessProbe: has 2 handlers (httpGet, exec)", "exactly one",
         "controller.livenessProbe.httpGet: null"],
    ),
    (
        "probe-no-handler",
        {"controller": {"readinessProbe": {"httpGet": None}}},
        {"controller": {"readinessProbe": {"httpGet": None, "tcpSocket": {"port": 10254}}}},
        ["controller.readinessProbe: has no handler", "Set controller.readinessProbe.httpGet, or one of exec, tcpSocket, grpc instead."],
    ),
    (
        "startup-probe-no-handler",
        {"controller": {"startupProbe": {"failureThreshold": 30}}},
        {"controller": {"startupProbe": {"failureThreshold": 30, "grpc": {"port": 10254}}}},
        ["controller.startupProbe: has no handler"],
    ),
    (
        "hook-two-handlers",
        {"controller": {"lifecycle": {"preStop": {"sleep": {"seconds": 5}}}}},
        {"controller": {"lifecycle": {"preStop": {"exec": None, "sleep": {"seconds": 5}}}}},
        ["controller.lifecycle.preStop: has 2 handlers (exec, sleep)", "controller.lifecycle.preStop.exec: null"],
    ),
    (
        "hook-no-handler",
        {"controller": {"lifecycle": {"postStart": {}}}},
        {"controller": {"lifecycle": {"postStart": {"tcpSocket": {"port": 80}}}}},
        ["controller.lifecycle.postStart: has no handler", "Set controller.lifecycle.postStart.exec, or one of httpGet, tcpSocket, sleep instead."],
    ),
    (
        "sidecar-probe-two-handlers",
        {"controller": {"extraContainers": [{"name": "a", "image": "a"}, {"name": "b", "image": "b", "livenessProbe": {
            "tcpSocket": {"port": 80}, "exec": {"command": ["true"]}}}]}},
        {"controller": {"extraContainers": [{"name": "a", "image": "a"}, {"name": "b", "image": "b", "livenessProbe": {
            "tcpSocket": {"port": 80}, "exec": None}}]}},
        ["controller.extraContainers[1].livenessProbe: has 2 handlers (exec, tcpSocket)"],
    ),
    (
        "sidecar-empty-probe",
        {"controller": {"extraContainers": [{"name": "b", "image": "b", "readinessProbe": {}}]}},
        {"controller": {"extraContainers": [{"name": "b", "image": "b", "readinessProbe": None}]}},
        ["controller.extraContainers[0].readinessProbe: has no handler"],
    ),
    (
        "sidecar-hook-two-handlers",
        {"controller": {"extraContainers": [{"name": "b", "image": "b", "lifecycle": {"preStop": {
            "sleep": {"seconds": 1}, "httpGet": {"port": 80}}}}]}},
        {"controller": {"extraContainers": [{"name": "b", "image": "b", "lifecycle": {"preStop": {"sleep": {"seconds": 1}}}}]}},
        ["controller.extraContainers[0].lifecycle.preStop: has 2 handlers (httpGet, sleep)"],
    ),
    # The API server: "may not be set for init containers without restartPolicy=Always".
    (
        "init-container-probe",
        {"controller": {"extraInitContainers": [{"name": "b", "image": "b", "startupProbe": {"exec": {"command": ["true"]}}}]}},
        {"controller": {"extraInitContainers": [{"name": "b", "image": "b", "restartPolicy": "Always",
                                                 "startupProbe": {"exec": {"command": ["true"]}}}]}},
        ["controller.extraInitContainers[0].startupProbe:", "Set controller.extraInitContainers[0].restartPolicy to Always"],
    ),
    (
        "init-sidecar-two-handlers",
        {"controller": {"extraInitContainers": [{"name": "b", "image": "b", "restartPolicy": "Always", "readinessProbe": {
            "exec": {"command": ["true"]}, "grpc": {"port": 9000}}}]}},
        {"controller": {"extraInitContainers": [{"name": "b", "image": "b", "restartPolicy": "Always", "readinessProbe": {
            "grpc": {"port": 9000}}}]}},
        ["controller.extraInitContainers[0].readinessProbe: has 2 handlers (exec, grpc)"],
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
    found = re.search(r"\): ([\w.\[\]]+(?: and [\w.]+)*: .*)$", message, re.MULTILINE)
    assert found, message
    assert found.group(1).endswith("."), found.group(1)


@pytest.mark.parametrize(("case", "refused", "accepted", "fragments"), CASES, ids=[c[0] for c in CASES])
def test_accepted(render: Render, case: str, refused: dict[str, Any], accepted: dict[str, Any],
                  fragments: list[str]) -> None:
    assert render(accepted).controller()["metadata"]["name"] == "ingress-nginx-controller"


def test_refused_with_helm4(render_error: RenderError) -> None:
    message = render_error({"controller": {"kind": "DaemonSet", "autoscaling": {"enabled": True}}}, helm="helm4")
    assert "controller.autoscaling.enabled:" in message


def test_one_handler_renders_alone(render: Render) -> None:
    """A handler set to null leaves the rendered probe or hook with the user's one handler only."""
    values = {"controller": {"livenessProbe": {"httpGet": None, "exec": {"command": ["/healthcheck"]}},
                             "lifecycle": {"preStop": {"exec": None, "sleep": {"seconds": 5}}}}}
    container = render(values).controller()["spec"]["template"]["spec"]["containers"][0]
    assert container["livenessProbe"]["exec"] == {"command": ["/healthcheck"]}
    assert "httpGet" not in container["livenessProbe"]
    assert container["lifecycle"] == {"preStop": {"sleep": {"seconds": 5}}}
