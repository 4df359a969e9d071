"""Without its pinned sources the data plane is unavailable, not broken: `make dataplane`
names it and what skips and exits 0 (1 under CI=true), and Python reports the same line
instead of images another clone built."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from ingress_nginx_values.cluster.images import dataplane_tarballs, missing_dataplane
from ingress_nginx_values.dataplane import DataPlaneNotBuilt, locate_images
from paths import ROOT

RECIPE = ROOT / "tools" / "dataplane"


def run(script: str, third_party: Path, ci: bool) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env["THIRD_PARTY_DIR"] = str(third_party)
    if ci:
        env["CI"] = "true"
    return subprocess.run(["bash", str(RECIPE / script)], env=env, capture_output=True, text=True, check=False,
                          timeout=60)


def test_absent_sources_are_unavailable(tmp_path: Path) -> None:
    result = run("available.sh", tmp_path, ci=False)
    assert result.returncode == 4
    assert result.stderr.startswith(f"unavailable: data plane (no {tmp_path}/SOURCES.tsv")
    assert "the dataplane tier and the e2e tier on the local node skip" in result.stderr


def test_present_sources_are_available(tmp_path: Path) -> None:
    (tmp_path / "SOURCES.tsv").write_text("")
    assert run("available.sh", tmp_path, ci=False).returncode == 0


def test_make_dataplane_goes_on_without_sources_and_fails_under_ci(tmp_path: Path) -> None:
    outside_ci = run("build.sh", tmp_path, ci=False)
    assert outside_ci.returncode == 0, outside_ci.stderr
    assert outside_ci.stderr.startswith("unavailable: data plane")
    under_ci = run("build.sh", tmp_path, ci=True)
    assert under_ci.returncode == 1
    assert "unavailable: data plane" in under_ci.stderr and "CI=true" in under_ci.stderr


def test_python_sees_no_images_without_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THIRD_PARTY_DIR", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(DataPlaneNotBuilt, match="unavailable: data plane"):
        locate_images()
    assert dataplane_tarballs() == {}
    (reason,) = missing_dataplane()
    assert reason.startswith("unavailable: data plane")
