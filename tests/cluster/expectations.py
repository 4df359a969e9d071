"""What a values profile should produce on a cluster, read from the values themselves."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from profiles import holds_host_ports


def _get(values: dict[str, Any], path: str, default: Any) -> Any:
    node: Any = values
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node or node[key] is None:
            return default
        node = node[key]
    return node


def _matches(node: Any, selector: dict[str, str], tolerations: list[dict[str, Any]]) -> bool:
    labels = node.metadata.labels or {}
    if any(labels.get(k) != v for k, v in selector.items()):
        return False
    for taint in node.spec.taints or []:
        if taint.effect not in ("NoSchedule", "NoExecute"):
            continue
        if not any(_tolerates(t, taint) for t in tolerations):
            return False
    return True


def _tolerates(toleration: dict[str, Any], taint: Any) -> bool:
    if toleration.get("effect") and toleration["effect"] != taint.effect:
        return False
    if toleration.get("operator") == "Exists":
        return not toleration.get("key") or toleration["key"] == taint.key
    return toleration.get("key") == taint.key and (toleration.get("value") or "") == (taint.value or "")


@dataclass(frozen=True)
class Expected:
    values: dict[str, Any]

    @property
    def kind(self) -> str:
        return _get(self.values, "controller.kind", "Deployment")

    @property
    def needs_privileged_namespace(self) -> bool:
        """Pod Security's baseline and restricted levels refuse host ports, hostNetwork's included."""
        return holds_host_ports(self.values)

    @property
    def replicas(self) -> int:
        if _get(self.values, "controller.autoscaling.enabled", False):
            return int(_get(self.values, "controller.autoscaling.minReplicas", 1))
        return int(_get(self.values, "controller.replicaCount", 1))

    @property
    def ingress_class(self) -> str:
        return _get(self.values, "controller.ingressClassResource.name", "nginx")

    @property
    def controller_value(self) -> str:
        return _get(self.values, "controller.ingressClassResource.controllerValue", "k8s.io/ingress-nginx")

    @property
    def default_class(self) -> bool:
        return bool(_get(self.values, "controller.ingressClassResource.default", False))

    @property
    def webhook(self) -> bool:
        return bool(_get(self.values, "controller.admissionWebhooks.enabled", True))

    @property
    def certgen_jobs(self) -> bool:
        return self.webhook and not _get(self.values, "controller.admissionWebhooks.certManager.enabled", False) \
            and bool(_get(self.values, "controller.admissionWebhooks.patch.enabled", True))

    @property
    def scoped(self) -> bool:
        return bool(_get(self.values, "rbac.scope", False))

    @property
    def service_enabled(self) -> bool:
        return bool(_get(self.values, "controller.service.enabled", True))

    @property
    def external_service(self) -> bool:
        return self.service_enabled and bool(_get(self.values, "controller.service.external.enabled", True))

    @property
    def internal_service(self) -> bool:
        return self.service_enabled and bool(_get(self.values, "controller.service.internal.enabled", False))

    def daemonset_nodes(self, nodes: list[Any]) -> set[str]:
        selector = dict(_get(self.values, "controller.nodeSelector", {"kubernetes.io/os": "linux"}))
        tolerations = list(_get(self.values, "controller.tolerations", []))
        return {n.metadata.name for n in nodes if _matches(n, selector, tolerations)}
