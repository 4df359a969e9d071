"""From the upstream chart 4.15.1 to ours on the real node, and away again.

Real: both charts install the same images (the data plane's, with the same
overrides) and the same profile (daemonset-prod: hostNetwork on the edge node);
requests go from the host to the node's port 80 before and after `helm upgrade`,
and fail once `helm uninstall` has removed the release.
"""
from __future__ import annotations

import subprocess

import requests
import yaml
from kubernetes import client

from e2e.node_release import (HELM, UPSTREAM_CHART, NodeRelease, create_ingress, create_namespace, delete_namespace,
                              deploy_backend, eventually, free_host_ports, need_local_node, on_node, routed)
from e2e.support import E2ECluster
from paths import CHART, PROFILES

PROFILE = PROFILES / "daemonset-prod.yaml"
NAMESPACE = "upgrade"
HOST = f"{NAMESPACE}.example.com"


def _chart_label(chart: str) -> str:
    """The helm.sh/chart label a chart puts on its pods."""
    metadata = yaml.safe_load(subprocess.run([str(HELM), "show", "chart", chart], capture_output=True, text=True,
                                             check=True).stdout)
    return f"{metadata['name']}-{metadata['version']}"


def test_upgrade_from_upstream_keeps_routing_and_uninstall_leaves_nothing(
        e2e_cluster: E2ECluster, e2e_api: client.ApiClient) -> None:
    need_local_node(e2e_cluster, *([] if UPSTREAM_CHART.exists() else [
        f"{UPSTREAM_CHART} (run `make tools`; unavailable without ../shared/upstream or helm pull)"]))
    free_host_ports(e2e_cluster, e2e_api)
    create_namespace(e2e_api, NAMESPACE)
    release = NodeRelease(e2e_cluster, e2e_api, "edge", NAMESPACE)
    values = on_node(yaml.safe_load(PROFILE.read_text()))
    helm_record = f"owner=helm,name={release.release}"
    try:
        backend = deploy_backend(e2e_api, NAMESPACE, "web", 80)
        release.install(values, chart=UPSTREAM_CHART)
        before = release.ready_controllers()
        assert {p.metadata.labels["helm.sh/chart"] for p in before} == {_chart_label(str(UPSTREAM_CHART))}
        create_ingress(e2e_api, NAMESPACE, NAMESPACE, "nginx", "web")
        endpoint = release.http_endpoint()
        assert routed(endpoint, HOST, backend.metadata.name)

        release.install(values)
        ours = _chart_label(str(CHART))
        after = eventually(lambda: [p for p in release.ready_controllers()
                                    if p.metadata.labels["helm.sh/chart"] == ours],
                           "the controller pods of our chart to be Ready", 150)
        assert after and all(p.spec.node_name == e2e_cluster.edge_node for p in after)
        records = client.CoreV1Api(e2e_api).list_namespaced_secret(NAMESPACE, label_selector=helm_record).items
        assert sorted(s.metadata.labels["version"] for s in records) == ["1", "2"]
        assert routed(endpoint, HOST, backend.metadata.name)

        release.uninstall()
        assert release.leftovers() == []

        def refused() -> bool:
            try:
                requests.get(f"http://{endpoint[0]}:{endpoint[1]}/hostname", headers={"Host": HOST}, timeout=2)
            except requests.ConnectionError:
                return True
            return False

        assert eventually(refused, "port 80 of the node to stop answering", 30)
    finally:
        if release.controller_pods() or release.leftovers():
            release.uninstall()
        delete_namespace(e2e_api, NAMESPACE)
