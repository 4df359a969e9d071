"""The parity run: every corpus case rendered by upstream 4.15.1 and by this chart, once per session."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from queue import SimpleQueue
from typing import Any

import pytest

from conftest import helm_executable
from ingress_nginx_values import upstream_chart
from ingress_nginx_values.differences import Differences
from ingress_nginx_values.parity import Charts, Objects, ParityReport, RenderFunction, check
from ingress_nginx_values.render_server import RenderServer
from parity.corpus import Case, repository_corpus
from paths import CHART, ROOT

# One renderer process per worker; the machine's two cores are the limit.
WORKERS = 2


@dataclass(frozen=True)
class ServerRenderFunction:
    """A RenderFunction over one chart-renderer process (Helm 3's own code, helm3's output)."""

    server: RenderServer

    def __call__(self, chart: Path, values: Mapping[str, Any], release: str, namespace: str) -> Objects:
        return self.server.render(chart, values, release=release, namespace=namespace).objects


def new_render_function(stack: ExitStack) -> RenderFunction:
    """The one place the render backend of the tier is chosen."""
    return ServerRenderFunction(stack.enter_context(RenderServer(Path(helm_executable("chart-renderer")))))


@dataclass(frozen=True)
class ParityRun:
    reports: dict[str, ParityReport]
    differences: Differences


@pytest.fixture(scope="session")
def upstream_archive() -> Path:
    """The oracle. A clone without ../shared and without network has none (tools/install.sh
    says it is unavailable): every test of the tier skips naming it, failing under CI=true."""
    try:
        return upstream_chart.locate(ROOT)
    except upstream_chart.UpstreamChartMissing as error:
        pytest.skip(str(error))


@pytest.fixture(scope="session")
def parity_run(upstream_archive: Path) -> Iterator[ParityRun]:
    differences = Differences.from_chart(CHART)
    charts = Charts(upstream=upstream_archive, ours=CHART)
    with ExitStack() as stack:
        # Each worker takes a renderer for one case and returns it: a renderer process answers one request at a time.
        idle: SimpleQueue[RenderFunction] = SimpleQueue()
        for _ in range(WORKERS):
            idle.put(new_render_function(stack))

        def run(case: Case) -> tuple[str, ParityReport]:
            render = idle.get()
            try:
                return case.id, check(render, charts, differences, case.values, case.release, case.namespace)
            finally:
                idle.put(render)

        with ThreadPoolExecutor(WORKERS) as pool:
            reports = dict(pool.map(run, repository_corpus()))
        yield ParityRun(reports, differences)
