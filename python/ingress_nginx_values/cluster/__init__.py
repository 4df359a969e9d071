"""Clusters for the cluster and e2e tests and the demo: a local control plane
(etcd, kube-apiserver, controller manager, scheduler and kwok fake nodes), kind,
or an existing cluster."""
from .kwok import FakeNodes, NodeSpec, Taint, default_nodes
from .local import LocalControlPlane, LocalControlPlaneConfig
from .providers import Cluster, ProviderUnavailable, open_cluster, selected_provider

__all__ = [
    "Cluster",
    "FakeNodes",
    "LocalControlPlane",
    "LocalControlPlaneConfig",
    "NodeSpec",
    "ProviderUnavailable",
    "Taint",
    "default_nodes",
    "open_cluster",
    "selected_provider",
]
