"""HorizontalPodAutoscaler, KEDA ScaledObject and PodDisruptionBudget of the controller."""
from __future__ import annotations

from typing import Any

import pytest

from manifests import Render
from upstream_facts import CONTROLLER_SELECTOR as SELECTOR

NAME = "ingress-nginx-controller"
# KEDA on, as it can run: with a trigger.
KEDA = {"enabled": True, "triggers": [{"type": "cpu", "metricType": "Utilization", "metadata": {"value": "80"}}]}


def test_no_autoscaler_or_budget_by_default(render: Render) -> None:
    manifests = render({})
    assert manifests.controller()["spec"]["replicas"] == 1
    assert not manifests.of_kind("HorizontalPodAutoscaler")
    assert not manifests.of_kind("ScaledObject")
    assert not manifests.of_kind("PodDisruptionBudget")


@pytest.mark.parametrize("helm", ["helm3", "helm4"])
def test_hpa_owns_the_replicas(render: Render, helm: str) -> None:
    manifests = render({"controller": {"replicaCount": 4, "autoscaling": {"enabled": True}}}, helm=helm)
    assert "replicas" not in manifests.controller()["spec"]
    hpa = manifests.get("HorizontalPodAutoscaler", NAME)
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": NAME}
    assert hpa["spec"]["minReplicas"] == 1
    assert hpa["spec"]["maxReplicas"] == 11
    # Memory first: upstream's order, so GitOps tools see no change after a switch.
    assert hpa["spec"]["metrics"] == [
        {"type": "Resource", "resource": {"name": "memory", "target": {"type": "Utilization", "averageUtilization": 50}}},
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}},
    ]
    assert "behavior" not in hpa["spec"]
    assert "annotations" not in hpa["metadata"]


def test_hpa_settings(render: Render) -> None:
    behavior = {"scaleDown": {"stabilizationWindowSeconds": 300}}
    template = [{"type": "Pods", "pods": {"metric": {"name": "rps"}, "target": {"type": "AverageValue", "averageValue": "100"}}}]
    values = {
        "controller": {
            "autoscaling": {
                "enabled": True,
                "minReplicas": 2,
                "maxReplicas": 6,
                "targetCPUUtilizationPercentage": 70,
                "targetMemoryUtilizationPercentage": "",
                "behavior": behavior,
                "annotations": {"owner": "edge"},
            },
            "autoscalingTemplate": template,
        }
    }
    hpa = render(values).get("HorizontalPodAutoscaler", NAME)
    assert hpa["spec"]["minReplicas"] == 2
    assert hpa["spec"]["maxReplicas"] == 6
    assert hpa["spec"]["metrics"] == [
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}},
        *template,
    ]
    assert hpa["spec"]["behavior"] == behavior
    assert hpa["metadata"]["annotations"] == {"owner": "edge"}


@pytest.mark.parametrize("helm", ["helm3", "helm4"])
def test_keda_owns_the_replicas(render: Render, helm: str) -> None:
    triggers = [{"type": "prometheus", "metadata": {"query": "sum(rate(x[1m]))", "threshold": "100"}}]
    behavior = {"scaleDown": {"stabilizationWindowSeconds": 300}}
    values: dict[str, Any] = {
        "controller": {
            "keda": {
                "enabled": True,
                "minReplicas": 2,
                "maxReplicas": 8,
                "pollingInterval": 15,
                "cooldownPeriod": 120,
                "restoreToOriginalReplicaCount": True,
                "triggers": triggers,
                "behavior": behavior,
                "fallback": {"failureThreshold": 3, "replicas": 4},
                "scaledObject": {"annotations": {"owner": "edge"}},
            }
        }
    }
    manifests = render(values, helm=helm)
    assert "replicas" not in manifests.controller()["spec"]
    assert not manifests.of_kind("HorizontalPodAutoscaler")
    scaled = manifests.get("ScaledObject", NAME)
    assert scaled["apiVersion"] == "keda.sh/v1alpha1"
    assert scaled["metadata"]["annotations"] == {"owner": "edge"}
    assert scaled["spec"] == {
        "scaleTargetRef": {"name": NAME},
        "pollingInterval": 15,
        "cooldownPeriod": 120,
        "minReplicaCount": 2,
        "maxReplicaCount": 8,
        "fallback": {"failureThreshold": 3, "replicas": 4},
        "triggers": triggers,
        "advanced": {"restoreToOriginalReplicaCount": True, "horizontalPodAutoscalerConfig": {"behavior": behavior}},
    }


def test_keda_defaults(render: Render) -> None:
    scaled = render({"controller": {"keda": KEDA}}).get("ScaledObject", NAME)
    assert scaled["spec"]["triggers"] == KEDA["triggers"]
    assert scaled["spec"]["advanced"] == {"restoreToOriginalReplicaCount": False}
    assert "fallback" not in scaled["spec"]


@pytest.mark.parametrize(
    ("controller", "expected"),
    [
        ({"replicaCount": 2}, {"minAvailable": 1}),
        ({"replicaCount": 3, "minAvailable": 2}, {"minAvailable": 2}),
        ({"replicaCount": 3, "minAvailable": "50%"}, {"minAvailable": "50%"}),
        ({"replicaCount": 3, "maxUnavailable": 1}, {"maxUnavailable": 1}),
        ({"replicaCount": 3, "maxUnavailable": 0}, {"maxUnavailable": 0}),
        ({"replicaCount": 3, "maxUnavailable": "25%"}, {"maxUnavailable": "25%"}),
        ({"replicaCount": 2, "unhealthyPodEvictionPolicy": "AlwaysAllow"},
         {"minAvailable": 1, "unhealthyPodEvictionPolicy": "AlwaysAllow"}),
        ({"replicaCount": 1, "autoscaling": {"enabled": True, "minReplicas": 2}}, {"minAvailable": 1}),
        ({"replicaCount": 1, "keda": {**KEDA, "minReplicas": 3}}, {"minAvailable": 1}),
    ],
)
def test_pdb_thresholds(render: Render, controller: dict[str, Any], expected: dict[str, Any]) -> None:
    pdb = render({"controller": controller}).get("PodDisruptionBudget", NAME)
    assert pdb["apiVersion"] == "policy/v1"
    assert pdb["spec"] == {"selector": {"matchLabels": SELECTOR}, **expected}


@pytest.mark.parametrize(
    "controller",
    [
        {"replicaCount": 1},
        {"replicaCount": 5, "autoscaling": {"enabled": True, "minReplicas": 1}},
        {"replicaCount": 5, "keda": {**KEDA, "minReplicas": 1}},
        {"replicaCount": 5, "kind": "DaemonSet"},
    ],
)
def test_no_pdb_for_a_single_pod_or_a_daemonset(render: Render, controller: dict[str, Any]) -> None:
    assert not render({"controller": controller}).of_kind("PodDisruptionBudget")
