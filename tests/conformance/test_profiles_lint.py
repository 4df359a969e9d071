"""Every profile is clean for our own values linter: no errors, no warnings,
alone and (for second-controller) beside the release it joins. A warning the
profile accepts on purpose is listed in its header (`# lint-accepts: <rule> (why)`)."""
from __future__ import annotations

import re

import pytest

from conformance.schema_check import CHART, PROFILES_DIR
from ingress_nginx_values.lint import Linter, ReleaseFiles
from profiles import profile_names


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(CHART)


@pytest.mark.parametrize("profile", profile_names())
def test_profile_is_lint_clean(profile: str, linter: Linter) -> None:
    path = PROFILES_DIR / f"{profile}.yaml"
    accepted = set(re.findall(r"^# lint-accepts: (\S+) \(.+\)$", path.read_text(encoding="utf-8"), flags=re.MULTILINE))
    findings = linter.lint_files([path])
    assert [item for item in findings if not (item.severity == "warning" and item.rule in accepted)] == []
    assert accepted <= {item.rule for item in findings}, "the header accepts a warning the linter no longer gives"


def test_second_controller_does_not_clash_with_the_first(linter: Linter) -> None:
    findings = linter.lint([
        ReleaseFiles("ingress-nginx", (PROFILES_DIR / "daemonset-prod.yaml",)),
        ReleaseFiles("ingress-nginx-internal", (PROFILES_DIR / "second-controller.yaml",)),
    ])
    assert [item for item in findings if item.rule != "host-network-exposes-internal-ports"] == []


def test_the_same_profile_twice_clashes(linter: Linter) -> None:
    # The check above means something only if two identical controllers are caught.
    findings = linter.lint([
        ReleaseFiles("ingress-nginx", (PROFILES_DIR / "daemonset-prod.yaml",)),
        ReleaseFiles("ingress-nginx-b", (PROFILES_DIR / "deployment-loadbalancer.yaml",)),
    ])
    assert findings, "two releases with the default class and controller value must be reported"
