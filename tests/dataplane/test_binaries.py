"""The Go binaries built from the controller archive: they run and say what they are."""
from __future__ import annotations

import os
import subprocess

from dataplane.support import pinned_sources
from ingress_nginx_values.dataplane import DataPlane
from paths import ROOT


def _controller_pin() -> tuple[str, str]:
    for line in pinned_sources(ROOT).splitlines():
        fields = line.split("\t")
        if fields[0] == "ingress-nginx-controller":
            return fields[1], fields[3]
    raise AssertionError("SOURCES.tsv pins no ingress-nginx-controller")


def test_controller_reports_the_pinned_release(dataplane: DataPlane) -> None:
    version, commit = _controller_pin()
    env = {**os.environ, "PATH": f"{dataplane.nginx.parent}:{os.environ['PATH']}"}
    result = subprocess.run([str(dataplane.controller), "--version"], capture_output=True, text=True, env=env, check=False)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert f"Release:       v{version}" in report
    assert f"Build:         {commit}" in report
    # The controller asks the nginx beside it for its version.
    assert "nginx version: nginx/1.27.1" in report


def test_go_binaries_are_static(dataplane: DataPlane) -> None:
    # CGO off, as upstream builds them: they need nothing from the image's libraries.
    for binary in (dataplane.controller, dataplane.rootfs / "dbg", dataplane.rootfs / "wait-shutdown", dataplane.certgen):
        result = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=False)
        assert "not a dynamic executable" in result.stdout + result.stderr, f"{binary}: {result.stdout}"


def test_dbg_and_certgen_run(dataplane: DataPlane) -> None:
    dbg = subprocess.run([str(dataplane.rootfs / "dbg"), "--help"], capture_output=True, text=True, check=True)
    assert "backends" in dbg.stdout
    certgen = subprocess.run([str(dataplane.certgen), "--help"], capture_output=True, text=True, check=True)
    assert "create" in certgen.stdout and "patch" in certgen.stdout
