"""End to end: daemonset-prod serves real HTTP(S) traffic on the edge node.

Written for kind (one control-plane node labelled ingress-ready=true with its
ports 80 and 443 published on the host, and one worker that must get no
controller); the same tests run on the local real node (E2E_PROVIDER=local, the
default), whose ports this machine reaches at the node's address and where kwok's
simulated nodes must get no controller. See tests/e2e/conftest.py for what each
provider needs; a missing piece is named in the skip (a failure under CI=true).
"""
from __future__ import annotations

from typing import Any

import pytest
import requests
import urllib3
import yaml
from kubernetes import client

from e2e.node_release import NodeRelease, eventually, on_node
from e2e.support import HTTP_PORT, HTTPS_PORT, E2ECluster
from ingress_nginx_values.cluster.helm import HelmReleases
from ingress_nginx_values.values_loading import merge_values
from paths import ROOT

CHART = ROOT / "charts" / "ingress-nginx"
PROFILE = ROOT / "ci-values" / "daemonset-prod.yaml"
HELM = ROOT / ".tools" / "bin" / "helm3"
RELEASE = "ingress-nginx"
NAMESPACE = "ingress-nginx"
HOST = "demo.local"
BACKEND_IMAGE = "registry.k8s.io/e2e-test-images/agnhost:2.53"


# What the kind node needs on top of the profile: with no Service in front there
# is no address to publish, and the host's loopback is where the ports arrive.
KIND_OVERRIDES: dict[str, Any] = {
    "controller": {
        "extraArgs": {"publish-status-address": "localhost"},
        "terminationGracePeriodSeconds": 0,
    },
}


@pytest.fixture(scope="module")
def kind(e2e_cluster: E2ECluster) -> E2ECluster:
    return e2e_cluster


@pytest.fixture(scope="module")
def api(e2e_api: client.ApiClient) -> client.ApiClient:
    return e2e_api


@pytest.fixture(scope="module")
def installed(kind: E2ECluster, api: client.ApiClient) -> dict[str, Any]:
    profile = yaml.safe_load(PROFILE.read_text())
    # On the local node: the values test_controller_on_node.py installs this release with,
    # so that when it ran first this upgrade changes no pod and waits for no rollout.
    values = on_node(profile) if kind.provider == "local" else dict(merge_values(profile, KIND_OVERRIDES))
    HelmReleases(CHART, kind.kubeconfig, executable=str(HELM), timeout="300s").install(
        RELEASE, NAMESPACE, values, wait=True, create_namespace=True)
    # When test_controller_on_node.py installed this release first, the install is an
    # upgrade, and Helm's wait ends before the DaemonSet's rollout does (maxUnavailable 1
    # of 1 node counts as ready with no pod Ready). Until the old pod is gone both
    # controllers listen on the node's ports (nginx binds with SO_REUSEPORT), and the old
    # one answers 404 for a host it never loaded.
    NodeRelease(kind, api, RELEASE, NAMESPACE).ready_controllers()
    _deploy_backend(api)
    return values


def _deploy_backend(api: client.ApiClient) -> None:
    labels = {"app": "web"}
    container = client.V1Container(
        name="web", image=BACKEND_IMAGE, args=["netexec", "--http-port=8080"],
        ports=[client.V1ContainerPort(container_port=8080, name="http")],
        readiness_probe=client.V1Probe(http_get=client.V1HTTPGetAction(path="/healthz", port=8080)),
    )
    client.AppsV1Api(api).create_namespaced_deployment("default", client.V1Deployment(
        metadata=client.V1ObjectMeta(name="web"),
        spec=client.V1DeploymentSpec(replicas=1, selector=client.V1LabelSelector(match_labels=labels),
                                     template=client.V1PodTemplateSpec(metadata=client.V1ObjectMeta(labels=labels),
                                                                       spec=client.V1PodSpec(containers=[container]))),
    ))
    client.CoreV1Api(api).create_namespaced_service("default", client.V1Service(
        metadata=client.V1ObjectMeta(name="web"),
        spec=client.V1ServiceSpec(selector=labels, ports=[client.V1ServicePort(name="http", port=80, target_port="http")]),
    ))
    backend = client.V1IngressBackend(service=client.V1IngressServiceBackend(
        name="web", port=client.V1ServiceBackendPort(name="http")))
    rule = client.V1IngressRule(host=HOST, http=client.V1HTTPIngressRuleValue(
        paths=[client.V1HTTPIngressPath(path="/", path_type="Prefix", backend=backend)]))
    ingress = client.V1Ingress(
        metadata=client.V1ObjectMeta(name="web"),
        spec=client.V1IngressSpec(ingress_class_name="nginx", rules=[rule]),
    )
    # The webhook answers only once the controller has loaded its certificate.
    eventually(lambda: client.NetworkingV1Api(api).create_namespaced_ingress("default", ingress), "the Ingress to be admitted")


def test_controller_only_on_the_edge_node(installed: dict[str, Any], api: client.ApiClient, kind: E2ECluster) -> None:
    pods = client.CoreV1Api(api).list_namespaced_pod(
        NAMESPACE, label_selector="app.kubernetes.io/component=controller").items
    assert [p.spec.node_name for p in pods] == [kind.edge_node]
    assert pods[0].spec.host_network is True


def test_routes_the_host_to_the_backend(installed: dict[str, Any], kind: E2ECluster) -> None:
    def answer() -> str:
        response = requests.get(f"http://{kind.ingress_address}:{HTTP_PORT}/hostname", headers={"Host": HOST}, timeout=5)
        return response.text if response.status_code == 200 else ""

    assert eventually(answer, f"http://{HOST}/hostname to answer", 180).startswith("web-")


def test_routes_https_with_the_default_certificate(installed: dict[str, Any], kind: E2ECluster) -> None:
    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

    # The body on 200 only, as for HTTP: any status code is truthy, so returning it would
    # stop eventually() at the first answer, a 404 from a reload in flight included.
    def answer() -> str:
        response = requests.get(f"https://{kind.ingress_address}:{HTTPS_PORT}/hostname", headers={"Host": HOST},
                                timeout=5, verify=False)
        return response.text if response.status_code == 200 else ""

    assert eventually(answer, f"https://{HOST}/hostname to answer", 180).startswith("web-")


def test_unknown_host_gets_the_default_backend_404(installed: dict[str, Any], kind: E2ECluster) -> None:
    # The body, not the Response: a Response is falsy for any 4xx, so eventually() would never stop.
    def answer() -> str:
        response = requests.get(f"http://{kind.ingress_address}:{HTTP_PORT}/", headers={"Host": "unknown.local"}, timeout=5)
        return response.text if response.status_code == 404 else ""

    body = eventually(answer, "a 404 for an unknown host", 180)
    assert "default backend" in body, body


@pytest.mark.parametrize("port", [80, 443])
def test_edge_node_listens(installed: dict[str, Any], kind: E2ECluster, port: int) -> None:
    assert eventually(lambda: kind.listens(port), f"the node to listen on {port}", 60)
