"""One values set rendered by upstream 4.15.1 and by this chart, compared and explained.

This is the one implementation behind the parity tier and `upstream-diff`.
Rendering goes through a `RenderFunction` so the backend (Helm through pyhelm3
today, a faster in-process renderer later) is chosen in one place.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .differences import Difference, Differences
from .object_diff import FieldChange, compare
from .render_server import RenderServer
from .rendering import HelmRenderer, RenderError

Objects = list[dict[str, Any]]
# (chart, values, release, namespace) -> objects; raises RenderError when the chart refuses.
RenderFunction = Callable[[Path, Mapping[str, Any], str, str], Objects]


@dataclass
class ServerRenderFunction:
    """A RenderFunction over one long-lived chart-renderer process (Helm 3's own code, same output)."""

    server: RenderServer

    def __call__(self, chart: Path, values: Mapping[str, Any], release: str, namespace: str) -> Objects:
        return self.server.render(chart, values, release=release, namespace=namespace).objects


@dataclass
class HelmRenderFunction:
    """A RenderFunction over one Helm executable, loading each chart once."""

    executable: str
    _renderers: dict[Path, HelmRenderer] = field(default_factory=dict, init=False, repr=False)

    def __call__(self, chart: Path, values: Mapping[str, Any], release: str, namespace: str) -> Objects:
        if chart not in self._renderers:
            self._renderers[chart] = HelmRenderer(chart, executable=self.executable)
        return self._renderers[chart].render(values, release=release, namespace=namespace)


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
        refusals.append(Refusal("upstream", upstream.readable, None))
    if isinstance(ours, RenderError):
        refusals.append(Refusal("ours", ours.readable, differences.explaining_refusal(ours.readable)))
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
