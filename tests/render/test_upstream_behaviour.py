"""Behaviours found by rendering upstream 4.15.1 side by side (tests/parity), pinned
here one by one so a regression names itself."""
from __future__ import annotations

import pytest

from manifests import Render, container

INSTANCE_SELECTOR = {"matchLabels": {"app.kubernetes.io/instance": "{{ .Release.Name }}"}}


def pod_spec(render: Render, values: dict, release: str = "ingress-nginx") -> dict:
    return render(values, release=release).controller()["spec"]["template"]["spec"]


def test_release_name_templates_are_evaluated_in_spreading_and_affinity(render: Render) -> None:
    spec = pod_spec(render, {"controller": {
        "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
                                       "labelSelector": INSTANCE_SELECTOR}],
        "affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
            {"topologyKey": "kubernetes.io/hostname", "labelSelector": INSTANCE_SELECTOR}]}},
        "hostAliases": [{"ip": "127.0.0.1", "hostnames": ["{{ .Release.Name }}.local"]}],
    }}, release="edge")
    assert spec["topologySpreadConstraints"][0]["labelSelector"] == {"matchLabels": {"app.kubernetes.io/instance": "edge"}}
    term = spec["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]
    assert term["labelSelector"] == {"matchLabels": {"app.kubernetes.io/instance": "edge"}}
    assert spec["hostAliases"] == [{"ip": "127.0.0.1", "hostnames": ["edge.local"]}]


def test_service_annotations_are_templates(render: Render) -> None:
    service = render({"controller": {"service": {"annotations": {"example.com/dns": "{{ .Release.Name }}.example.com"}}}},
                     release="edge").get("Service", "edge-ingress-nginx-controller")
    assert service["metadata"]["annotations"] == {"example.com/dns": "edge.example.com"}


def test_host_network_is_written_only_when_on(render: Render) -> None:
    assert "hostNetwork" not in pod_spec(render, {"controller": {"hostNetwork": False}})
    assert pod_spec(render, {"controller": {"hostNetwork": True}})["hostNetwork"] is True


def test_replica_count_null_leaves_replicas_to_kubernetes(render: Render) -> None:
    assert "replicas" not in render({"controller": {"replicaCount": None}}).controller()["spec"]


@pytest.mark.parametrize(("value", "written"), [(True, True), ("true", True), ("True", True),
                                               (False, False), ("false", False), ("False", False)])
def test_quoted_booleans_mean_what_they_say(render: Render, value: object, written: bool) -> None:
    data = render({"controller": {"allowSnippetAnnotations": value}}).get("ConfigMap", "ingress-nginx-controller").get("data") or {}
    assert data == ({"allow-snippet-annotations": "true"} if written else {})


def test_node_ports_above_the_default_range_are_accepted(render: Render) -> None:
    service = render({"controller": {"service": {"type": "NodePort", "nodePorts": {"http": 40080}}}}).get(
        "Service", "ingress-nginx-controller")
    assert {port["name"]: port.get("nodePort") for port in service["spec"]["ports"]}["http"] == 40080


def test_default_backend_min_ready_seconds_is_always_written(render: Render) -> None:
    backend = render({"defaultBackend": {"enabled": True}}).get("Deployment", "ingress-nginx-defaultbackend")
    assert backend["spec"]["minReadySeconds"] == 0


def test_templated_tcp_targets_are_accepted_and_evaluated(render: Render) -> None:
    data = render({"tcp": {"9000": "{{ .Release.Namespace }}/queue:9000"}}, namespace="apps").get(
        "ConfigMap", "ingress-nginx-tcp")["data"]
    assert data == {"9000": "apps/queue:9000"}
    assert "--tcp-services-configmap=$(POD_NAMESPACE)/ingress-nginx-tcp" in container(
        render({"tcp": {"9000": "{{ .Release.Namespace }}/queue:9000"}}, namespace="apps").controller(), "controller")["args"]
