"""checkov's Kubernetes checks on the hardened profile's rendered objects: every
check passes except those the profile's header accepts (`# checkov-accepts: ID (why)`),
and every accepted one still fails (so the header stays true)."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conformance.schema_check import PROFILES_DIR
from paths import ROOT

PROFILE = PROFILES_DIR / "hardened.yaml"
CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"


def checkov_executable() -> str:
    found = str(CHECKOV) if CHECKOV.is_file() else shutil.which("checkov")
    if found is None:
        reason = "checkov is not installed: run `make checkov`"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def accepted_checks() -> set[str]:
    return set(re.findall(r"^# checkov-accepts: (CKV2?_K8S_\d+) \(.+\)$", PROFILE.read_text(encoding="utf-8"), flags=re.MULTILINE))


def failed_checks(executable: str, manifest: Path) -> dict[str, list[str]]:
    completed = subprocess.run(
        [executable, "--quiet", "--compact", "--framework", "kubernetes", "--output", "json", "--file", str(manifest)],
        capture_output=True, text=True, check=False,
    )
    assert completed.returncode in (0, 1), completed.stderr
    report = json.loads(completed.stdout)
    reports = report if isinstance(report, list) else [report]
    failed: dict[str, list[str]] = {}
    for item in reports:
        for check in (item.get("results") or {}).get("failed_checks", []):
            failed.setdefault(check["check_id"], []).append(check["resource"])
    return failed


def test_hardened_profile_passes_checkov(render: Callable[..., object], tmp_path: Path) -> None:
    executable = checkov_executable()
    values = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))
    manifests = render(values)
    manifest = tmp_path / "hardened.yaml"
    manifest.write_text(yaml.safe_dump_all(manifests.objects, sort_keys=False), encoding="utf-8")  # type: ignore[attr-defined]
    failed = failed_checks(executable, manifest)
    accepted = accepted_checks()
    unexpected = {check: resources for check, resources in failed.items() if check not in accepted}
    assert not unexpected, f"checkov checks fail that the hardened header does not accept: {unexpected}"
    assert accepted <= set(failed), f"the header accepts checks that now pass, remove them: {accepted - set(failed)}"
