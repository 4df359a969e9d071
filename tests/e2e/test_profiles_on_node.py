"""Every ci-values/ profile on the real node: its controller pods Running and Ready
there (nginx really up) and one request routed through it to a test backend.

Each profile is its own release in its own namespace, with its own backend. The
host reaches each controller where the profile exposes it: the node port of its
Service (NodePort and LoadBalancer; no load balancer gives an address here), else
port 80 of the node (hostPort or hostNetwork).
- Profiles reached through a Service were brought up side by side in the
  background (the service_wave fixture; e2e/service_wave.py says which two values
  it changes beside the others and why); each test here proves its own member.
- Profiles that hold the node's ports (hostNetwork, hostPort) run one at a time.

Simulated, because one node runs no operators:
- ServiceMonitor, PrometheusRule and cert-manager's kinds are schema-less stub CRDs
  (as in the cluster tier): the objects are stored and nothing acts on them;
- cert-manager itself: e2e/cert_manager_stand_in.py issues the admission
  Certificate's Secret and injects the CA into the webhook, the two things
  cert-manager and its cainjector do;
- metrics-server: absent, so the HorizontalPodAutoscaler never scales; only the
  controller's readiness and routing are asserted for autoscaling-hpa.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from kubernetes import client

from e2e.node_release import (NodeRelease, create_ingress, create_namespace, delete_namespace, deploy_backend,
                              free_host_ports, ingress_class_of, need_local_node, routed, setting)
from e2e.service_wave import ServiceWave, service_profiles
from e2e.support import E2ECluster
from ingress_nginx_values.cluster.stub_crds import apply_stub_crds
from profiles import holds_host_ports, load_profile, profile_names

HOST_PORT_PROFILES = [name for name in profile_names() if holds_host_ports(load_profile(name))]
BACKEND = "web"


def _routes(release: NodeRelease, values: dict[str, Any], name: str, service: str, backend: client.V1Pod) -> None:
    """The controllers are on the edge node, in containerd, and route `<name>.example.com` to `service`'s backend."""
    for pod in release.ready_controllers():
        assert pod.spec.node_name == release.cluster.edge_node
        assert all(s.container_id.startswith("containerd://") for s in pod.status.container_statuses)
    # With rbac.scope the chart grants no ClusterRole, so the controller may not read
    # IngressClasses: it disables that feature (its log says so) and takes Ingresses
    # only by the legacy class annotation, upstream's chart and controller alike.
    create_ingress(release.api, release.namespace, name, ingress_class_of(values), service,
                   class_by_annotation=bool(setting(values, "rbac").get("scope")))
    try:
        routed(release.http_endpoint(), f"{name}.example.com", backend.metadata.name)
    except AssertionError as unrouted:
        raise AssertionError(f"{unrouted}\ncontroller log:\n{release.controller_log()}") from None


@pytest.mark.parametrize("profile", service_profiles())
def test_profile_runs_on_the_node_and_routes(service_wave: ServiceWave, profile: str) -> None:
    member = next(m for m in service_wave.members if m.name == profile)
    try:
        brought_up = service_wave.member(profile)
        _routes(brought_up.release, member.values, profile, member.backend.service, brought_up.backend)
    finally:
        # Frees the node's CPU for what follows; the pods terminate meanwhile.
        service_wave.discard([profile])


@pytest.fixture(scope="module")
def host_ports(e2e_cluster: E2ECluster, e2e_api: client.ApiClient) -> Iterator[E2ECluster]:
    need_local_node(e2e_cluster)
    apply_stub_crds(e2e_api)
    # The scheduler keeps each next controller Pending until the one before has let go of the ports.
    free_host_ports(e2e_cluster, e2e_api)
    yield e2e_cluster


@pytest.mark.parametrize("profile", HOST_PORT_PROFILES)
def test_host_port_profile_runs_on_the_node_and_routes(host_ports: E2ECluster, e2e_api: client.ApiClient,
                                                       profile: str) -> None:
    values = load_profile(profile)
    namespace = f"profile-{profile}"
    create_namespace(e2e_api, namespace)
    release = NodeRelease(host_ports, e2e_api, profile, namespace)
    try:
        backend = deploy_backend(e2e_api, namespace, BACKEND, 80)
        release.bring_up(values)
        _routes(release, values, profile, BACKEND, backend)
    finally:
        # Not waited for: the next such profile's pod waits in the scheduler instead. The
        # namespace takes the admission Secret with it (certgen writes it; Helm does not own it).
        if release.controller_pods() or release.leftovers():
            release.uninstall(wait=False)
        delete_namespace(e2e_api, namespace)
