"""Shared fixtures: paths, Helm renderers and a per-run render cache."""
from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ingress_nginx_values.rendering import DEFAULT_NAMESPACE, DEFAULT_RELEASE, HelmRenderer, RenderError
from manifests import Manifests
from paths import CHART, ROOT
TOOLS_BIN = ROOT / ".tools" / "bin"
HELM_VERSIONS = ("helm3", "helm4")


def helm_executable(name: str) -> str:
    found = shutil.which(name, path=str(TOOLS_BIN)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run `make tools` (the test command does it for you)")
    return found


TIERS = ("unit", "render", "conformance", "cluster", "e2e", "dataplane")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test's tier is the folder it lives in: tests/<tier>/..."""
    for item in items:
        parts = Path(item.fspath).relative_to(ROOT / "tests").parts
        if parts and parts[0] in TIERS:
            item.add_marker(getattr(pytest.mark, parts[0]))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def chart_dir() -> Path:
    return CHART


class RenderCache:
    """Renders each distinct (helm, values, release, namespace) once per test run."""

    def __init__(self) -> None:
        self._renderers: dict[str, HelmRenderer] = {}
        self._results: dict[str, Manifests | RenderError] = {}

    def _renderer(self, helm: str) -> HelmRenderer:
        if helm not in self._renderers:
            self._renderers[helm] = HelmRenderer(CHART, executable=helm_executable(helm))
        return self._renderers[helm]

    def _result(self, values: dict[str, Any], release: str, namespace: str, helm: str) -> Manifests | RenderError:
        key = json.dumps([values, release, namespace, helm], sort_keys=True)
        if key not in self._results:
            try:
                self._results[key] = Manifests(self._renderer(helm).render(values, release=release, namespace=namespace))
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
    ) -> Manifests:
        result = self._result(values or {}, release, namespace, helm)
        if isinstance(result, RenderError):
            raise AssertionError(f"helm template failed:\n{result.message}")
        return result

    def render_error(
        self,
        values: dict[str, Any],
        *,
        release: str = DEFAULT_RELEASE,
        namespace: str = DEFAULT_NAMESPACE,
        helm: str = "helm3",
    ) -> str:
        result = self._result(values, release, namespace, helm)
        if not isinstance(result, RenderError):
            raise AssertionError(f"helm template rendered {len(result.objects)} objects; expected it to refuse {values}")
        return result.message


@pytest.fixture(scope="session")
def render_cache() -> Iterator[RenderCache]:
    yield RenderCache()


@pytest.fixture(scope="session")
def render(render_cache: RenderCache) -> Callable[..., Manifests]:
    """render(values, release=..., namespace=..., helm="helm3"|"helm4") -> Manifests."""
    return render_cache.render


@pytest.fixture(scope="session")
def render_error(render_cache: RenderCache) -> Callable[..., str]:
    """render_error(values, ...) -> Helm's message; fails the test if Helm rendered."""
    return render_cache.render_error
