"""One cluster with a real edge node for the whole e2e session (E2E_PROVIDER).

local (the default): the local control plane with a real kubelet node in its own
namespaces (ingress_nginx_values.cluster.edge); kind: a kind cluster (needs
docker and kind). Where the provider cannot run, the tier skips naming the
missing piece; under CI=true it fails instead, since CI has everything.
"""
from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest
import testinfra
from kubernetes import client, config

from ingress_nginx_values.cluster import ProviderUnavailable
from ingress_nginx_values.cluster.edge import edge_cluster
from ingress_nginx_values.cluster.images import dataplane_tarballs
from ingress_nginx_values.cluster.node import RealNodeConfig
from ingress_nginx_values.cluster.providers import check_kind, kind_cluster, kind_config
from ingress_nginx_values.cluster.stub_crds import apply_stub_crds
from e2e.node_release import need_local_node
from e2e.service_wave import ServiceWave, profile_member, service_profiles, stream_member
from e2e.support import HTTP_PORT, HTTPS_PORT, E2ECluster, missing_for_local_node, unavailable

def _local() -> Iterator[E2ECluster]:
    missing = missing_for_local_node()
    if missing:
        unavailable("E2E_PROVIDER=local needs a real node and the data plane; missing: " + "; ".join(missing))
    node_config = RealNodeConfig(extra_images=tuple(dataplane_tarballs().values()))
    with edge_cluster(node_config=node_config) as edge:
        prefix = tuple(edge.node_command())

        def listens(port: int) -> bool:
            out = subprocess.run([*prefix, "ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True)
            return bool(out.stdout.strip())

        yield E2ECluster("local", edge.kubeconfig, edge.node.config.name, edge.ingress_address, listens, prefix)


def _kind() -> Iterator[E2ECluster]:
    try:
        check_kind()
    except ProviderUnavailable as missing:
        unavailable(str(missing))
    with kind_cluster(kind_config(HTTP_PORT, HTTPS_PORT)) as cluster:
        node = f"{cluster.name}-control-plane"

        def listens(port: int) -> bool:
            return bool(testinfra.get_host(f"docker://{node}").socket(f"tcp://0.0.0.0:{port}").is_listening)

        yield E2ECluster("kind", cluster.kubeconfig, node, "127.0.0.1", listens)


@pytest.fixture(scope="session")
def e2e_cluster() -> Iterator[E2ECluster]:
    provider = os.environ.get("E2E_PROVIDER", "local") or "local"
    if provider == "local":
        yield from _local()
    elif provider == "kind":
        yield from _kind()
    else:
        unavailable(f"E2E_PROVIDER={provider}: the e2e tier runs on `local` (a real node here) or `kind`")


@pytest.fixture(scope="session")
def e2e_api(e2e_cluster: E2ECluster) -> Iterator[client.ApiClient]:
    api_client = config.new_client_from_config(config_file=str(e2e_cluster.kubeconfig))
    yield api_client
    api_client.close()


@pytest.fixture(scope="session")
def service_wave(e2e_cluster: E2ECluster, e2e_api: client.ApiClient) -> Iterator[ServiceWave]:
    """Every ci-values profile reached through a Service, and the stream release, brought up
    side by side in the background (e2e/service_wave.py)."""
    need_local_node(e2e_cluster)
    # ServiceMonitor, PrometheusRule and cert-manager's kinds: stored, nothing acts on them.
    apply_stub_crds(e2e_api)
    wave = ServiceWave(e2e_cluster, e2e_api, (*map(profile_member, service_profiles()), stream_member()))
    wave.start()
    try:
        yield wave
    finally:
        wave.close()


@pytest.fixture(scope="session", autouse=True)
def _service_wave_starts_first(request: pytest.FixtureRequest) -> None:
    """Starts the wave with the session when a selected test needs it, so that its waits
    overlap the tests that hold the node's ports; a skip or CI failure of the wave is
    left for the tests that ask for it."""
    if any("service_wave" in getattr(item, "fixturenames", ()) for item in request.session.items):
        try:
            request.getfixturevalue("service_wave")
        except (pytest.skip.Exception, pytest.fail.Exception):
            pass
