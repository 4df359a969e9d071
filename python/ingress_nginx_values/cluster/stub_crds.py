"""Minimal CustomResourceDefinitions for the kinds some profiles create.

The ServiceMonitor, PrometheusRule, cert-manager and KEDA profiles create objects
whose operators a bare test cluster does not run. Without the CRDs the API server
refuses those objects and the install fails; with these schema-less stubs the
objects are stored and nothing acts on them, which is all an install needs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kubernetes import client


@dataclass(frozen=True)
class StubCrd:
    group: str
    version: str
    kind: str
    plural: str

    @property
    def name(self) -> str:
        return f"{self.plural}.{self.group}"

    def body(self) -> dict[str, Any]:
        return {
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": {"name": self.name},
            "spec": {
                "group": self.group,
                "scope": "Namespaced",
                "names": {
                    "kind": self.kind, "plural": self.plural,
                    "singular": self.kind.lower(), "listKind": f"{self.kind}List",
                },
                "versions": [{
                    "name": self.version, "served": True, "storage": True,
                    "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}},
                }],
            },
        }


STUB_CRDS = (
    StubCrd("monitoring.coreos.com", "v1", "ServiceMonitor", "servicemonitors"),
    StubCrd("monitoring.coreos.com", "v1", "PrometheusRule", "prometheusrules"),
    StubCrd("cert-manager.io", "v1", "Certificate", "certificates"),
    StubCrd("cert-manager.io", "v1", "Issuer", "issuers"),
    StubCrd("keda.sh", "v1alpha1", "ScaledObject", "scaledobjects"),
)


def apply_stub_crds(api_client: client.ApiClient) -> list[str]:
    """Creates the stubs the cluster lacks and returns the names it created.

    A CRD that already exists is left alone: on a shared cluster it may be the
    real one, installed with its operator.
    """
    extensions = client.ApiextensionsV1Api(api_client)
    existing = {crd.metadata.name for crd in extensions.list_custom_resource_definition().items}
    created = []
    for stub in STUB_CRDS:
        if stub.name not in existing:
            extensions.create_custom_resource_definition(stub.body())
            created.append(stub.name)
    return created
