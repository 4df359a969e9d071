"""Helm's refusals mapped to lint findings at their values paths, and Helm's release-name rules."""
from __future__ import annotations

import pytest

from ingress_nginx_values.chart_checks import ChartChecks, refusal_findings, release_findings
from ingress_nginx_values.findings import dotted

SCHEMA_REFUSAL = """values don't meet the specifications of the schema(s) in the following chart(s):
ingress-nginx:
- at '/controller/tolerations/0': additional properties 'efect' not allowed
- at '/tcp/8080': got number, want string
- at '/commonLabels/a~1b': got number, want string
"""
FAIL_REFUSAL = (
    "execution error at (ingress-nginx/templates/validate.yaml:6:4): controller.config.allow-snippet-annotations: "
    "the chart writes this ConfigMap key itself. Remove it."
)


def test_schema_errors_land_at_their_pointer() -> None:
    values = {"controller": {"tolerations": [{"efect": "x"}]}, "tcp": {"8080": 1}, "commonLabels": {"a/b": 1}}
    found = refusal_findings(SCHEMA_REFUSAL, values)
    assert [(dotted(item.path), item.rule) for item in found] == [
        ("controller.tolerations[0]", "helm-schema"),
        ("tcp.8080", "helm-schema"),
        ('commonLabels["a/b"]', "helm-schema"),
    ]


def test_fail_lands_at_the_path_its_message_starts_with() -> None:
    [found] = refusal_findings(FAIL_REFUSAL, {})
    assert (dotted(found.path), found.severity, found.rule) == ("controller.config.allow-snippet-annotations", "error", "chart-refuses")
    assert found.message.startswith("controller.config.allow-snippet-annotations: the chart writes")


def test_anything_else_is_still_an_error() -> None:
    [found] = refusal_findings("template: x.yaml:3: unexpected EOF", {})
    assert (found.path, found.rule) == ((), "chart-error")


def test_chart_checks_report_nothing_when_helm_renders() -> None:
    assert ChartChecks(lambda values, release, namespace: None).findings({}, "edge") == []


def test_chart_checks_report_the_refusal() -> None:
    def refuse(values: object, release: str, namespace: str) -> str | None:
        return FAIL_REFUSAL

    assert [item.rule for item in ChartChecks(refuse).findings({}, "edge")] == ["chart-refuses"]


@pytest.mark.parametrize("release", ["ingress-nginx", "a", "edge.internal", "r" * 53])
def test_release_names_helm_accepts(release: str) -> None:
    assert list(release_findings(release)) == []


@pytest.mark.parametrize("release", ["Edge", "edge_1", "-edge", "edge.", "r" * 54, ""])
def test_release_names_helm_refuses(release: str) -> None:
    assert [item.rule for item in release_findings(release)] == ["release-name"]


def test_namespace_must_be_a_dns_label() -> None:
    assert [item.rule for item in release_findings("edge", "Team_A")] == ["namespace"]
