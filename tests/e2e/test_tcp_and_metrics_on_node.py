"""The tcp-udp profile with metrics on, on the real node: a TCP service through nginx's
stream module and the controller's Prometheus metrics.

Real: the controller (the data plane's image) proxies the `tcp:` entry 5432 to the
test backend, reached from the host at the node's address on the node port that
kube-proxy opens for the controller Service's port 5432. No load balancer hands
the LoadBalancer Service an address here; its node port is what one would target.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests
import yaml
from kubernetes import client

from e2e.node_release import (NodeRelease, create_namespace, delete_namespace, deploy_backend, eventually,
                              free_the_node, on_node)
from e2e.support import E2ECluster, unavailable
from ingress_nginx_values.values_loading import merge_values
from paths import PROFILES

PROFILE = PROFILES / "tcp-udp.yaml"
NAMESPACE = "stream"
# The profile's first tcp: entry is databases/postgres:5432; the test backend stands in for it.
TCP_PORT = 5432
TARGET_NAMESPACE, TARGET_SERVICE = "databases", "postgres"
METRICS_PORT = 10254


@dataclass(frozen=True)
class StreamRelease:
    release: NodeRelease
    backend: client.V1Pod
    controllers: list[client.V1Pod]


@pytest.fixture(scope="module")
def stream(e2e_cluster: E2ECluster, e2e_api: client.ApiClient) -> Iterator[StreamRelease]:
    if e2e_cluster.provider != "local":
        unavailable(f"these tests use the data plane's images on the local node; E2E_PROVIDER={e2e_cluster.provider}")
    free_the_node(e2e_cluster, e2e_api)
    profile = yaml.safe_load(PROFILE.read_text())
    assert profile["tcp"][str(TCP_PORT)] == f"{TARGET_NAMESPACE}/{TARGET_SERVICE}:{TCP_PORT}"
    create_namespace(e2e_api, TARGET_NAMESPACE)
    create_namespace(e2e_api, NAMESPACE)
    release = NodeRelease(e2e_cluster, e2e_api, "edge", NAMESPACE)
    try:
        backend = deploy_backend(e2e_api, TARGET_NAMESPACE, TARGET_SERVICE, TCP_PORT)
        release.install(on_node(merge_values(profile, {"controller": {"metrics": {"enabled": True}}})))
        yield StreamRelease(release, backend, release.ready_controllers())
        release.uninstall()
    finally:
        delete_namespace(e2e_api, NAMESPACE)
        delete_namespace(e2e_api, TARGET_NAMESPACE)


def test_tcp_service_answers_through_the_stream_module(stream: StreamRelease, e2e_api: client.ApiClient) -> None:
    services = client.CoreV1Api(e2e_api).list_namespaced_service(
        NAMESPACE, label_selector="app.kubernetes.io/component=controller").items
    node_port = next(p.node_port for s in services for p in s.spec.ports or []
                     if p.port == TCP_PORT and p.protocol == "TCP")
    address = stream.release.cluster.ingress_address
    # The backend speaks HTTP; nginx's stream proxy passes the bytes through untouched.
    # kube-proxy writes the node port's rules a moment after the controller is Ready.
    answer = eventually(lambda: requests.get(f"http://{address}:{node_port}/hostname", timeout=3),
                        f"{address}:{node_port} to answer", 30)
    assert answer.status_code == 200
    assert answer.text == stream.backend.metadata.name


def test_metrics_port_serves_controller_metrics(stream: StreamRelease) -> None:
    pod = stream.controllers[0]
    answer = requests.get(f"http://{pod.status.pod_ip}:{METRICS_PORT}/metrics", timeout=5)
    assert answer.status_code == 200
    names = {line.split("{")[0].split(" ")[0] for line in answer.text.splitlines()
             if line.startswith("nginx_ingress_controller_")}
    assert "nginx_ingress_controller_config_last_reload_successful" in names, sorted(names)
    reload_ok = re.search(r"^nginx_ingress_controller_config_last_reload_successful\{[^}]*\} (\S+)$",
                          answer.text, re.MULTILINE)
    assert reload_ok and float(reload_ok.group(1)) == 1.0, answer.text[:2000]
