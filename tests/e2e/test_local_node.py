"""The real node itself, with only the images built here: real pods, Services and logs.

Everything here runs for real: containerd starts the test backend's container with
runc on the `edge` node, kube-proxy's iptables rules in the node's network namespace
carry a Service's ClusterIP to it, and the API server reads the container's log
from the kubelet. Only the `simulated-*` nodes are kwok's and run nothing.
"""
from __future__ import annotations

import ipaddress
import subprocess
import sys
import urllib.request
from collections.abc import Iterator

import pytest
from kubernetes import client

from e2e.node_release import create_namespace, delete_namespace, deploy_backend, eventually
from e2e.support import E2ECluster, unavailable
from ingress_nginx_values.cluster.kwok import MANAGED_ANNOTATION
from ingress_nginx_values.cluster.node_network import NodeNetworkConfig

NAMESPACE = "node-proof"
SERVICE = "proof"


@pytest.fixture(scope="module")
def local(e2e_cluster: E2ECluster) -> E2ECluster:
    if e2e_cluster.provider != "local":
        unavailable(f"these tests prove the local real node; E2E_PROVIDER={e2e_cluster.provider}")
    return e2e_cluster


@pytest.fixture(scope="module")
def core(e2e_api: client.ApiClient) -> client.CoreV1Api:
    return client.CoreV1Api(e2e_api)


@pytest.fixture(scope="module")
def backend(local: E2ECluster, e2e_api: client.ApiClient) -> Iterator[client.V1Pod]:
    """One test backend pod behind a ClusterIP Service, Running and Ready on the real node."""
    create_namespace(e2e_api, NAMESPACE)
    yield deploy_backend(e2e_api, NAMESPACE, SERVICE, 80)
    delete_namespace(e2e_api, NAMESPACE)


def test_real_node_joined_and_kwok_keeps_to_its_own(local: E2ECluster, core: client.CoreV1Api) -> None:
    nodes = {node.metadata.name: node for node in core.list_node().items}
    edge = nodes[local.edge_node]
    assert (edge.metadata.labels or {}).get("ingress-ready") == "true"
    assert MANAGED_ANNOTATION not in (edge.metadata.annotations or {})
    assert [a.address for a in edge.status.addresses if a.type == "InternalIP"] == [local.ingress_address]
    assert edge.status.node_info.container_runtime_version.startswith("containerd://")
    simulated = [name for name in nodes if name != local.edge_node]
    assert simulated and all(name.startswith("simulated-") for name in simulated)
    assert all(MANAGED_ANNOTATION in (nodes[name].metadata.annotations or {}) for name in simulated)


def test_backend_container_runs_on_the_real_node(local: E2ECluster, backend: client.V1Pod) -> None:
    assert backend.spec.node_name == local.edge_node
    assert backend.status.phase == "Running"
    # kwok would leave no container ID; containerd reports its own.
    assert backend.status.container_statuses[0].container_id.startswith("containerd://")
    assert ipaddress.ip_address(backend.status.pod_ip) in ipaddress.ip_network(NodeNetworkConfig().pod_cidr)


def test_cluster_ip_reaches_the_pod_inside_the_node(local: E2ECluster, backend: client.V1Pod,
                                                    core: client.CoreV1Api) -> None:
    cluster_ip = core.read_namespaced_service(SERVICE, NAMESPACE).spec.cluster_ip
    fetch = f"import urllib.request; print(urllib.request.urlopen('http://{cluster_ip}/hostname', timeout=3).read().decode())"

    def answer() -> str:
        result = subprocess.run([*local.node_command, sys.executable, "-c", fetch], capture_output=True, text=True)
        return result.stdout.strip()

    # kube-proxy writes the Service's rules a moment after the endpoint is ready.
    assert eventually(answer, f"http://{cluster_ip}/hostname inside the node", 30) == backend.metadata.name


def test_host_reaches_the_pod_address(backend: client.V1Pod) -> None:
    """The API server calls admission webhooks this way, at the pod's address."""
    with urllib.request.urlopen(f"http://{backend.status.pod_ip}:8080/echo?msg=through-the-route", timeout=5) as answer:
        assert answer.read().decode() == "through-the-route"


def test_container_log_through_the_api_server(backend: client.V1Pod, core: client.CoreV1Api) -> None:
    with urllib.request.urlopen(f"http://{backend.status.pod_ip}:8080/echo?msg=logged", timeout=5):
        pass

    def log() -> str:
        text: str = core.read_namespaced_pod_log(backend.metadata.name, NAMESPACE, container="web")
        return text if "GET /echo?msg=logged" in text else ""

    assert eventually(log, "the request in the container's log", 15)
