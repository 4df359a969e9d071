"""upstream-diff: exit codes and report formats, over renders given as data."""
from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from ingress_nginx_values.render_error import RenderError
from ingress_nginx_values.parity import Charts
from ingress_nginx_values.upstream_diff import EXIT_DOCUMENTED, EXIT_REFUSED, EXIT_UNDOCUMENTED, formatted, run

DIFFERENCES = """\
differences:
  - id: chart-version
    area: Chart version
    upstream: 4.15.1
    ours: 5.0.0
    why: our own release line
    fix: false
    touches:
      - {kind: "*", name: "*", field: "*labels[helm.sh/chart]"}
    values: [{}]
  - id: strict-kind
    area: kind
    upstream: ignored
    ours: refused
    why: a typo must not deploy something else
    fix: true
    touches:
      - {refuses: controller.kind}
    values: [{controller: {kind: Both}}]
"""


def config_map(chart_label: str, data: dict[str, str]) -> dict[str, Any]:
    return {
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "ingress-nginx-controller", "namespace": "ingress-nginx",
                     "labels": {"helm.sh/chart": chart_label}},
        "data": data,
    }


class FakeRender:
    """Stands in for Helm: each chart path maps to its objects or to a refusal."""

    def __init__(self, outputs: Mapping[Path, list[dict[str, Any]] | RenderError]) -> None:
        self.outputs = outputs

    def __call__(self, chart: Path, values: Mapping[str, Any], release: str, namespace: str) -> list[dict[str, Any]]:
        output = self.outputs[chart]
        if isinstance(output, RenderError):
            raise output
        return output


@pytest.fixture
def charts(tmp_path: Path) -> Charts:
    ours = tmp_path / "ours"
    ours.mkdir()
    (ours / "differences.yaml").write_text(DIFFERENCES)
    return Charts(upstream=tmp_path / "upstream.tgz", ours=ours)


def diff_of(charts: Charts, upstream: Any, ours: Any) -> Any:
    return run(FakeRender({charts.upstream: upstream, charts.ours: ours}), charts, {}, "ingress-nginx", "ingress-nginx")


def test_documented_changes_exit_0(charts: Charts) -> None:
    diff = diff_of(charts, [config_map("ingress-nginx-4.15.1", {"a": "1"})], [config_map("ingress-nginx-5.0.0", {"a": "1"})])
    assert diff.exit_code == EXIT_DOCUMENTED
    text = formatted(diff, "text")
    assert "ConfigMap ingress-nginx/ingress-nginx-controller" in text
    assert '  metadata.labels[helm.sh/chart]: "ingress-nginx-4.15.1" -> "ingress-nginx-5.0.0"  [chart-version]' in text
    assert "  chart-version: 5.0.0 - our own release line" in text
    assert "1 documented, 0 undocumented (exit 0)" in text


def test_an_undocumented_change_exits_1_and_is_named(charts: Charts) -> None:
    diff = diff_of(charts, [config_map("x", {"a": "1"})], [config_map("x", {"a": "2", "b": "3"})])
    assert diff.exit_code == EXIT_UNDOCUMENTED
    text = formatted(diff, "text")
    assert '  data.a: "1" -> "2"  [UNDOCUMENTED]' in text
    assert '  data.b: (absent) -> "3"  [UNDOCUMENTED]' in text
    assert text.count("UNDOCUMENTED") == 2
    document = json.loads(formatted(diff, "json"))
    assert document["exit"] == EXIT_UNDOCUMENTED
    assert {(change["field"], change["reason"]) for change in document["changes"]} == {("data.a", None), ("data.b", None)}
    added = next(change for change in document["changes"] if change["field"] == "data.b")
    assert added["upstreamPresent"] is False and added["oursPresent"] is True and added["ours"] == "3"


def test_an_object_only_one_chart_renders_is_one_change(charts: Charts) -> None:
    diff = diff_of(charts, [], [config_map("x", {})])
    assert diff.exit_code == EXIT_UNDOCUMENTED
    assert "(object) only rendered by this chart" in formatted(diff, "text")


def test_no_change_exits_0(charts: Charts) -> None:
    diff = diff_of(charts, [config_map("x", {"a": "1"})], [config_map("x", {"a": "1"})])
    assert diff.exit_code == EXIT_DOCUMENTED
    assert json.loads(formatted(diff, "json"))["changes"] == []
    assert "0 changed field(s)" in formatted(diff, "text")


@pytest.mark.parametrize("refusing", ["upstream", "ours"])
def test_a_refusal_exits_2_and_prints_it(charts: Charts, refusing: str) -> None:
    refusal = RenderError("Error: at '/controller/kind': value must be one of 'Deployment', 'DaemonSet'")
    objects = [config_map("x", {})]
    diff = diff_of(charts, refusal if refusing == "upstream" else objects, refusal if refusing == "ours" else objects)
    assert diff.exit_code == EXIT_REFUSED
    text = formatted(diff, "text")
    assert "value must be one of" in text
    assert ("upstream 4.15.1 refuses" if refusing == "upstream" else "this chart refuses") in text
    document = json.loads(formatted(diff, "json"))
    assert document["exit"] == EXIT_REFUSED
    assert document["refusals"][0]["chart"] == refusing
    # A refusal of ours that differences.yaml records names its entry.
    assert document["refusals"][0]["reason"] == ("strict-kind" if refusing == "ours" else None)
