"""Helpers of the cluster tier shared by its conftest and test modules."""
from __future__ import annotations

import re
import uuid

from kubernetes import client

from ingress_nginx_values.cluster.helm import HelmReleases
from paths import ROOT

CHART = ROOT / "charts" / "ingress-nginx"
HELM = ROOT / ".tools" / "bin" / "helm3"


def _namespace_name(node_name: str) -> str:
    base = re.sub(r"[^a-z0-9-]+", "-", node_name.lower()).strip("-")[:48].strip("-")
    return f"{base}-{uuid.uuid4().hex[:5]}"


class Installs:
    """Creates namespaces and Helm releases for one test and removes all of them after it."""

    def __init__(self, helm: HelmReleases, core: client.CoreV1Api, test_name: str) -> None:
        self.helm = helm
        self.core = core
        self.test_name = test_name
        self.namespaces: list[str] = []
        self.releases: list[tuple[str, str]] = []

    def namespace(self, labels: dict[str, str] | None = None, suffix: str = "") -> str:
        name = _namespace_name(self.test_name + suffix)
        self.core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name, labels=labels)))
        self.namespaces.append(name)
        return name

    def install(self, release: str, namespace: str, values: dict | None = None, *, wait: bool = True):
        if (release, namespace) not in self.releases:
            self.releases.append((release, namespace))
        return self.helm.install(release, namespace, values, wait=wait)

    def cleanup(self) -> None:
        """Removes what was made so far; safe to call again."""
        # Releases own cluster-wide objects (IngressClass, ClusterRoles, webhook
        # configuration) that would clash with the next test's release.
        releases, namespaces = self.releases[::-1], list(self.namespaces)
        self.releases.clear()
        self.namespaces.clear()
        for release, namespace in releases:
            self.helm.uninstall(release, namespace)
        for namespace in namespaces:
            self.core.delete_namespace(namespace)


