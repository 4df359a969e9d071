"""Facts of upstream 4.15.1's rendered output (shared/reference/behaviour.md) that
several test modules assert: the release `ingress-nginx` in namespace `ingress-nginx`."""
from __future__ import annotations

# Deployments and DaemonSets refuse a changed selector: it must be exactly this.
CONTROLLER_SELECTOR = {
    "app.kubernetes.io/name": "ingress-nginx",
    "app.kubernetes.io/instance": "ingress-nginx",
    "app.kubernetes.io/component": "controller",
}

CONTROLLER_SECURITY_CONTEXT = {
    "runAsNonRoot": True,
    "runAsUser": 101,
    "runAsGroup": 82,
    "allowPrivilegeEscalation": False,
    "seccompProfile": {"type": "RuntimeDefault"},
    "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]},
    "readOnlyRootFilesystem": False,
}
