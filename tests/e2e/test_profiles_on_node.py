"""Every ci-values/ profile on the real node: its controller pods Running and Ready
there (nginx really up) and one request routed through it to a test backend.

One profile at a time, uninstalled before the next, since only one controller can
hold the node's ports. The host reaches each controller where the profile exposes
it: the node port of its Service (NodePort and LoadBalancer; no load balancer
gives an address here), else port 80 of the node (hostPort or hostNetwork).

Simulated, because one node runs no operators:
- ServiceMonitor, PrometheusRule and cert-manager's kinds are schema-less stub CRDs
  (as in the cluster tier): the objects are stored and nothing acts on them;
- cert-manager itself: this test issues the admission Certificate's Secret and
  injects the CA into the webhook, the two things cert-manager and its cainjector do;
- metrics-server: absent, so the HorizontalPodAutoscaler never scales; only the
  controller's readiness and routing are asserted for autoscaling-hpa.
"""
from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from kubernetes import client

from e2e.node_release import (NodeRelease, create_ingress, create_namespace, delete_namespace, deploy_backend,
                              free_the_node, on_node, routed)
from e2e.support import E2ECluster, unavailable
from ingress_nginx_values.cluster.certs import CertificateAuthority
from ingress_nginx_values.cluster.stub_crds import apply_stub_crds
from paths import PROFILES

NAMESPACE = "profiles"
RELEASE = "edge"
BACKEND = "web"


@pytest.fixture(scope="module")
def backend(e2e_cluster: E2ECluster, e2e_api: client.ApiClient) -> Iterator[client.V1Pod]:
    if e2e_cluster.provider != "local":
        unavailable(f"these tests use the data plane's images on the local node; E2E_PROVIDER={e2e_cluster.provider}")
    free_the_node(e2e_cluster, e2e_api)
    apply_stub_crds(e2e_api)
    create_namespace(e2e_api, NAMESPACE)
    try:
        yield deploy_backend(e2e_api, NAMESPACE, BACKEND, 80)
    finally:
        delete_namespace(e2e_api, NAMESPACE)


def _get(values: dict[str, Any], *path: str) -> Any:
    for key in path:
        values = values.get(key) or {} if isinstance(values, dict) else {}
    return values


def _stand_in_for_cert_manager(api: client.ApiClient, workdir: Path) -> None:
    """Issues the admission Certificate's Secret and injects its CA, as cert-manager and its cainjector would."""
    certificates = client.CustomObjectsApi(api).list_namespaced_custom_object(
        "cert-manager.io", "v1", NAMESPACE, "certificates")["items"]
    admission = next(c["spec"] for c in certificates if c["spec"].get("dnsNames"))
    names = tuple(admission["dnsNames"])
    authority = CertificateAuthority.create(workdir, "stand-in-for-cert-manager")
    leaf = authority.issue("admission", names[0], server_names=names)

    def encoded(path: Path) -> str:
        return base64.b64encode(path.read_bytes()).decode()

    client.CoreV1Api(api).create_namespaced_secret(NAMESPACE, client.V1Secret(
        metadata=client.V1ObjectMeta(name=admission["secretName"]), type="kubernetes.io/tls",
        data={"ca.crt": encoded(authority.pair.cert), "tls.crt": encoded(leaf.cert), "tls.key": encoded(leaf.key)}))
    admissions = client.AdmissionregistrationV1Api(api)
    for webhook in admissions.list_validating_webhook_configuration(
            label_selector=f"app.kubernetes.io/instance={RELEASE}").items:
        assert "cert-manager.io/inject-ca-from" in (webhook.metadata.annotations or {})
        for hook in webhook.webhooks:
            hook.client_config.ca_bundle = encoded(authority.pair.cert)
        admissions.replace_validating_webhook_configuration(webhook.metadata.name, webhook)


def _controller_log(api: client.ApiClient, release: NodeRelease) -> str:
    core = client.CoreV1Api(api)
    return "\n".join(core.read_namespaced_pod_log(pod.metadata.name, NAMESPACE, container="controller", tail_lines=30)
                     for pod in release.controller_pods())


@pytest.mark.parametrize("profile", sorted(PROFILES.glob("*.yaml")), ids=lambda path: path.stem)
def test_profile_runs_on_the_node_and_routes(backend: client.V1Pod, e2e_cluster: E2ECluster,
                                            e2e_api: client.ApiClient, profile: Path, tmp_path: Path) -> None:
    values = yaml.safe_load(profile.read_text()) or {}
    release = NodeRelease(e2e_cluster, e2e_api, RELEASE, NAMESPACE)
    try:
        release.install(on_node(values))
        if _get(values, "controller", "admissionWebhooks", "certManager").get("enabled"):
            _stand_in_for_cert_manager(e2e_api, tmp_path)
        for pod in release.ready_controllers():
            assert pod.spec.node_name == e2e_cluster.edge_node
            assert all(s.container_id.startswith("containerd://") for s in pod.status.container_statuses)
        ingress_class = _get(values, "controller", "ingressClassResource").get("name", "nginx")
        # With rbac.scope the chart grants no ClusterRole, so the controller may not read
        # IngressClasses: it disables that feature (its log says so) and takes Ingresses
        # only by the legacy class annotation, upstream's chart and controller alike.
        create_ingress(e2e_api, NAMESPACE, profile.stem, ingress_class, BACKEND,
                       class_by_annotation=bool(_get(values, "rbac").get("scope")))
        try:
            routed(release.http_endpoint(), f"{profile.stem}.example.com", backend.metadata.name)
        except AssertionError as unrouted:
            raise AssertionError(f"{unrouted}\ncontroller log:\n{_controller_log(e2e_api, release)}") from None
    finally:
        release.uninstall()
        networking = client.NetworkingV1Api(e2e_api)
        if any(i.metadata.name == profile.stem for i in networking.list_namespaced_ingress(NAMESPACE).items):
            networking.delete_namespaced_ingress(profile.stem, NAMESPACE)
        # Neither Helm nor the chart owns the admission Secret (certgen's Job or cert-manager
        # writes it); the next profile must start without it, as on a fresh cluster.
        core = client.CoreV1Api(e2e_api)
        for secret in core.list_namespaced_secret(NAMESPACE).items:
            if secret.metadata.name.endswith("-admission"):
                core.delete_namespaced_secret(secret.metadata.name, NAMESPACE)
