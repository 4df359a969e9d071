"""Every ci-values profile installs with `helm upgrade --install --wait` and comes up
as its values say: hooks, IngressClass, workload placement, endpoints and RBAC."""
from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from kubernetes import client
from pyhelm3.models import ReleaseRevision

from cluster.expectations import Expected
from cluster.support import Installs, load_profile, profile_paths
from ingress_nginx_values.cluster.helm import HelmReleases

RELEASE = "ingress-nginx"
CONTROLLER_SELECTOR = f"app.kubernetes.io/instance={RELEASE},app.kubernetes.io/component=controller"


@dataclass
class Installed:
    profile: str
    namespace: str
    expected: Expected
    revision: ReleaseRevision
    install_seconds: float


@pytest.fixture(scope="module", params=profile_paths(), ids=lambda p: p.stem)
def installed(request: pytest.FixtureRequest, helm_releases: HelmReleases, core: client.CoreV1Api) -> Iterator[Installed]:
    path: Path = request.param
    values = load_profile(path)
    expected = Expected(values)
    level = "privileged" if expected.needs_privileged_namespace else "restricted"
    tracker = Installs(helm_releases, core, path.stem)
    namespace = tracker.namespace({"pod-security.kubernetes.io/enforce": level})
    started = time.monotonic()
    try:
        revision = tracker.install(RELEASE, namespace, values)
        yield Installed(path.stem, namespace, expected, revision, time.monotonic() - started)
    finally:
        tracker.cleanup()


def test_release_deployed(installed: Installed) -> None:
    assert installed.revision.status.value == "deployed"
    assert installed.revision.notes, "the chart printed no NOTES"


def test_webhook_certificate_source(installed: Installed, core: client.CoreV1Api, api: client.ApiClient) -> None:
    """The certgen hook Jobs ran to completion, or cert-manager objects stand in for them."""
    events = core.list_namespaced_event(installed.namespace, field_selector="involvedObject.kind=Job").items
    completed = {e.involved_object.name for e in events if e.reason == "Completed"}
    if installed.expected.certgen_jobs:
        assert completed == {f"{RELEASE}-admission-create", f"{RELEASE}-admission-patch"}, completed
        return
    assert not completed, f"{installed.profile} should run no certgen Job, ran {completed}"
    if installed.expected.webhook:
        certificate = client.CustomObjectsApi(api).get_namespaced_custom_object(
            "cert-manager.io", "v1", installed.namespace, "certificates", f"{RELEASE}-admission")
        assert certificate["spec"]["secretName"] == f"{RELEASE}-admission"


def test_ingress_class(installed: Installed, api: client.ApiClient) -> None:
    expected = installed.expected
    ingress_class = client.NetworkingV1Api(api).read_ingress_class(expected.ingress_class)
    assert ingress_class.spec.controller == expected.controller_value
    annotations = ingress_class.metadata.annotations or {}
    assert annotations.get("ingressclass.kubernetes.io/is-default-class", "false") == str(expected.default_class).lower()


def _controller_pods(core: client.CoreV1Api, namespace: str) -> list[client.V1Pod]:
    pods = core.list_namespaced_pod(namespace, label_selector=CONTROLLER_SELECTOR).items
    return [p for p in pods if not p.metadata.deletion_timestamp]


def test_controller_pods_placed(installed: Installed, core: client.CoreV1Api, apps: client.AppsV1Api, wait_for) -> None:
    expected = installed.expected
    if expected.kind == "DaemonSet":
        pods = _controller_pods(core, installed.namespace)
        assert all(p.status.phase == "Running" for p in pods), [(p.metadata.name, p.status.phase) for p in pods]
        wanted = expected.daemonset_nodes(core.list_node().items)
        assert wanted, "no node matches the profile's nodeSelector and tolerations"
        on_nodes = sorted(p.spec.node_name for p in pods)
        assert on_nodes == sorted(wanted), f"one pod per matching node {sorted(wanted)}, got {on_nodes}"
        return
    deployments = apps.list_namespaced_deployment(installed.namespace, label_selector=CONTROLLER_SELECTOR).items
    assert [d.kind or "Deployment" for d in deployments] == ["Deployment"]
    name = deployments[0].metadata.name

    def ready() -> bool:
        # An autoscaled Deployment renders no replicas; the HPA controller
        # raises it to minReplicas on its first sync (every 15 s).
        status = apps.read_namespaced_deployment(name, installed.namespace).status
        running = [p for p in _controller_pods(core, installed.namespace) if p.status.phase == "Running"]
        return status.ready_replicas == expected.replicas and len(running) == expected.replicas

    wait_for(ready, timeout=45, what=f"{expected.replicas} ready controller replicas")


def test_service_endpoints_list_controller_pods(installed: Installed, core: client.CoreV1Api, api: client.ApiClient) -> None:
    expected = installed.expected
    services = core.list_namespaced_service(installed.namespace, label_selector=CONTROLLER_SELECTOR).items
    if not services:
        # A profile without a controller Service has no endpoints to check;
        # that it renders none is what it expects.
        assert not expected.external_service and not expected.internal_service and not expected.webhook
        return
    pod_ips = {p.status.pod_ip for p in core.list_namespaced_pod(installed.namespace, label_selector=CONTROLLER_SELECTOR).items}
    discovery = client.DiscoveryV1Api(api)
    for service in services:
        slices = discovery.list_namespaced_endpoint_slice(
            installed.namespace, label_selector=f"kubernetes.io/service-name={service.metadata.name}").items
        addresses = {a for s in slices for e in s.endpoints or [] if e.conditions.ready for a in e.addresses}
        assert addresses == pod_ips, f"{service.metadata.name}: {addresses} != controller pods {pod_ips}"
        slice_ports = {(p.name, p.port) for s in slices for p in s.ports or []}
        pod_ports = _container_ports(core, installed.namespace)
        for port in service.spec.ports:
            target = port.target_port
            number = pod_ports.get(target) if isinstance(target, str) else target
            assert (port.name, number) in slice_ports, f"{service.metadata.name} port {port.name}->{target}: {slice_ports}"


def _container_ports(core: client.CoreV1Api, namespace: str) -> dict[str, int]:
    pod = core.list_namespaced_pod(namespace, label_selector=CONTROLLER_SELECTOR).items[0]
    return {p.name: p.container_port for c in pod.spec.containers for p in c.ports or [] if p.name}


def _review(api: client.ApiClient, user: str, namespace: str, verb: str, resource: str, *, group: str = "",
            subresource: str = "", name: str = "", in_namespace: str | None = "") -> bool:
    attributes = client.V1ResourceAttributes(
        verb=verb, resource=resource, group=group, subresource=subresource or None, name=name or None,
        namespace=namespace if in_namespace == "" else in_namespace,
    )
    review = client.V1SubjectAccessReview(spec=client.V1SubjectAccessReviewSpec(
        user=user, groups=["system:serviceaccounts", f"system:serviceaccounts:{namespace}", "system:authenticated"],
        resource_attributes=attributes,
    ))
    return bool(client.AuthorizationV1Api(api).create_subject_access_review(review).status.allowed)


def test_controller_rbac(installed: Installed, api: client.ApiClient, apps: client.AppsV1Api) -> None:
    namespace = installed.namespace
    pods = client.CoreV1Api(api).list_namespaced_pod(namespace, label_selector=CONTROLLER_SELECTOR).items
    account = pods[0].spec.service_account_name
    user = f"system:serviceaccount:{namespace}:{account}"
    other = f"elsewhere-{uuid.uuid4().hex[:4]}"

    def can(verb: str, resource: str, **kwargs: str | None) -> bool:
        return _review(api, user, namespace, verb, resource, **kwargs)

    for verb in ("list", "watch"):
        for resource, group in (("ingresses", "networking.k8s.io"), ("services", ""), ("endpointslices", "discovery.k8s.io"),
                                ("secrets", ""), ("configmaps", "")):
            assert can(verb, resource, group=group), f"cannot {verb} {resource} in its namespace"
        # IngressClasses are cluster-wide: only the ClusterRole, which rbac.scope drops, can grant them.
        reads_classes = can(verb, "ingressclasses", group="networking.k8s.io", in_namespace=None)
        assert reads_classes is not installed.expected.scoped, f"{verb} ingressclasses allowed={reads_classes}"
    assert can("update", "ingresses", group="networking.k8s.io", subresource="status")
    election = _election_id(installed)
    for verb in ("get", "update"):
        assert can(verb, "leases", group="coordination.k8s.io", name=election), f"cannot {verb} lease {election}"

    for verb in ("create", "update", "patch", "delete"):
        assert not can(verb, "secrets"), f"may {verb} secrets"
        assert not can(verb, "ingressclasses", group="networking.k8s.io", in_namespace=None), f"may {verb} ingressclasses"
        assert not can(verb, "nodes", in_namespace=None), f"may {verb} nodes"
        assert not can(verb, "namespaces", in_namespace=None), f"may {verb} namespaces"
    assert not can("update", "leases", group="coordination.k8s.io", name="someone-elses-lease")

    reads_elsewhere = can("list", "ingresses", group="networking.k8s.io", in_namespace=other)
    assert reads_elsewhere is not installed.expected.scoped, (
        f"rbac.scope={installed.expected.scoped} but listing ingresses in another namespace is allowed={reads_elsewhere}")


def _election_id(installed: Installed) -> str:
    configured = (installed.expected.values.get("controller") or {}).get("electionID")
    return configured or f"{RELEASE}-leader"
