"""Where the upstream chart 4.15.1, the render oracle, is found.

`make tools` (tools/upstream-chart.sh) caches it per machine and links it as
.tools/bin/upstream-chart. The chart and version are read from
tools/versions.env, the one place every pinned tool is written.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "INGRESS_NGINX_UPSTREAM_CHART"
PIN_NAME = "upstream-chart"


class UpstreamChartMissing(Exception):
    pass


@dataclass(frozen=True)
class UpstreamPin:
    chart: str
    version: str

    @property
    def archive_name(self) -> str:
        return f"{self.chart}-{self.version}.tgz"


def read_pin(versions_env: Path) -> UpstreamPin:
    for line in versions_env.read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[0] == PIN_NAME:
            return UpstreamPin(chart=fields[1], version=fields[2])
    raise UpstreamChartMissing(f"{versions_env} has no `{PIN_NAME} CHART VERSION` line")


def candidates(repo_root: Path, environ: Mapping[str, str] = os.environ) -> list[Path]:
    """Where to look, in order: the environment variable, the installed tool, the shared folder beside the clone."""
    pin = read_pin(repo_root / "tools" / "versions.env")
    found = [Path(environ[ENV_VAR])] if environ.get(ENV_VAR) else []
    installed = repo_root / ".tools" / "bin" / PIN_NAME
    return [*found, installed, repo_root.parent / "shared" / "upstream" / pin.archive_name]


def locate(repo_root: Path, explicit: Path | None = None, environ: Mapping[str, str] = os.environ) -> Path:
    if explicit is not None:
        if not explicit.exists():
            raise UpstreamChartMissing(f"--upstream-chart {explicit}: no such file or directory")
        return explicit
    places = candidates(repo_root, environ)
    for place in places:
        if place.exists():
            return place
    raise UpstreamChartMissing(
        "the upstream chart is not installed (looked in " + ", ".join(map(str, places)) + "). "
        f"Run `make tools`, or pass --upstream-chart PATH / set {ENV_VAR}."
    )
