"""Every profile is clean for our own values linter: no errors, no warnings,
alone and (for second-controller) beside the release it joins."""
from __future__ import annotations

import pytest

from conformance.schema_check import CHART, PROFILES_DIR, profile_names
from ingress_nginx_values.lint import Linter, ReleaseFiles


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(CHART)


@pytest.mark.parametrize("profile", profile_names())
def test_profile_is_lint_clean(profile: str, linter: Linter) -> None:
    findings = linter.lint_files([PROFILES_DIR / f"{profile}.yaml"])
    assert findings == []


def test_second_controller_does_not_clash_with_the_first(linter: Linter) -> None:
    findings = linter.lint([
        ReleaseFiles("ingress-nginx", (PROFILES_DIR / "daemonset-prod.yaml",)),
        ReleaseFiles("ingress-nginx-internal", (PROFILES_DIR / "second-controller.yaml",)),
    ])
    assert findings == []


def test_the_same_profile_twice_clashes(linter: Linter) -> None:
    # The check above means something only if two identical controllers are caught.
    findings = linter.lint([
        ReleaseFiles("ingress-nginx", (PROFILES_DIR / "daemonset-prod.yaml",)),
        ReleaseFiles("ingress-nginx-b", (PROFILES_DIR / "deployment-loadbalancer.yaml",)),
    ])
    assert findings, "two releases with the default class and controller value must be reported"
