"""The parity run: every corpus case rendered by upstream 4.15.1 and by this chart, once per session."""
from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from threading import local

import pytest

from conftest import helm_executable
from parity.corpus import Case, repository_corpus
from ingress_nginx_values import upstream_chart
from ingress_nginx_values.differences import Differences
from ingress_nginx_values.parity import Charts, HelmRenderFunction, ParityReport, RenderFunction, check
from paths import CHART, ROOT
# Helm is a separate process per render; two at a time keep both cores busy.
WORKERS = 2


def new_render_function() -> RenderFunction:
    """The one place the render backend of the tier is chosen."""
    return HelmRenderFunction(helm_executable("helm3"))


@dataclass(frozen=True)
class ParityRun:
    reports: dict[str, ParityReport]
    differences: Differences


def _upstream_chart() -> Path:
    try:
        return upstream_chart.locate(ROOT)
    except upstream_chart.UpstreamChartMissing as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def parity_run() -> Iterator[ParityRun]:
    differences = Differences.from_chart(CHART)
    charts = Charts(upstream=_upstream_chart(), ours=CHART)
    per_thread = local()

    def run(case: Case) -> tuple[str, ParityReport]:
        if not hasattr(per_thread, "render"):
            per_thread.render = new_render_function()
        return case.id, check(per_thread.render, charts, differences, case.values, case.release, case.namespace)

    with ThreadPoolExecutor(WORKERS) as pool:
        reports = dict(pool.map(run, repository_corpus()))
    yield ParityRun(reports, differences)
