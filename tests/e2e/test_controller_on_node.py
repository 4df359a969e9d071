"""The real controller (the data plane's image) routes on the real node: the cafe
example's path routing, the certgen Jobs' work and the admission webhook. Needs the controller and certgen images built by the data plane
recipe into the image cache; without them the local tier skips before its node starts
(e2e/support.py, a failure under CI=true).
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from e2e.node_release import NodeRelease, create_namespace, delete_namespace, need_local_node
from e2e.support import E2ECluster
from ingress_nginx_values import cafe
from paths import PROFILES

RELEASE = NAMESPACE = "ingress-nginx"
CAFE_NAMESPACE = "cafe"


@pytest.fixture(scope="module")
def controller(e2e_cluster: E2ECluster, e2e_api: client.ApiClient) -> Iterator[E2ECluster]:
    need_local_node(e2e_cluster)
    # The same release as test_kind.py's, which upgrades it in place. Helm waits for the
    # certgen hooks; bring_up then for the controller (cafe.wait_routed for the backends).
    create_namespace(e2e_api, NAMESPACE)
    NodeRelease(e2e_cluster, e2e_api, RELEASE, NAMESPACE).bring_up(
        yaml.safe_load((PROFILES / "daemonset-prod.yaml").read_text()))
    create_namespace(e2e_api, CAFE_NAMESPACE)
    cafe.deploy(e2e_api, CAFE_NAMESPACE)
    cafe.wait_routed(e2e_cluster.ingress_address)
    yield e2e_cluster
    delete_namespace(e2e_api, CAFE_NAMESPACE)


@pytest.mark.parametrize("path", ["/coffee", "/tea"])
def test_cafe_paths_route_to_their_service(controller: E2ECluster, path: str) -> None:
    answer = cafe.get(controller.ingress_address, path)
    assert answer.status == 200, answer.line()
    assert answer.body.startswith(f"{path.strip('/')}-"), answer.line()


def test_certgen_patched_the_webhook_ca_bundle(controller: E2ECluster, e2e_api: client.ApiClient) -> None:
    webhook = client.AdmissionregistrationV1Api(e2e_api).read_validating_webhook_configuration(
        f"{RELEASE}-admission")
    secret = client.CoreV1Api(e2e_api).read_namespaced_secret(f"{RELEASE}-admission", NAMESPACE)
    assert webhook.webhooks[0].client_config.ca_bundle
    assert webhook.webhooks[0].client_config.ca_bundle == secret.data["ca"]


def _ingress(name: str, annotations: dict[str, str]) -> client.V1Ingress:
    backend = client.V1IngressBackend(service=client.V1IngressServiceBackend(
        name="coffee", port=client.V1ServiceBackendPort(name="http")))
    return client.V1Ingress(
        metadata=client.V1ObjectMeta(name=name, annotations=annotations),
        spec=client.V1IngressSpec(ingress_class_name="nginx", rules=[client.V1IngressRule(
            host=f"{name}.example.com", http=client.V1HTTPIngressRuleValue(paths=[client.V1HTTPIngressPath(
                path="/", path_type="Prefix", backend=backend)]))]),
    )


def test_webhook_rejects_a_snippet_and_admits_a_good_ingress(controller: E2ECluster,
                                                             e2e_api: client.ApiClient) -> None:
    networking = client.NetworkingV1Api(e2e_api)
    bad = _ingress("snippet", {"nginx.ingress.kubernetes.io/configuration-snippet": "return 418;"})
    with pytest.raises(ApiException) as refused:
        networking.create_namespaced_ingress(CAFE_NAMESPACE, bad, dry_run="All")
    assert "admission webhook" in str(refused.value.body) and "snippet" in str(refused.value.body).lower()
    good = networking.create_namespaced_ingress(CAFE_NAMESPACE, _ingress("good", {}), dry_run="All")
    assert good.metadata.name == "good"
