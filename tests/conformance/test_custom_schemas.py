"""Our hand-written CRD schemas refuse what the real CRDs refuse, so a pass in
test_kubernetes_schemas means something."""
from __future__ import annotations

import copy
from typing import Any

import pytest

from conformance.schema_check import CustomSchemas

SERVICE_MONITOR: dict[str, Any] = {
    "apiVersion": "monitoring.coreos.com/v1",
    "kind": "ServiceMonitor",
    "metadata": {"name": "ingress-nginx-controller", "namespace": "ingress-nginx"},
    "spec": {
        "selector": {"matchLabels": {"app.kubernetes.io/component": "controller"}},
        "endpoints": [{"port": "metrics", "interval": "30s"}],
        "namespaceSelector": {"matchNames": ["ingress-nginx"]},
    },
}
PROMETHEUS_RULE: dict[str, Any] = {
    "apiVersion": "monitoring.coreos.com/v1",
    "kind": "PrometheusRule",
    "metadata": {"name": "ingress-nginx-controller"},
    "spec": {"groups": [{"name": "ingress-nginx", "rules": [{"alert": "Down", "expr": "up == 0", "for": "5m"}]}]},
}
SCALED_OBJECT: dict[str, Any] = {
    "apiVersion": "keda.sh/v1alpha1",
    "kind": "ScaledObject",
    "metadata": {"name": "ingress-nginx-controller"},
    "spec": {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "ingress-nginx-controller"},
        "minReplicaCount": 1,
        "maxReplicaCount": 5,
        "triggers": [{"type": "cpu", "metricType": "Utilization", "metadata": {"value": "60"}}],
    },
}
ISSUER: dict[str, Any] = {
    "apiVersion": "cert-manager.io/v1",
    "kind": "Issuer",
    "metadata": {"name": "ingress-nginx-self-signed-issuer"},
    "spec": {"selfSigned": {}},
}
CERTIFICATE: dict[str, Any] = {
    "apiVersion": "cert-manager.io/v1",
    "kind": "Certificate",
    "metadata": {"name": "ingress-nginx-admission"},
    "spec": {
        "secretName": "ingress-nginx-admission",
        "issuerRef": {"name": "ingress-nginx-root-issuer"},
        "dnsNames": ["ingress-nginx-controller-admission.ingress-nginx.svc"],
        "duration": "2160h",
        "revisionHistoryLimit": 2,
    },
}
VALID = [SERVICE_MONITOR, PROMETHEUS_RULE, SCALED_OBJECT, ISSUER, CERTIFICATE]


def changed(base: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """A copy of base with the value at path replaced (or removed for ...)."""
    result = copy.deepcopy(base)
    target: Any = result
    for part in path[:-1]:
        target = target[part]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return result


@pytest.mark.parametrize("obj", VALID, ids=lambda obj: obj["kind"])
def test_valid_examples_pass(obj: dict[str, Any], custom_schemas: CustomSchemas) -> None:
    assert custom_schemas.errors(obj) == []


INVALID = {
    "servicemonitor-unknown-field": changed(SERVICE_MONITOR, ("spec", "scrapeInterval"), "30s"),
    "servicemonitor-bad-interval": changed(SERVICE_MONITOR, ("spec", "endpoints", 0, "interval"), "30 seconds"),
    "servicemonitor-no-selector": changed(SERVICE_MONITOR, ("spec", "selector"), ...),
    "prometheusrule-alert-and-record": changed(
        PROMETHEUS_RULE, ("spec", "groups", 0, "rules", 0, "record"), "job:up:sum"
    ),
    "prometheusrule-no-expr": changed(PROMETHEUS_RULE, ("spec", "groups", 0, "rules", 0, "expr"), ...),
    "scaledobject-no-triggers": changed(SCALED_OBJECT, ("spec", "triggers"), []),
    "scaledobject-numeric-metadata": changed(SCALED_OBJECT, ("spec", "triggers", 0, "metadata", "value"), 60),
    "issuer-two-kinds": changed(ISSUER, ("spec", "ca"), {"secretName": "root"}),
    "certificate-no-issuer": changed(CERTIFICATE, ("spec", "issuerRef"), ...),
    "certificate-zero-history": changed(CERTIFICATE, ("spec", "revisionHistoryLimit"), 0),
    "certificate-bad-duration": changed(CERTIFICATE, ("spec", "duration"), "90d"),
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_examples_fail(name: str, custom_schemas: CustomSchemas) -> None:
    assert custom_schemas.errors(INVALID[name]), f"{name} should be refused"
