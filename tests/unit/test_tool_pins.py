"""Pins that must agree across the files that hold them."""
from __future__ import annotations

import re

from paths import ROOT

VERSIONS = ROOT / "tools" / "versions.env"


def _pin_lines() -> dict[str, list[str]]:
    lines: dict[str, list[str]] = {}
    for line in VERSIONS.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, *rest = line.split()
            lines[name] = rest
    return lines


def test_chart_renderer_builds_the_helm_release_of_helm3() -> None:
    pins = _pin_lines()
    helm3_version = pins["helm3"][0].rsplit("@", 1)[1]
    go_mod = (ROOT / "tools" / "renderer" / "go.mod").read_text()
    required = re.search(r"^\s*helm\.sh/helm/v3 (\S+)", go_mod, re.MULTILINE)
    assert required is not None, "tools/renderer/go.mod does not require helm.sh/helm/v3"
    assert required.group(1) == helm3_version


def test_chart_renderer_takes_helm3s_version_link_flags() -> None:
    pins = _pin_lines()

    def flags(name: str) -> set[str]:
        values = pins[name][1:]
        return {value for value in values if "chartutil.k8sVersion" in value or "internal/version.version" in value}

    assert flags("chart-renderer") == flags("helm3")
    assert flags("helm3"), "helm3 has no version link flags to compare"
