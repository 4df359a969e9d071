"""`ingress-nginx-values upstream-diff` on real renders: every ci-values profile and
upstream's defaults switch charts with documented changes only (exit 0)."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from conftest import helm_executable
from ingress_nginx_values.cli import main
from paths import PROFILES

PROFILE_FILES = sorted(PROFILES.glob("*.yaml"))


@pytest.fixture(autouse=True)
def _needs_the_oracle(upstream_archive: Path) -> None:
    """upstream-diff finds the chart itself; this only skips, naming it, where there is none."""


def upstream_diff(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["upstream-diff", "--helm", helm_executable("helm3"), *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("profile", PROFILE_FILES, ids=[path.stem for path in PROFILE_FILES])
def test_profile_switches_with_documented_changes_only(profile: Path) -> None:
    code, out, err = upstream_diff("-f", str(profile))
    assert code == 0, out + err
    assert "0 undocumented (exit 0)" in out


def test_upstream_defaults_differ_only_in_the_chart_label_and_least_privilege() -> None:
    code, out, err = upstream_diff("--format", "json")
    assert code == 0, out + err
    changes = json.loads(out)["changes"]
    assert changes, "the helm.sh/chart label must show as a change"
    assert {change["reason"] for change in changes} == {"chart-version", "least-privilege"}
    for change in changes:
        if change["reason"] == "chart-version":
            assert change["field"].endswith("labels[helm.sh/chart]")
        else:
            assert (change["kind"], change["field"]) == ("ClusterRole", "rules[0].resourceNames")


def test_refused_values_exit_2_with_the_refusal() -> None:
    code, out, _ = upstream_diff("--set", "controller.kind=Both")
    assert code == 2
    assert "this chart refuses these values" in out
    assert "controller" in out and "kind" in out


def test_release_and_namespace_reach_both_charts() -> None:
    code, out, err = upstream_diff("--release", "edge", "--namespace", "edge-system", "--format", "json")
    assert code == 0, out + err
    names = {(change["namespace"], change["name"]) for change in json.loads(out)["changes"]}
    assert ("edge-system", "edge-ingress-nginx-controller") in names
