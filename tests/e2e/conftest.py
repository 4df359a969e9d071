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
