"""Every ci-values profile installs with `helm upgrade --install --wait` and comes up
as its values say: hooks, IngressClass, workload placement, endpoints and RBAC.

The profiles install side by side in the background (`ProfileInstalls`), each as
release `ingress-nginx-<profile>` in its own namespace, so that their cluster-wide
objects (ClusterRoles, webhook configuration) do not clash; a profile that names no
IngressClass gets one named after its release (`profiles.own_class`). The one thing
this changes in what a profile does: deployment-loadbalancer's preferred pod
anti-affinity selects `app.kubernetes.io/instance: ingress-nginx`, which its own pods
no longer carry (nothing here checks how its pods spread). Profiles whose pods take
host ports install one after another: each waits for the previous one's removal.
"""
from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from kubernetes import client
from pyhelm3.models import ReleaseRevision

from cluster.expectations import Expected
from cluster.support import Installs
from cluster.together import WORKERS
from ingress_nginx_values.cluster.helm import HelmReleases
from polling import eventually
from profiles import holds_host_ports, load_profile, own_class, profile_names

RELEASE_PREFIX = "ingress-nginx"


@dataclass
class Installed:
    profile: str
    release: str
    namespace: str
    expected: Expected
    revision: ReleaseRevision

    @property
    def controller_selector(self) -> str:
        return f"app.kubernetes.io/instance={self.release},app.kubernetes.io/component=controller"


@dataclass
class ProfileInstalls:
    """Installs the selected profiles at once, in test order, and removes each on request."""

    helm: HelmReleases
    core: client.CoreV1Api
    _pool: ThreadPoolExecutor = field(init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _trackers: dict[str, Installs] = field(default_factory=dict)
    _installs: dict[str, Future[Installed]] = field(default_factory=dict)
    _removals: list[Future[None]] = field(default_factory=list)
    # Host-port profiles after the first wait here for their predecessor's removal.
    _waiting: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="profile")

    def start(self, names: list[str]) -> None:
        for name in names:
            if holds_host_ports(load_profile(name)):
                self._waiting.append(name)
        # The host-port chain is the longest, so its first link starts first.
        if self._waiting:
            self._submit(self._waiting.pop(0))
        for name in names:
            if name not in self._installs and name not in self._waiting:
                self._submit(name)

    def _submit(self, name: str) -> None:
        with self._lock:
            self._installs[name] = self._pool.submit(self._install, name)

    def _install(self, name: str) -> Installed:
        release = f"{RELEASE_PREFIX}-{name}"
        values = own_class(load_profile(name), release)
        expected = Expected(values)
        level = "privileged" if expected.needs_privileged_namespace else "restricted"
        tracker = Installs(self.helm, self.core, name)
        with self._lock:
            self._trackers[name] = tracker
        namespace = tracker.namespace({"pod-security.kubernetes.io/enforce": level})
        revision = tracker.install(release, namespace, values)
        return Installed(name, release, namespace, expected, revision)

    def get(self, name: str) -> Installed:
        with self._lock:
            future = self._installs.get(name)
        if future is None:
            raise AssertionError(f"{name} was not installed: it was not selected when the module started")
        return future.result()

    def remove(self, name: str) -> None:
        """Uninstalls in the background; a removed host-port profile lets the next one install."""
        follows = self._waiting.pop(0) if self._waiting and holds_host_ports(load_profile(name)) else None
        with self._lock:
            if follows is None:
                self._removals.append(self._pool.submit(self._remove, name))
            else:
                self._installs[follows] = self._pool.submit(self._remove_then_install, name, follows)

    def _remove(self, name: str) -> None:
        with self._lock:
            future, tracker = self._installs.get(name), self._trackers.get(name)
        if future is not None:
            future.exception()  # a failed install has made things to remove too
        if tracker is not None:
            tracker.cleanup()

    def _remove_then_install(self, name: str, follows: str) -> Installed:
        self._remove(name)
        return self._install(follows)

    def close(self) -> None:
        """Removes whatever is left, once the removals under way are done."""
        self._waiting.clear()
        for removal in self._removals:
            removal.exception()
        for name in list(self._installs):
            self._remove(name)
        self._pool.shutdown(wait=True)
        for removal in self._removals:
            removal.result()


def _selected_profiles(request: pytest.FixtureRequest) -> list[str]:
    """The profiles of this module's selected tests, in the order the tests run."""
    selected: list[str] = []
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        if getattr(item, "module", None) is request.module and callspec and "installed" in callspec.params:
            name = callspec.params["installed"]
            if name not in selected:
                selected.append(name)
    return selected


@pytest.fixture(scope="module")
def profile_installs(helm_releases: HelmReleases, core: client.CoreV1Api, request: pytest.FixtureRequest) -> Iterator[ProfileInstalls]:
    installs = ProfileInstalls(helm_releases, core)
    try:
        installs.start(_selected_profiles(request))
        yield installs
    finally:
        installs.close()


@pytest.fixture(scope="module", params=profile_names())
def installed(request: pytest.FixtureRequest, profile_installs: ProfileInstalls) -> Iterator[Installed]:
    try:
        yield profile_installs.get(request.param)
    finally:
        profile_installs.remove(request.param)


def test_release_deployed(installed: Installed) -> None:
    assert installed.revision.status.value == "deployed"
    assert installed.revision.notes, "the chart printed no NOTES"


def test_webhook_certificate_source(installed: Installed, core: client.CoreV1Api, api: client.ApiClient) -> None:
    """The certgen hook Jobs ran to completion, or cert-manager objects stand in for them."""
    events = core.list_namespaced_event(installed.namespace, field_selector="involvedObject.kind=Job").items
    completed = {e.involved_object.name for e in events if e.reason == "Completed"}
    if installed.expected.certgen_jobs:
        assert completed == {f"{installed.release}-admission-create", f"{installed.release}-admission-patch"}, completed
        return
    assert not completed, f"{installed.profile} should run no certgen Job, ran {completed}"
    if installed.expected.webhook:
        certificate = client.CustomObjectsApi(api).get_namespaced_custom_object(
            "cert-manager.io", "v1", installed.namespace, "certificates", f"{installed.release}-admission")
        assert certificate["spec"]["secretName"] == f"{installed.release}-admission"


def test_ingress_class(installed: Installed, api: client.ApiClient) -> None:
    expected = installed.expected
    ingress_class = client.NetworkingV1Api(api).read_ingress_class(expected.ingress_class)
    assert ingress_class.spec.controller == expected.controller_value
    annotations = ingress_class.metadata.annotations or {}
    assert annotations.get("ingressclass.kubernetes.io/is-default-class", "false") == str(expected.default_class).lower()


def _controller_pods(core: client.CoreV1Api, installed: Installed) -> list[client.V1Pod]:
    pods = core.list_namespaced_pod(installed.namespace, label_selector=installed.controller_selector).items
    return [p for p in pods if not p.metadata.deletion_timestamp]


def test_controller_pods_placed(installed: Installed, core: client.CoreV1Api, apps: client.AppsV1Api) -> None:
    expected = installed.expected
    if expected.kind == "DaemonSet":
        pods = _controller_pods(core, installed)
        assert all(p.status.phase == "Running" for p in pods), [(p.metadata.name, p.status.phase) for p in pods]
        wanted = expected.daemonset_nodes(core.list_node().items)
        assert wanted, "no node matches the profile's nodeSelector and tolerations"
        on_nodes = sorted(p.spec.node_name for p in pods)
        assert on_nodes == sorted(wanted), f"one pod per matching node {sorted(wanted)}, got {on_nodes}"
        return
    deployments = apps.list_namespaced_deployment(installed.namespace, label_selector=installed.controller_selector).items
    assert [d.kind or "Deployment" for d in deployments] == ["Deployment"]
    name = deployments[0].metadata.name

    def ready() -> bool:
        # An autoscaled Deployment renders no replicas; the HPA controller
        # raises it to minReplicas on its first sync (every 2 s here, cluster/local.py).
        status = apps.read_namespaced_deployment(name, installed.namespace).status
        running = [p for p in _controller_pods(core, installed) if p.status.phase == "Running"]
        return status.ready_replicas == expected.replicas and len(running) == expected.replicas

    eventually(ready, timeout=45, what=f"{expected.replicas} ready controller replicas")


def test_service_endpoints_list_controller_pods(installed: Installed, core: client.CoreV1Api, api: client.ApiClient) -> None:
    expected = installed.expected
    services = core.list_namespaced_service(installed.namespace, label_selector=installed.controller_selector).items
    if not services:
        # A profile without a controller Service has no endpoints to check;
        # that it renders none is what it expects.
        assert not expected.external_service and not expected.internal_service and not expected.webhook
        return
    pod_ips = {p.status.pod_ip for p in core.list_namespaced_pod(installed.namespace, label_selector=installed.controller_selector).items}
    discovery = client.DiscoveryV1Api(api)
    for service in services:
        slices = discovery.list_namespaced_endpoint_slice(
            installed.namespace, label_selector=f"kubernetes.io/service-name={service.metadata.name}").items
        addresses = {a for s in slices for e in s.endpoints or [] if e.conditions.ready for a in e.addresses}
        assert addresses == pod_ips, f"{service.metadata.name}: {addresses} != controller pods {pod_ips}"
        slice_ports = {(p.name, p.port) for s in slices for p in s.ports or []}
        pod_ports = _container_ports(core, installed)
        for port in service.spec.ports:
            target = port.target_port
            number = pod_ports.get(target) if isinstance(target, str) else target
            assert (port.name, number) in slice_ports, f"{service.metadata.name} port {port.name}->{target}: {slice_ports}"


def _container_ports(core: client.CoreV1Api, installed: Installed) -> dict[str, int]:
    pod = core.list_namespaced_pod(installed.namespace, label_selector=installed.controller_selector).items[0]
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
    pods = client.CoreV1Api(api).list_namespaced_pod(namespace, label_selector=installed.controller_selector).items
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
    return configured or f"{installed.release}-leader"
