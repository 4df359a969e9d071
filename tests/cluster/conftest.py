"""One cluster per test session (E2E_PROVIDER, default: the local control plane;
tests/conftest.py's `opened_cluster`, shared with the mutations tier) and a fresh
namespace per test, so the tier stays fast and tests stay independent."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from kubernetes import client, config

from cluster.support import CHART, HELM, Installs
from cluster.together import Together
from ingress_nginx_values.cluster import Cluster, ProviderUnavailable
from ingress_nginx_values.cluster.helm import HelmReleases
from ingress_nginx_values.cluster.stub_crds import apply_stub_crds


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "together(scenario, release): the test's body runs with its module's others (cluster/together.py)")


@pytest.fixture(scope="session")
def cluster(opened_cluster: Cluster | ProviderUnavailable) -> Cluster:
    if isinstance(opened_cluster, ProviderUnavailable):
        pytest.skip(str(opened_cluster))
    return opened_cluster


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


@pytest.fixture(scope="module")
def scenarios(helm_releases: HelmReleases, api: client.ApiClient, request: pytest.FixtureRequest) -> Iterator[Together]:
    """Starts the `together` scenarios of the module's selected tests at once."""
    runner = Together(helm_releases, api)
    runner.start([item for item in request.session.items if getattr(item, "module", None) is request.module])
    yield runner
    runner.close()
