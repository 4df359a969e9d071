"""The tcp-udp profile with metrics on, on the real node: a TCP service through nginx's
stream module and the controller's Prometheus metrics.

Real: the controller (the data plane's image) proxies the `tcp:` entry 5432 to the
test backend, reached from the host at the node's address on the node port that
kube-proxy opens for the controller Service's port 5432. No load balancer hands
the LoadBalancer Service an address here; its node port is what one would target.
The release is the service wave's `stream` member (e2e/service_wave.py), brought
up beside the other Service-reached releases.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests
from kubernetes import client

from e2e.node_release import eventually
from e2e.service_wave import STREAM, TCP_PORT, BroughtUp, ServiceWave

METRICS_PORT = 10254


@pytest.fixture(scope="module")
def stream(service_wave: ServiceWave) -> Iterator[BroughtUp]:
    try:
        yield service_wave.member(STREAM)
    finally:
        service_wave.discard([STREAM])


def test_tcp_service_answers_through_the_stream_module(stream: BroughtUp, e2e_api: client.ApiClient) -> None:
    services = client.CoreV1Api(e2e_api).list_namespaced_service(
        stream.release.namespace, label_selector="app.kubernetes.io/component=controller").items
    node_port = next(p.node_port for s in services for p in s.spec.ports or []
                     if p.port == TCP_PORT and p.protocol == "TCP")
    address = stream.release.cluster.ingress_address
    # The backend speaks HTTP; nginx's stream proxy passes the bytes through untouched.
    # kube-proxy writes the node port's rules a moment after the controller is Ready.
    answer = eventually(lambda: requests.get(f"http://{address}:{node_port}/hostname", timeout=3),
                        f"{address}:{node_port} to answer", 30)
    assert answer.status_code == 200
    assert answer.text == stream.backend.metadata.name


def test_metrics_port_serves_controller_metrics(stream: BroughtUp) -> None:
    pod = stream.controllers[0]
    answer = requests.get(f"http://{pod.status.pod_ip}:{METRICS_PORT}/metrics", timeout=5)
    assert answer.status_code == 200
    names = {line.split("{")[0].split(" ")[0] for line in answer.text.splitlines()
             if line.startswith("nginx_ingress_controller_")}
    assert "nginx_ingress_controller_config_last_reload_successful" in names, sorted(names)
    reload_ok = re.search(r"^nginx_ingress_controller_config_last_reload_successful\{[^}]*\} (\S+)$",
                          answer.text, re.MULTILINE)
    assert reload_ok and float(reload_ok.group(1)) == 1.0, answer.text[:2000]
