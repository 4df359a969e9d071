"""Releases that need none of the node's host ports, installed side by side in the background.

A controller reached through its Service's node port (NodePort, LoadBalancer) holds
no port of the node, so such releases can run together. Each gets a release and a
namespace of its own, a test backend there, and is brought up (installed, its
cert-manager stand-in where asked, its controller pods Ready) by a small thread
pool that starts with the session, while the tests that hold the node's ports
run. A test asks the wave for its member and gets the Ready pods, or the error
that member met (with the controller's log); the members do not fail each other.

Beside other releases a profile's values change in two places, and only these:
- a profile that keeps the default IngressClass `nginx` gets one of its own
  (`profiles.own_class`, shared with the cluster tier);
- the admission webhook judges only Ingresses of the release's own namespace
  (`controller.admissionWebhooks.namespaceSelector`): every webhook is called for
  every Ingress of the cluster, so one member still starting, or failing, would
  otherwise refuse the Ingresses of all the others.
"""
from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from kubernetes import client
from kubernetes.client.exceptions import ApiException

from e2e.node_release import NodeRelease, create_namespace, delete_namespace, deploy_backend
from e2e.support import E2ECluster
from ingress_nginx_values.values_loading import merge_values
from profiles import holds_host_ports, load_profile, own_class, profile_names

# Enough members in flight to overlap their waits (certgen Jobs, readiness probes) on 2 cores.
WORKERS = 5
NAMESPACE_LABEL = "kubernetes.io/metadata.name"


@dataclass(frozen=True)
class Backend:
    namespace: str
    service: str
    port: int


@dataclass(frozen=True)
class WaveMember:
    name: str
    namespace: str
    values: dict[str, Any] = field(hash=False)
    backend: Backend


@dataclass(frozen=True)
class BroughtUp:
    release: NodeRelease
    backend: client.V1Pod
    controllers: list[client.V1Pod]


def beside_others(values: dict[str, Any], release: str, namespace: str) -> dict[str, Any]:
    """The two changes of the module docstring."""
    webhook = {"admissionWebhooks": {"namespaceSelector": {"matchLabels": {NAMESPACE_LABEL: namespace}}}}
    return dict(merge_values(own_class(values, release), {"controller": webhook}))


def profile_member(name: str) -> WaveMember:
    namespace = f"profile-{name}"
    return WaveMember(name, namespace, beside_others(load_profile(name), name, namespace), Backend(namespace, "web", 80))


# The tcp-udp profile with metrics on, for the TCP and metrics tests: its first tcp: entry
# is databases/postgres:5432, and the test backend stands in for postgres.
STREAM = "stream"
TCP_PORT = 5432
STREAM_BACKEND = Backend("databases", "postgres", TCP_PORT)


def stream_member() -> WaveMember:
    profile = load_profile("tcp-udp")
    target = f"{STREAM_BACKEND.namespace}/{STREAM_BACKEND.service}:{TCP_PORT}"
    assert profile["tcp"][str(TCP_PORT)] == target, "tcp-udp.yaml no longer proxies " + target
    values = merge_values(profile, {"controller": {"metrics": {"enabled": True}}})
    return WaveMember(STREAM, STREAM, beside_others(dict(values), STREAM, STREAM), STREAM_BACKEND)


def service_profiles() -> list[str]:
    """The ci-values profiles whose controller is reached through a Service, by name."""
    return [name for name in profile_names() if not holds_host_ports(load_profile(name))]


@dataclass
class ServiceWave:
    cluster: E2ECluster
    api: client.ApiClient
    members: tuple[WaveMember, ...]
    _pool: ThreadPoolExecutor = field(init=False, repr=False)
    _running: dict[str, Future[BroughtUp]] = field(init=False, repr=False, default_factory=dict)
    _discarding: dict[str, Future[None]] = field(init=False, repr=False, default_factory=dict)

    def start(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="wave")
        self._running = {member.name: self._pool.submit(self._bring_up, member) for member in self.members}

    def _release(self, member: WaveMember) -> NodeRelease:
        return NodeRelease(self.cluster, self.api, member.name, member.namespace)

    def _bring_up(self, member: WaveMember) -> BroughtUp:
        for namespace in dict.fromkeys((member.namespace, member.backend.namespace)):
            create_namespace(self.api, namespace)
        backend = deploy_backend(self.api, member.backend.namespace, member.backend.service, member.backend.port)
        release = self._release(member)
        try:
            controllers = release.bring_up(member.values)
        except AssertionError as not_ready:
            raise AssertionError(f"{not_ready}\ncontroller log:\n{release.controller_log()}") from None
        return BroughtUp(release, backend, controllers)

    def member(self, name: str) -> BroughtUp:
        """Waits for that member; raises the error it met while being brought up."""
        return self._running[name].result()

    def discard(self, names: Iterable[str]) -> None:
        """Uninstalls members and deletes their namespaces in the pool, so the tests go on;
        close() waits for that and raises what went wrong."""
        for name in names:
            if name not in self._discarding:
                member = next(m for m in self.members if m.name == name)
                self._discarding[name] = self._pool.submit(self._remove, member)

    def _remove(self, member: WaveMember) -> None:
        self._running[member.name].exception()  # never uninstall under a member still being brought up
        release = self._release(member)
        if release.controller_pods() or release.leftovers():
            # Not waited for: the namespaces take the pods (and certgen's Secret) with them.
            release.uninstall(wait=False)
        for namespace in dict.fromkeys((member.namespace, member.backend.namespace)):
            try:
                delete_namespace(self.api, namespace)
            except ApiException as error:
                if error.status != 404:  # never created: the member failed before that
                    raise

    def close(self) -> None:
        self.discard([member.name for member in self.members])
        self._pool.shutdown()
        for removal in self._discarding.values():
            removal.result()
