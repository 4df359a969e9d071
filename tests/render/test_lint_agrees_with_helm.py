"""Every error the linter reports for bad values is one Helm refuses at the same path."""
from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import helm_executable

from ingress_nginx_values.chart_checks import ChartChecks, release_findings
from ingress_nginx_values.findings import Finding, parse_dotted
from ingress_nginx_values.lint import Linter
from ingress_nginx_values.helm_template import HelmTemplate
from ingress_nginx_values.values_loading import MergedValues

BAD_VALUES: dict[str, dict[str, Any]] = {
    "unknown key": {"controller": {"hostNetwrok": True}},
    "nested unknown key": {"controller": {"service": {"internal": {"enabeld": True}}}},
    "unknown key in a list item": {"controller": {"tolerations": [{"key": "a", "efect": "NoSchedule"}]}},
    "wrong enum": {"controller": {"kind": "Daemonset"}},
    "wrong enum deep": {"controller": {"service": {"type": "loadBalancer"}}},
    "wrong type": {"controller": {"hostNetwork": "true"}},
    "wrong type of a count": {"controller": {"replicaCount": "2"}},
    "bad pattern": {"tcp": {"8080": "not a service"}},
    "out-of-range port": {"controller": {"service": {"ports": {"http": 70000}}}},
    "DaemonSet with autoscaling": {"controller": {"kind": "DaemonSet", "autoscaling": {"enabled": True}}},
    "tcp port taken by https": {"tcp": {"443": "default/tls:443"}},
    "IngressClass alias equal to its name": {"controller": {"ingressClassResource": {"aliases": ["nginx"]}}},
    "snippet switch in controller.config": {"controller": {"config": {"allow-snippet-annotations": "true"}}},
    "YAML 1.1 boolean as a port": {"controller": {"containerPort": {"http": True}}},
    "selector label in commonLabels": {"commonLabels": {"app.kubernetes.io/instance": "other"}},
    "probe with two handlers": {"controller": {"livenessProbe": {"exec": {"command": ["/healthcheck"]}}}},
    "hook without a handler": {"controller": {"lifecycle": {"postStart": {}}}},
    "sidecar probe with two handlers": {"controller": {"extraContainers": [
        {"name": "s", "image": "s", "readinessProbe": {"tcpSocket": {"port": 80}, "grpc": {"port": 80}}}]}},
    "loopback external IP": {"controller": {"service": {"externalIPs": ["192.0.2.7", "::1"]}}},
    "IPv4-mapped cluster IP": {"controller": {"service": {"clusterIP": "::ffff:a60:1"}}},
    "source range with host bits": {"controller": {"service": {"loadBalancerSourceRanges": ["10.0.0.1/8"]}}},
    "two families on a single stack": {"controller": {"service": {"ipFamilies": ["IPv4", "IPv6"]}}},
}

# The exact path at which the linter reports each refusal the chart's own checks make, as Helm names it.
CHECK_PATHS: dict[str, str] = {
    "probe with two handlers": "controller.livenessProbe",
    "hook without a handler": "controller.lifecycle.postStart",
    "sidecar probe with two handlers": "controller.extraContainers[0].readinessProbe",
    "loopback external IP": "controller.service.externalIPs[1]",
    "IPv4-mapped cluster IP": "controller.service.clusterIP",
    "source range with host bits": "controller.service.loadBalancerSourceRanges[0]",
    "two families on a single stack": "controller.service.ipFamilies",
}


@pytest.fixture(scope="module")
def linter(chart_dir: Path) -> Linter:
    """The linter as the CLI runs it: schema, rules and the chart's own checks through Helm."""
    if not (chart_dir / "values.schema.json").is_file():
        pytest.fail("charts/ingress-nginx/values.schema.json is not generated (make schema)")
    return Linter(chart_dir, chart_checks=ChartChecks(HelmTemplate(chart_dir, executable=helm_executable("helm3")).refusal))


def lint_errors(linter: Linter, values: dict[str, Any]) -> list[Finding]:
    user = MergedValues()
    user.add(values, "values.yaml")
    return [item for item in linter.lint_values([linter.context("ingress-nginx", user)]) if item.severity == "error"]


def helm_names(path: str, message: str) -> bool:
    """Helm says `at '/a/b'` for a value and `at '/a': additional properties 'b'` for a key; `fail`s say a.b."""
    if path in message:
        return True
    parts = [str(part) for part in parse_dotted(path)]
    pointer = "/" + "/".join(parts)
    if f"'{pointer}'" in message:
        return True
    parent = "/" + "/".join(parts[:-1]) if len(parts) > 1 else ""
    return any(f"at '{parent}'" in line and f"'{parts[-1]}'" in line for line in message.splitlines())


@pytest.mark.parametrize("case", list(BAD_VALUES))
def test_linter_error_is_at_a_path_helm_names(case: str, linter: Linter, render_error: Callable[..., str]) -> None:
    values = BAD_VALUES[case]
    errors = lint_errors(linter, values)
    assert errors, f"the linter accepted {values}"
    message = render_error(values)
    for finding in errors:
        assert helm_names(finding.path, message), f"{finding.path} ({finding.rule}) is not in Helm's refusal:\n{message}"


@pytest.mark.parametrize("case", list(CHECK_PATHS))
def test_linter_reports_the_path_of_the_chart_check(case: str, linter: Linter, render_error: Callable[..., str]) -> None:
    path = CHECK_PATHS[case]
    assert f"{path}: " in render_error(BAD_VALUES[case])
    assert [finding.path for finding in lint_errors(linter, BAD_VALUES[case])] == [path]


def test_values_helm_accepts_lint_without_errors(linter: Linter, render: Callable[..., Any]) -> None:
    values = {"controller": {"kind": "DaemonSet", "hostNetwork": True, "dnsPolicy": "ClusterFirstWithHostNet"}, "tcp": {"2222": "git/ssh:22"}}
    render(values)
    assert lint_errors(linter, values) == []


@pytest.mark.parametrize("release", ["Edge", "edge_1", "edge.", "r" * 54, "edge.internal", "r" * 53])
def test_release_names_as_helm_judges_them(release: str, chart_dir: Path) -> None:
    helm = subprocess.run(
        [helm_executable("helm3"), "template", release, str(chart_dir), "--set", "fullnameOverride=edge"],
        capture_output=True, text=True, check=False,
    )
    linted = [item.rule for item in release_findings(release)]
    assert (helm.returncode != 0) == bool(linted), (helm.stderr, linted)
    if linted:
        assert "invalid release name" in helm.stderr
