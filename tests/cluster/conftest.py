"""One cluster per test session (E2E_PROVIDER, default: the local control plane)
and a fresh namespace per test, so the tier stays fast and tests stay independent."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from kubernetes import client, config

from cluster.support import CHART, HELM, Installs
from ingress_nginx_values.cluster import Cluster, ProviderUnavailable, open_cluster
from ingress_nginx_values.cluster.helm import HelmReleases
from ingress_nginx_values.cluster.stub_crds import apply_stub_crds


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    try:
        with open_cluster() as opened:
            yield opened
    except ProviderUnavailable as unavailable:
        pytest.skip(str(unavailable))


@pytest.fixture(scope="session")
def api(cluster: Cluster) -> Iterator[client.ApiClient]:
    api_client = config.new_client_from_config(config_file=str(cluster.kubeconfig))
    apply_stub_crds(api_client)
    yield api_client
    api_client.close()


@pytest.fixture(scope="session")
def core(api: client.ApiClient) -> client.CoreV1Api:
    return client.CoreV1Api(api)


@pytest.fixture(scope="session")
def apps(api: client.ApiClient) -> client.AppsV1Api:
    return client.AppsV1Api(api)


@pytest.fixture(scope="session")
def helm_releases(cluster: Cluster) -> HelmReleases:
    if not HELM.exists():
        pytest.fail(f"{HELM} is not installed: run `make tools`")
    return HelmReleases(CHART, cluster.kubeconfig, executable=str(HELM))


@pytest.fixture
def installs(helm_releases: HelmReleases, core: client.CoreV1Api, request: pytest.FixtureRequest) -> Iterator[Installs]:
    tracker = Installs(helm_releases, core, request.node.name)
    yield tracker
    tracker.cleanup()


@pytest.fixture
def namespace(installs: Installs) -> str:
    return installs.namespace()


@pytest.fixture
def wait_for() -> Callable[..., object]:
    """wait_for(condition, timeout, what): polls until condition() is truthy and returns it."""

    def poll(condition: Callable[[], object], timeout: float = 30.0, what: str = "condition") -> object:
        deadline = time.monotonic() + timeout
        while True:
            result = condition()
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
            time.sleep(0.25)

    return poll
