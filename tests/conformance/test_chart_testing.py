"""chart-testing lints the chart with every ci/*-values.yaml (the profiles)."""
from __future__ import annotations

import os
import subprocess

import pytest

from conformance.schema_check import CHART, PROFILES_DIR, ROOT
from profiles import profile_names

TOOLS_BIN = ROOT / ".tools" / "bin"
VENV_BIN = ROOT / ".venv" / "bin"


def test_every_profile_has_one_chart_testing_link() -> None:
    links = sorted((CHART / "ci").glob("*-values.yaml"))
    assert [link.name.removesuffix("-values.yaml") for link in links] == profile_names()
    for link in links:
        assert link.is_symlink(), f"{link} must link to ci-values/, not copy it"
        target = os.readlink(link)
        assert not os.path.isabs(target), f"{link} -> {target} must be relative"
        assert link.resolve() == (PROFILES_DIR / f"{link.name.removesuffix('-values.yaml')}.yaml").resolve()


def test_profiles_start_with_the_schema_line() -> None:
    for path in sorted(PROFILES_DIR.glob("*.yaml")):
        first = path.read_text().splitlines()[0]
        assert first == "# yaml-language-server: $schema=../charts/ingress-nginx/values.schema.json", path


def version_check_arguments() -> list[str]:
    """ct checks the version bump against origin/main; a chart identical to it has nothing to bump."""
    unchanged = subprocess.run(
        ["git", "diff", "--quiet", "origin/main", "--", "charts/ingress-nginx"],
        cwd=ROOT, capture_output=True, check=False,
    )
    return ["--check-version-increment=false"] if unchanged.returncode == 0 else []


def test_ct_lint_passes() -> None:
    ct = TOOLS_BIN / "ct"
    if not ct.exists():
        pytest.fail(f"{ct} is missing: run `make tools`")
    if not (ROOT / ".git").exists():
        pytest.skip("ct lint needs a git work tree and this copy of the repository has none")
    # ct calls helm, yamllint and yamale by name.
    env = {**os.environ, "PATH": os.pathsep.join([str(TOOLS_BIN), str(VENV_BIN), os.environ.get("PATH", "")])}
    result = subprocess.run(
        [str(ct), "lint", "--config", "ct.yaml", "--charts", "charts/ingress-nginx", *version_check_arguments()],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "All charts linted successfully" in output, output
    for profile in profile_names():
        assert f"ci/{profile}-values.yaml" in output, f"ct did not lint with {profile}:\n{output}"
