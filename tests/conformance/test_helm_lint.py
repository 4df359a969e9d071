"""`helm lint --strict` passes with every profile, on Helm 3 and on Helm 4."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conformance.schema_check import CHART, PROFILES_DIR
from profiles import profile_names

TOOLS_BIN = CHART.parents[1] / ".tools" / "bin"


def helm(version: str) -> Path:
    executable = TOOLS_BIN / version
    if not executable.exists():
        pytest.fail(f"{executable} is missing: run `make tools`")
    return executable


@pytest.mark.parametrize("version", ["helm3", "helm4"])
@pytest.mark.parametrize("profile", ["defaults", *profile_names()])
def test_helm_lint_strict(profile: str, version: str) -> None:
    command = [str(helm(version)), "lint", "--strict", str(CHART), "--namespace", "ingress-nginx"]
    if profile != "defaults":
        command += ["-f", str(PROFILES_DIR / f"{profile}.yaml")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "0 chart(s) failed" in output, output
    # --strict turns warnings into failures, but an [INFO] line (an icon or a
    # value that may be wrong) is still worth a look; none is expected here.
    assert "[WARNING]" not in output and "[ERROR]" not in output, output


