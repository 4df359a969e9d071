"""Shared fixtures: paths, Helm renderers and a per-run render cache."""
from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ingress_nginx_values.render_server import RenderServer
from ingress_nginx_values.release_names import DEFAULT_NAMESPACE, DEFAULT_RELEASE
from ingress_nginx_values.render_error import RenderError
from ingress_nginx_values.rendering import HelmRenderer
from manifests import Manifests
from paths import CHART, ROOT

if TYPE_CHECKING:
    from ingress_nginx_values.cluster import Cluster, ProviderUnavailable
TOOLS_BIN = ROOT / ".tools" / "bin"
HELM_VERSIONS = ("helm3", "helm4")


def helm_executable(name: str) -> str:
    found = shutil.which(name, path=str(TOOLS_BIN)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run `make tools` (the test command does it for you)")
    return found


TIERS = ("unit", "render", "parity", "conformance", "mutations", "cluster", "e2e", "dataplane")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test's tier is the folder it lives in: tests/<tier>/..."""
    for item in items:
        parts = Path(item.fspath).relative_to(ROOT / "tests").parts
        if parts and parts[0] in TIERS:
            item.add_marker(getattr(pytest.mark, parts[0]))


def ci_forbids_skips() -> bool:
    """Under CI=true every piece a test needs must be there: a skip would hide a gap."""
    return os.environ.get("CI", "").lower() == "true"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if report.skipped and ci_forbids_skips() and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where nothing may skip: {reason}"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def chart_dir() -> Path:
    return CHART


class RenderCache:
    """Renders each distinct (chart, helm, values, release, namespace) once per test run.

    Helm 3 renders go to one long-lived chart-renderer process (Helm 3's own code,
    same output); Helm 4, which only a few tests ask for, runs as its executable.
    """

    def __init__(self, server: RenderServer) -> None:
        self._server = server
        self._helm4: dict[Path, HelmRenderer] = {}
        self._results: dict[str, Manifests | RenderError] = {}

    def _render(self, chart: Path, values: dict[str, Any], release: str, namespace: str, helm: str) -> Manifests:
        if helm == "helm3":
            return Manifests(self._server.render(chart, values, release=release, namespace=namespace).objects)
        if helm != "helm4":
            raise ValueError(f"unknown Helm {helm!r}: helm3 or helm4")
        if chart not in self._helm4:
            self._helm4[chart] = HelmRenderer(chart, executable=helm_executable(helm))
        return Manifests(self._helm4[chart].render(values, release=release, namespace=namespace))

    def _result(
        self, values: dict[str, Any], release: str, namespace: str, helm: str, chart: Path
    ) -> Manifests | RenderError:
        key = json.dumps([str(chart), values, release, namespace, helm], sort_keys=True)
        if key not in self._results:
            try:
                self._results[key] = self._render(chart, values, release, namespace, helm)
            except RenderError as error:
                self._results[key] = error
        return self._results[key]

    def render(
        self,
        values: dict[str, Any] | None = None,
        *,
        release: str = DEFAULT_RELEASE,
        namespace: str = DEFAULT_NAMESPACE,
        helm: str = "helm3",
        chart: Path = CHART,
    ) -> Manifests:
        result = self._result(values or {}, release, namespace, helm, chart)
        if isinstance(result, RenderError):
            raise AssertionError(f"helm template failed:\n{result.message}")
        return result

    def outcome(
        self, values: dict[str, Any], *, release: str = DEFAULT_RELEASE, namespace: str = DEFAULT_NAMESPACE, helm: str = "helm3"
    ) -> Manifests | RenderError:
        """What Helm made of the values: the objects, or its refusal (cached like render)."""
        return self._result(values, release, namespace, helm, CHART)

    def render_error(
        self,
        values: dict[str, Any],
        *,
        release: str = DEFAULT_RELEASE,
        namespace: str = DEFAULT_NAMESPACE,
        helm: str = "helm3",
        chart: Path = CHART,
    ) -> str:
        result = self._result(values, release, namespace, helm, chart)
        if not isinstance(result, RenderError):
            raise AssertionError(f"helm template rendered {len(result.objects)} objects; expected it to refuse {values}")
        return result.message


@pytest.fixture(scope="session")
def render_server() -> Iterator[RenderServer]:
    with RenderServer(Path(helm_executable("chart-renderer"))) as server:
        yield server


@pytest.fixture(scope="session")
def render_cache(render_server: RenderServer) -> Iterator[RenderCache]:
    yield RenderCache(render_server)


@pytest.fixture(scope="session")
def render(render_cache: RenderCache) -> Callable[..., Manifests]:
    """render(values, release=..., namespace=..., helm="helm3"|"helm4") -> Manifests."""
    return render_cache.render


@pytest.fixture(scope="session")
def render_error(render_cache: RenderCache) -> Callable[..., str]:
    """render_error(values, ...) -> Helm's message; fails the test if Helm rendered."""
    return render_cache.render_error


@pytest.fixture(scope="session")
def opened_cluster() -> Iterator[Cluster | ProviderUnavailable]:
    """The session's one cluster (E2E_PROVIDER; the local control plane by default),
    shared by the cluster tier and the mutations tier's dry-runs, so that a run of
    both starts it once; or why it cannot run here, for each tier to report its way."""
    # Imported here: the Kubernetes client is the `cluster` extra, which the other tiers do not need.
    from ingress_nginx_values.cluster import ProviderUnavailable, open_cluster

    try:
        with open_cluster() as opened:
            yield opened
            return
    except ProviderUnavailable as unavailable:
        missing = unavailable
    yield missing
