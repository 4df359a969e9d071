"""The optional default backend: Deployment, Service, ServiceAccount, PDB, HPA, NetworkPolicy, ConfigMaps."""
from __future__ import annotations

from typing import Any

import re

import pytest
import yaml

from manifests import Manifests, Render, container
from paths import CHART, SEED_VALUES as SEED


NAME = "ingress-nginx-defaultbackend"
CONTAINER = "ingress-nginx-default-backend"
SELECTOR = {
    "app.kubernetes.io/name": "ingress-nginx",
    "app.kubernetes.io/instance": "ingress-nginx",
    "app.kubernetes.io/component": "default-backend",
}


# The chart's digest for its default image (charts/ingress-nginx/default-backend-pin.yaml).
PIN = yaml.safe_load((CHART / "default-backend-pin.yaml").read_text(encoding="utf-8"))
DEFAULT_IMAGE = "registry.k8s.io/defaultbackend-amd64:1.5"


def backend(**values: Any) -> dict[str, Any]:
    return {"defaultBackend": {"enabled": True, **values}}


def backend_objects(manifests: Manifests) -> list[tuple[str, str]]:
    return [
        (obj["kind"], obj["metadata"]["name"]) for obj in manifests.objects
        if obj["metadata"].get("labels", {}).get("app.kubernetes.io/component") == "default-backend"
    ]


def pod_spec(manifests: Manifests) -> dict[str, Any]:
    return manifests.get("Deployment", NAME)["spec"]["template"]["spec"]


def backend_container(manifests: Manifests) -> dict[str, Any]:
    return container(manifests.get("Deployment", NAME), CONTAINER)


def test_disabled_by_default(render: Render) -> None:
    manifests = render()
    assert backend_objects(manifests) == []
    assert manifests.find("ServiceAccount", "ingress-nginx-backend") is None


def test_enabled_objects(render: Render) -> None:
    assert sorted(backend_objects(render(backend()))) == [
        ("Deployment", NAME), ("Service", NAME), ("ServiceAccount", "ingress-nginx-backend"),
    ]


def test_deployment_defaults(render: Render) -> None:
    manifests = render(backend())
    deployment = manifests.get("Deployment", NAME)
    assert deployment["metadata"]["namespace"] == "ingress-nginx"
    spec = deployment["spec"]
    assert spec["selector"] == {"matchLabels": SELECTOR}
    assert spec["replicas"] == 1
    assert spec["revisionHistoryLimit"] == 10
    assert "strategy" not in spec
    assert spec["minReadySeconds"] == 0
    assert SELECTOR.items() <= spec["template"]["metadata"]["labels"].items()
    pod = spec["template"]["spec"]
    assert pod["serviceAccountName"] == "ingress-nginx-backend"
    # Safer than upstream (differences.yaml): the backend never calls the API, so no token.
    assert pod["automountServiceAccountToken"] is False
    assert pod["nodeSelector"] == {"kubernetes.io/os": "linux"}
    assert pod["terminationGracePeriodSeconds"] == 60
    for absent in ("securityContext", "tolerations", "affinity", "topologySpreadConstraints", "volumes",
                   "priorityClassName", "runtimeClassName", "imagePullSecrets"):
        assert absent not in pod, absent
    item = backend_container(manifests)
    # Pinned by digest where upstream has the tag only (differences.yaml).
    assert item["image"] == f"{DEFAULT_IMAGE}@{PIN['digest']}"
    assert item["imagePullPolicy"] == "IfNotPresent"
    assert "args" not in item
    assert item["ports"] == [{"name": "http", "containerPort": 8080, "protocol": "TCP"}]
    assert item["livenessProbe"] == {
        "httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"},
        "initialDelaySeconds": 30, "periodSeconds": 10, "timeoutSeconds": 5,
        "successThreshold": 1, "failureThreshold": 3,
    }
    assert item["readinessProbe"] == {
        "httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"},
        "initialDelaySeconds": 0, "periodSeconds": 5, "timeoutSeconds": 5,
        "successThreshold": 1, "failureThreshold": 6,
    }
    assert item["securityContext"] == {
        "runAsNonRoot": True,
        "runAsUser": 65534,
        "runAsGroup": 65534,
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "seccompProfile": {"type": "RuntimeDefault"},
        "capabilities": {"drop": ["ALL"]},
    }
    for absent in ("env", "volumeMounts", "resources"):
        assert absent not in item, absent


def test_service_defaults(render: Render) -> None:
    service = render(backend()).get("Service", NAME)
    assert service["spec"]["type"] == "ClusterIP"
    assert service["spec"]["ports"] == [
        {"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http", "appProtocol": "http"},
    ]
    assert service["spec"]["selector"] == SELECTOR


def test_service_account_defaults(render: Render) -> None:
    account = render(backend()).get("ServiceAccount", "ingress-nginx-backend")
    assert account["automountServiceAccountToken"] is True
    assert account["metadata"]["labels"]["app.kubernetes.io/component"] == "default-backend"


def test_controller_points_at_the_backend_service(render: Render) -> None:
    args = render(backend()).controller()["spec"]["template"]["spec"]["containers"][0]["args"]
    assert f"--default-backend-service=$(POD_NAMESPACE)/{NAME}" in args


def test_name_and_namespace_override(render: Render) -> None:
    manifests = render({"namespaceOverride": "edge", **backend(name="fallback")}, release="web")
    for kind in ("Deployment", "Service"):
        assert manifests.get(kind, "web-ingress-nginx-fallback")["metadata"]["namespace"] == "edge"
    assert manifests.get("ServiceAccount", "web-ingress-nginx-backend")["metadata"]["namespace"] == "edge"


def test_extra_args(render: Render) -> None:
    manifests = render(backend(extraArgs={"zeta": "1", "alpha": "", "debug": False, "timeout": 5, "bare": None}))
    assert backend_container(manifests)["args"] == [
        "--alpha", "--bare", "--debug=false", "--timeout=5", "--zeta=1",
    ]


POD_SWITCHES: dict[str, Any] = {
    "replicaCount": 3,
    "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
    "minReadySeconds": 7,
    "labels": {"team": "edge"},
    "podLabels": {"tier": "fallback"},
    "podAnnotations": {"example.com/scrape": "no"},
    "priorityClassName": "low",
    "runtimeClassName": "kata",
    "podSecurityContext": {"fsGroup": 65534},
    "nodeSelector": {"pool": "web"},
    "tolerations": [{"key": "web", "operator": "Exists"}],
    "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]},
    ]}}},
    "topologySpreadConstraints": [{
        "maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "ScheduleAnyway",
        "labelSelector": {"matchLabels": SELECTOR},
    }],
    "extraEnvs": [{"name": "LOG", "value": "debug"}],
    "resources": {"requests": {"cpu": "10m", "memory": "20Mi"}},
    "extraVolumes": [{"name": "pages", "configMap": {"name": "error-pages"}}],
    "extraVolumeMounts": [{"name": "pages", "mountPath": "/www"}],
    "port": 9090,
    "livenessProbe": {"initialDelaySeconds": 3},
    "serviceAccount": {"create": True, "name": "fallback-sa", "automountServiceAccountToken": False},
    "image": {"registry": "mirror.example", "image": "tools/backend", "tag": "2.0", "pullPolicy": "Always",
              "digest": "sha256:beef"},
}


def test_pod_switches(render: Render) -> None:
    manifests = render({"imagePullSecrets": [{"name": "pull"}], **backend(**POD_SWITCHES)})
    deployment = manifests.get("Deployment", NAME)
    assert deployment["metadata"]["labels"]["team"] == "edge"
    spec = deployment["spec"]
    assert spec["replicas"] == 3
    assert spec["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}
    assert spec["minReadySeconds"] == 7
    metadata = spec["template"]["metadata"]
    assert metadata["labels"]["tier"] == "fallback"
    assert metadata["annotations"] == {"example.com/scrape": "no"}
    assert spec["selector"] == {"matchLabels": SELECTOR}
    pod = spec["template"]["spec"]
    assert pod["imagePullSecrets"] == [{"name": "pull"}]
    assert pod["priorityClassName"] == "low"
    assert pod["runtimeClassName"] == "kata"
    assert pod["securityContext"] == {"fsGroup": 65534}
    assert pod["nodeSelector"] == {"kubernetes.io/os": "linux", "pool": "web"}
    assert pod["tolerations"] == POD_SWITCHES["tolerations"]
    assert pod["affinity"] == POD_SWITCHES["affinity"]
    assert pod["topologySpreadConstraints"] == POD_SWITCHES["topologySpreadConstraints"]
    assert pod["volumes"] == POD_SWITCHES["extraVolumes"]
    assert pod["serviceAccountName"] == "fallback-sa"
    assert pod["automountServiceAccountToken"] is False
    item = container(deployment, CONTAINER)
    assert item["image"] == "mirror.example/tools/backend:2.0@sha256:beef"
    assert item["imagePullPolicy"] == "Always"
    assert item["env"] == [{"name": "LOG", "value": "debug"}]
    assert item["resources"] == {"requests": {"cpu": "10m", "memory": "20Mi"}}
    assert item["volumeMounts"] == [{"name": "pages", "mountPath": "/www"}]
    assert item["ports"] == [{"name": "http", "containerPort": 9090, "protocol": "TCP"}]
    assert item["livenessProbe"]["httpGet"]["port"] == 9090
    assert item["livenessProbe"]["initialDelaySeconds"] == 3
    assert item["readinessProbe"]["httpGet"]["port"] == 9090
    account = manifests.get("ServiceAccount", "fallback-sa")
    assert account["automountServiceAccountToken"] is False
    assert account["metadata"]["labels"]["team"] == "edge"


def test_probe_handler_cannot_be_replaced(render: Render) -> None:
    probe = backend_container(render(backend(livenessProbe={"exec": {"command": ["true"]}})))["livenessProbe"]
    assert "exec" not in probe
    assert probe["httpGet"]["path"] == "/healthz"


def test_container_security_context_replaces_the_built_one(render: Render) -> None:
    item = backend_container(render(backend(containerSecurityContext={"runAsUser": 1000, "privileged": False})))
    assert item["securityContext"] == {"runAsUser": 1000, "privileged": False}


def test_image_security_keys_drive_the_built_context(render: Render) -> None:
    item = backend_container(render(backend(image={"runAsUser": 2000, "readOnlyRootFilesystem": False,
                                                   "seccompProfile": None, "runAsGroup": None})))
    context = item["securityContext"]
    assert context["runAsUser"] == 2000
    assert context["readOnlyRootFilesystem"] is False
    assert "seccompProfile" not in context
    assert "runAsGroup" not in context
    assert context["capabilities"] == {"drop": ["ALL"]}


def test_pin_is_a_sha256_digest_of_the_default_image() -> None:
    assert PIN["reference"] == DEFAULT_IMAGE
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", PIN["digest"])


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"global": {"image": {"registry": "global.example"}}}, "global.example/defaultbackend-amd64:1.5"),
        ({"defaultBackend": {"image": {"repository": "quay.io/own/backend", "tag": "3"}}}, "quay.io/own/backend:3"),
        # A mirror that re-pushed the image may hold another digest: as upstream, the tag only.
        ({"defaultBackend": {"image": {"registry": "mirror.example"}}}, "mirror.example/defaultbackend-amd64:1.5"),
        # The pin describes 1.5 only.
        ({"defaultBackend": {"image": {"tag": "1.4"}}}, "registry.k8s.io/defaultbackend-amd64:1.4"),
        ({"defaultBackend": {"image": {"tag": 1.5}}}, f"{DEFAULT_IMAGE}@{PIN['digest']}"),
        # The same image spelt another way keeps the pin.
        ({"defaultBackend": {"image": {"repository": "registry.k8s.io/defaultbackend-amd64"}}},
         f"{DEFAULT_IMAGE}@{PIN['digest']}"),
        ({"global": {"image": {"registry": "registry.k8s.io"}}, "defaultBackend": {"image": {"digest": None}}},
         f"{DEFAULT_IMAGE}@{PIN['digest']}"),
        # A digest the user sets is always applied.
        ({"defaultBackend": {"image": {"registry": "mirror.example", "digest": "sha256:beef"}}},
         "mirror.example/defaultbackend-amd64:1.5@sha256:beef"),
        ({"defaultBackend": {"image": {"digest": "sha256:beef"}}}, f"{DEFAULT_IMAGE}@sha256:beef"),
    ],
    ids=["global-registry", "repository", "mirror", "other-tag", "numeric-tag", "same-repository", "explicit-defaults",
         "digest-with-mirror", "digest-replaces-pin"],
)
def test_image_reference(render: Render, values: dict[str, Any], expected: str) -> None:
    merged = {**values, "defaultBackend": {"enabled": True, **values.get("defaultBackend", {})}}
    assert backend_container(render(merged))["image"] == expected


def test_service_switches(render: Render) -> None:
    manifests = render(backend(service={
        "type": "LoadBalancer",
        "annotations": {"example.com/lb": "internal"},
        "clusterIP": "10.0.0.10",
        "clusterIPs": ["10.0.0.10"],
        "externalIPs": ["192.0.2.1"],
        "loadBalancerIP": "192.0.2.2",
        "loadBalancerSourceRanges": ["192.0.2.0/24"],
        "servicePort": 8081,
    }))
    service = manifests.get("Service", NAME)
    assert service["metadata"]["annotations"] == {"example.com/lb": "internal"}
    spec = service["spec"]
    assert spec["type"] == "LoadBalancer"
    assert spec["clusterIP"] == "10.0.0.10"
    assert spec["clusterIPs"] == ["10.0.0.10"]
    assert spec["externalIPs"] == ["192.0.2.1"]
    assert spec["loadBalancerIP"] == "192.0.2.2"
    assert spec["loadBalancerSourceRanges"] == ["192.0.2.0/24"]
    assert spec["ports"][0]["port"] == 8081
    assert spec["ports"][0]["targetPort"] == "http"


def test_existing_service_account(render: Render) -> None:
    manifests = render(backend(serviceAccount={"create": False, "name": "shared"}))
    assert manifests.find("ServiceAccount", "shared") is None
    assert manifests.find("ServiceAccount", "ingress-nginx-backend") is None
    assert pod_spec(manifests)["serviceAccountName"] == "shared"


# Disruption budget and autoscaling


def test_no_pdb_for_one_replica(render: Render) -> None:
    assert render(backend()).find("PodDisruptionBudget", NAME) is None


@pytest.mark.parametrize(
    ("values", "budget"),
    [
        ({}, {"minAvailable": 1}),
        ({"minAvailable": "50%"}, {"minAvailable": "50%"}),
        ({"maxUnavailable": 0}, {"maxUnavailable": 0}),
        ({"maxUnavailable": "25%"}, {"maxUnavailable": "25%"}),
        ({"maxUnavailable": None}, {"minAvailable": 1}),
    ],
    ids=["default", "min-available", "max-unavailable-zero", "max-unavailable", "max-unavailable-null"],
)
def test_pdb_budget(render: Render, values: dict[str, Any], budget: dict[str, Any]) -> None:
    pdb = render(backend(replicaCount=2, **values)).get("PodDisruptionBudget", NAME)
    assert pdb["apiVersion"] == "policy/v1"
    assert pdb["spec"]["selector"] == {"matchLabels": SELECTOR}
    assert {key: pdb["spec"][key] for key in ("minAvailable", "maxUnavailable") if key in pdb["spec"]} == budget


def test_pdb_eviction_policy(render: Render) -> None:
    pdb = render(backend(replicaCount=2, unhealthyPodEvictionPolicy="AlwaysAllow")).get("PodDisruptionBudget", NAME)
    assert pdb["spec"]["unhealthyPodEvictionPolicy"] == "AlwaysAllow"


def test_autoscaling(render: Render) -> None:
    manifests = render(backend(replicaCount=5, autoscaling={
        "enabled": True, "minReplicas": 2, "maxReplicas": 6,
        "targetCPUUtilizationPercentage": 70, "targetMemoryUtilizationPercentage": 80,
        "annotations": {"example.com/owner": "edge"},
    }))
    assert "replicas" not in manifests.get("Deployment", NAME)["spec"]
    hpa = manifests.get("HorizontalPodAutoscaler", NAME)
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["metadata"]["annotations"] == {"example.com/owner": "edge"}
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": NAME}
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 6)
    assert hpa["spec"]["metrics"] == [
        {"type": "Resource", "resource": {"name": "memory",
                                          "target": {"type": "Utilization", "averageUtilization": 80}}},
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}},
    ]
    manifests.get("PodDisruptionBudget", NAME)


def test_autoscaling_floor_of_one_has_no_pdb_and_unset_metric_is_left_out(render: Render) -> None:
    manifests = render(backend(replicaCount=4, autoscaling={
        "enabled": True, "minReplicas": 1, "targetMemoryUtilizationPercentage": "",
    }))
    assert manifests.find("PodDisruptionBudget", NAME) is None
    metrics = manifests.get("HorizontalPodAutoscaler", NAME)["spec"]["metrics"]
    assert [metric["resource"]["name"] for metric in metrics] == ["cpu"]


def test_no_hpa_without_autoscaling(render: Render) -> None:
    assert render(backend()).find("HorizontalPodAutoscaler", NAME) is None


# Network policy and extra ConfigMaps


def test_network_policy(render: Render) -> None:
    assert render(backend()).find("NetworkPolicy", NAME) is None
    policy = render(backend(port=9090, networkPolicy={"enabled": True})).get("NetworkPolicy", NAME)
    assert policy["spec"]["podSelector"] == {"matchLabels": SELECTOR}
    assert policy["spec"]["policyTypes"] == ["Ingress", "Egress"]
    # Safer than upstream (differences.yaml): only the controller pods of the release may connect.
    controller = {**SELECTOR, "app.kubernetes.io/component": "controller"}  # the controller's selector
    assert policy["spec"]["ingress"] == [
        {"from": [{"podSelector": {"matchLabels": controller}}], "ports": [{"protocol": "TCP", "port": 9090}]}
    ]
    assert "egress" not in policy["spec"]


def test_extra_config_maps(render: Render) -> None:
    manifests = render(backend(labels={"team": "edge"}, extraConfigMaps=[
        {"name": "error-pages", "labels": {"kind": "pages"}, "data": {"404.html": "<h1>gone</h1>"}},
        {"name": "empty"},
    ]))
    pages = manifests.get("ConfigMap", "error-pages")
    assert pages["metadata"]["namespace"] == "ingress-nginx"
    assert pages["metadata"]["labels"]["app.kubernetes.io/component"] == "default-backend"
    assert pages["metadata"]["labels"]["team"] == "edge"
    assert pages["metadata"]["labels"]["kind"] == "pages"
    assert pages["data"] == {"404.html": "<h1>gone</h1>"}
    assert "data" not in manifests.get("ConfigMap", "empty")


def test_extra_config_maps_need_the_backend(render: Render) -> None:
    manifests = render({"defaultBackend": {"extraConfigMaps": [{"name": "error-pages"}]}})
    assert manifests.find("ConfigMap", "error-pages") is None


# The seed values file and Helm 4


def test_seed_file_default_backend(render: Render) -> None:
    manifests = render(yaml.safe_load(SEED.read_text()))
    item = backend_container(manifests)
    # The seed's mirror gets no digest, as upstream renders it: the pin is for registry.k8s.io's image.
    assert item["image"] == "registry.cn-hangzhou.aliyuncs.com/xxk8s/defaultbackend-amd64:1.5"
    assert manifests.get("Service", NAME)["spec"]["selector"] == SELECTOR
    assert manifests.controller()["kind"] == "DaemonSet"


def test_helm4_renders_the_same(render: Render) -> None:
    values = backend(replicaCount=2, networkPolicy={"enabled": True})
    helm3 = render(values)
    helm4 = render(values, helm="helm4")
    assert backend_objects(helm3) == backend_objects(helm4)
    for kind, name in backend_objects(helm3):
        assert helm4.get(kind, name) == helm3.get(kind, name), kind
