"""Every object of every profile is valid for every Kubernetes minor the chart
supports (strict: unknown fields are errors), and custom resources match our
schemas of their CRDs."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conformance.schema_check import CustomSchemas, KubeSchemas, supported_minors
from manifests import Manifests
from profiles import load_profile, profile_names

# Values sets that render kinds no profile does.
EXTRA_SCENARIOS: dict[str, dict[str, Any]] = {
    "keda": {
        "controller": {
            "keda": {
                "enabled": True,
                "minReplicas": 2,
                "maxReplicas": 6,
                "triggers": [
                    {
                        "type": "prometheus",
                        "metadata": {
                            "serverAddress": "http://prometheus.monitoring:9090",
                            "query": "sum(rate(nginx_ingress_controller_requests[2m]))",
                            "threshold": "100",
                        },
                    }
                ],
            },
            "minAvailable": 1,
        }
    },
}

SCENARIOS = ["defaults", *profile_names(), *EXTRA_SCENARIOS]
MINORS = supported_minors()


def scenario_values(name: str) -> dict[str, Any]:
    """"defaults" is the chart with no values file."""
    if name == "defaults":
        return {}
    return EXTRA_SCENARIOS[name] if name in EXTRA_SCENARIOS else load_profile(name)


def test_chart_supports_the_minors_we_validate() -> None:
    assert MINORS, "kubernetes-validate ships no schema at or above Chart.yaml's kubeVersion"
    assert MINORS[0] == "1.25"


@pytest.mark.parametrize("minor", MINORS)
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_objects_are_valid_kubernetes(
    scenario: str,
    minor: str,
    render: Callable[..., Manifests],
    kube_schemas: Callable[[str], KubeSchemas],
    custom_schemas: CustomSchemas,
) -> None:
    manifests = render(scenario_values(scenario))
    schemas = kube_schemas(minor)
    problems = []
    for obj in manifests.objects:
        if custom_schemas.knows(obj):
            continue
        problems += [f"{obj['kind']}/{obj['metadata']['name']}: {error}" for error in schemas.errors(obj)]
    assert not problems, f"{scenario} on Kubernetes {minor}:\n" + "\n".join(problems)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_custom_resources_match_their_crds(
    scenario: str, render: Callable[..., Manifests], custom_schemas: CustomSchemas
) -> None:
    manifests = render(scenario_values(scenario))
    problems = []
    for obj in manifests.objects:
        if custom_schemas.knows(obj):
            problems += [f"{obj['kind']}/{obj['metadata']['name']}: {error}" for error in custom_schemas.errors(obj)]
    assert not problems, "\n".join(problems)


# Which scenario must render which custom resources: proves the custom schemas
# above are exercised at all.
EXPECTED_CUSTOM = {
    "metrics-servicemonitor": {"ServiceMonitor", "PrometheusRule"},
    "webhook-cert-manager": {"Issuer", "Certificate"},
    "keda": {"ScaledObject"},
}


@pytest.mark.parametrize("scenario", sorted(EXPECTED_CUSTOM))
def test_custom_resources_are_rendered(
    scenario: str, render: Callable[..., Manifests], custom_schemas: CustomSchemas
) -> None:
    manifests = render(scenario_values(scenario))
    rendered = {obj["kind"] for obj in manifests.objects if custom_schemas.knows(obj)}
    assert rendered == EXPECTED_CUSTOM[scenario]
