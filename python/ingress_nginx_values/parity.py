"""One values set rendered by upstream 4.15.1 and by this chart, compared and explained.

This is the one implementation behind the parity tier and `upstream-diff`.
Rendering goes through a `RenderFunction`, so the caller picks the backend: the
CLI runs `helm template`, the parity tier the long-lived chart-renderer.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .differences import Difference, Differences
from .helm_template import HelmTemplate
from .render_error import RenderError
from .object_diff import FieldChange, compare

Objects = list[dict[str, Any]]
# (chart, values, release, namespace) -> objects; raises RenderError when the chart refuses.
RenderFunction = Callable[[Path, Mapping[str, Any], str, str], Objects]


@dataclass(frozen=True)
class HelmRenderFunction:
    """A RenderFunction running `helm template` as a user would."""

    executable: str

    def __call__(self, chart: Path, values: Mapping[str, Any], release: str, namespace: str) -> Objects:
        output = HelmTemplate(chart.resolve(), executable=self.executable).render(
            values, release=release, namespace=namespace
        )
        return [document for document in yaml.safe_load_all(output) if document]


Outcome = Objects | RenderError


def render_outcome(render: RenderFunction, chart: Path, values: Mapping[str, Any], release: str, namespace: str) -> Outcome:
    try:
        return render(chart, values, release, namespace)
    except RenderError as error:
        return error


@dataclass(frozen=True)
class ExplainedChange:
    change: FieldChange
    reason: Difference | None


@dataclass(frozen=True)
class Refusal:
    chart: str  # "upstream" or "ours"
    message: str
    reason: Difference | None


@dataclass(frozen=True)
class ParityReport:
    changes: tuple[ExplainedChange, ...]
    refusals: tuple[Refusal, ...]

    @property
    def undocumented(self) -> list[ExplainedChange]:
        return [item for item in self.changes if item.reason is None]

    @property
    def unexplained_refusals(self) -> list[Refusal]:
        return [item for item in self.refusals if item.reason is None]

    @property
    def documented_ok(self) -> bool:
        """Every change and refusal of ours is a recorded difference."""
        return not self.undocumented and not self.unexplained_refusals

    @property
    def used(self) -> set[str]:
        return {item.reason.id for item in (*self.changes, *self.refusals) if item.reason is not None}


def explain(upstream: Outcome, ours: Outcome, differences: Differences) -> ParityReport:
    refusals: list[Refusal] = []
    if isinstance(upstream, RenderError):
        # Upstream refusing is never ours to explain: the user's values do not work today either.
        refusals.append(Refusal("upstream", upstream.message, None))
    if isinstance(ours, RenderError):
        refusals.append(Refusal("ours", ours.message, differences.explaining_refusal(ours.message)))
    if refusals:
        return ParityReport((), tuple(refusals))
    assert not isinstance(upstream, RenderError) and not isinstance(ours, RenderError)
    changes = tuple(ExplainedChange(change, differences.explaining(change)) for change in compare(upstream, ours))
    return ParityReport(changes, ())


@dataclass(frozen=True)
class Charts:
    upstream: Path
    ours: Path


def check(
    render: RenderFunction,
    charts: Charts,
    differences: Differences,
    values: Mapping[str, Any],
    release: str,
    namespace: str,
) -> ParityReport:
    upstream = render_outcome(render, charts.upstream, values, release, namespace)
    ours = render_outcome(render, charts.ours, values, release, namespace)
    return explain(upstream, ours, differences)
