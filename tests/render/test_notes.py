"""NOTES.txt per exposure mode.

`helm template` never renders NOTES.txt and Helm 3's `install --dry-run=client`
still needs a cluster, so the notes come from Helm 4's client-only dry run.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from functools import lru_cache
from typing import Any

import pytest
import yaml
from paths import SEED_VALUES as SEED
from paths import ROOT

CHART = ROOT / "charts" / "ingress-nginx"
HELM4 = shutil.which("helm4", path=str(ROOT / ".tools" / "bin"))

pytestmark = pytest.mark.skipif(HELM4 is None, reason="helm4 is not installed: run `make tools`")


@lru_cache(maxsize=None)
def _notes(values_json: str) -> str:
    assert HELM4 is not None
    result = subprocess.run(
        [HELM4, "install", "ingress-nginx", str(CHART), "--namespace", "edge", "--dry-run=client",
         "--output", "json", "--values", "-"],
        input=values_json, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["info"]["notes"]


def notes(values: dict[str, Any] | None = None) -> str:
    return _notes(json.dumps(values or {}, sort_keys=True))


FULL = "ingress-nginx-controller"


def test_load_balancer():
    text = notes()
    assert f"kubectl --namespace edge get service {FULL} --output wide --watch" in text
    assert ".status.loadBalancer.ingress[0].ip" in text
    assert "WARNING" not in text


def test_node_port_prints_fixed_ports_and_looks_up_the_others():
    text = notes({"tcp": {"2222": "git/ssh:22"}, "controller": {"service": {
        "type": "NodePort", "nodePorts": {"http": 30080, "tcp": {"2222": 30222}}}}})
    assert "HTTP: node port 30080" in text
    assert """HTTPS: kubectl --namespace edge get service ingress-nginx-controller --output jsonpath='{.spec.ports[?(@.name=="https")].nodePort}'""" in text
    assert "TCP 2222: node port 30222" in text
    assert "LoadBalancer" not in text


def test_cluster_ip_offers_port_forward():
    text = notes({"controller": {"service": {"type": "ClusterIP", "ports": {"http": 8000}}}})
    assert f"kubectl --namespace edge port-forward service/{FULL} 8080:8000" in text


def test_host_network_names_the_matching_nodes():
    text = notes({"controller": {"hostNetwork": True, "dnsPolicy": "ClusterFirstWithHostNet", "kind": "DaemonSet",
                                 "service": {"enabled": False},
                                 "nodeSelector": {"kubernetes.io/os": "linux", "edge": "true"}}})
    assert "(host network): HTTP on port 80, HTTPS on port 443." in text
    assert "kubectl get nodes --selector 'edge=true,kubernetes.io/os=linux' --output wide" in text
    assert "WARNING" not in text


def test_seed_values_host_network_notes():
    text = notes(yaml.safe_load(SEED.read_text()))
    assert "DaemonSet ingress-nginx-controller" in text
    assert "--selector 'kubernetes.io/hostname=master01,kubernetes.io/os=linux'" in text


def test_host_port_uses_the_host_ports():
    text = notes({"tcp": {"2222": "git/ssh:22"}, "controller": {
        "hostPort": {"enabled": True, "ports": {"http": 8080, "https": 8443}}, "service": {"enabled": False}}})
    assert "(host ports): HTTP on port 8080, HTTPS on port 8443, TCP on port 2222." in text
    assert "controller.kind=DaemonSet" in text


def test_nothing_exposes_the_controller():
    text = notes({"controller": {"service": {"enabled": False}}})
    assert "WARNING: nothing exposes the controller" in text


def test_internal_service_is_mentioned():
    text = notes({"controller": {"service": {"external": {"enabled": False}, "internal": {"enabled": True, "type": "ClusterIP"}}}})
    assert f"{FULL}-internal (type ClusterIP)" in text
    assert "nothing exposes" not in text


def test_sample_ingress_uses_the_class_name():
    assert "ingressClassName: public" in notes({"controller": {"ingressClassResource": {"name": "public"}}})
    text = notes({"controller": {"ingressClass": "legacy", "ingressClassResource": {"enabled": False}}})
    assert "ingressClassName: legacy" in text
    assert "must already exist" in text


def test_host_network_dns_warning():
    text = notes({"controller": {"hostNetwork": True, "service": {"enabled": False}}})
    assert "controller.dnsPolicy to ClusterFirstWithHostNet" in text


def test_service_monitor_without_service_warning():
    text = notes({"controller": {"metrics": {"enabled": True, "serviceMonitor": {"enabled": True},
                                             "service": {"enabled": False}}}})
    assert "the ServiceMonitor finds no Service to scrape" in text
