"""The controller Deployment / DaemonSet and the pod template they share."""
from __future__ import annotations

from typing import Any

import pytest
import yaml

from manifests import Manifests, Render, container
from paths import SEED_VALUES as SEED
from upstream_facts import CONTROLLER_SELECTOR as SELECTOR
from upstream_facts import CONTROLLER_SECURITY_CONTEXT


DEFAULT_IMAGE = (
    "registry.k8s.io/ingress-nginx/controller:v1.15.1"
    "@sha256:594ceea76b01c592858f803f9ff4d2cb40542cae2060410b2c95f75907d659e1"
)


def pod_spec(manifests: Manifests) -> dict[str, Any]:
    return manifests.controller()["spec"]["template"]["spec"]


def controller_container(manifests: Manifests) -> dict[str, Any]:
    return container(manifests.controller(), "controller")


def ports_by_name(manifests: Manifests) -> dict[str, dict[str, Any]]:
    return {port["name"]: port for port in controller_container(manifests)["ports"]}


@pytest.fixture(scope="module")
def seed_values() -> dict[str, Any]:
    return yaml.safe_load(SEED.read_text())


@pytest.mark.parametrize("helm", ["helm3", "helm4"])
def test_default_deployment(render: Render, helm: str) -> None:
    manifests = render({}, helm=helm)
    workload = manifests.get("Deployment", "ingress-nginx-controller")
    assert not manifests.of_kind("DaemonSet")
    assert workload["metadata"]["namespace"] == "ingress-nginx"
    assert workload["spec"]["selector"] == {"matchLabels": SELECTOR}
    assert workload["spec"]["replicas"] == 1
    assert workload["spec"]["revisionHistoryLimit"] == 10
    assert workload["spec"]["minReadySeconds"] == 0
    assert "progressDeadlineSeconds" not in workload["spec"]
    assert "strategy" not in workload["spec"]
    labels = workload["metadata"]["labels"]
    assert labels["app.kubernetes.io/component"] == "controller"
    assert labels["helm.sh/chart"] == "ingress-nginx-0.1.0"
    template_labels = workload["spec"]["template"]["metadata"]["labels"]
    assert SELECTOR.items() <= template_labels.items()


def test_default_pod_spec(render: Render) -> None:
    spec = pod_spec(render({}))
    assert spec["dnsPolicy"] == "ClusterFirst"
    assert spec["hostNetwork"] is False
    assert spec["serviceAccountName"] == "ingress-nginx"
    assert spec["automountServiceAccountToken"] is True
    assert spec["terminationGracePeriodSeconds"] == 300
    assert spec["nodeSelector"] == {"kubernetes.io/os": "linux"}
    assert spec["volumes"] == [{"name": "webhook-cert", "secret": {"secretName": "ingress-nginx-admission"}}]
    for absent in ("securityContext", "initContainers", "imagePullSecrets", "tolerations", "affinity", "hostAliases"):
        assert absent not in spec
    assert [c["name"] for c in spec["containers"]] == ["controller"]


def test_default_container(render: Render) -> None:
    main = controller_container(render({}))
    assert main["image"] == DEFAULT_IMAGE
    assert main["imagePullPolicy"] == "IfNotPresent"
    assert main["lifecycle"] == {"preStop": {"exec": {"command": ["/wait-shutdown"]}}}
    assert main["securityContext"] == CONTROLLER_SECURITY_CONTEXT
    assert main["env"] == [
        {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
        {"name": "LD_PRELOAD", "value": "/usr/local/lib/libmimalloc.so"},
    ]
    assert main["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": 10254, "scheme": "HTTP"}
    assert main["livenessProbe"]["failureThreshold"] == 5
    assert main["readinessProbe"]["failureThreshold"] == 3
    assert "startupProbe" not in main
    assert main["ports"] == [
        {"name": "http", "containerPort": 80, "protocol": "TCP"},
        {"name": "https", "containerPort": 443, "protocol": "TCP"},
        {"name": "webhook", "containerPort": 8443, "protocol": "TCP"},
    ]
    assert main["volumeMounts"] == [
        {"name": "webhook-cert", "mountPath": "/usr/local/certificates/", "readOnly": True}
    ]
    assert main["resources"] == {"requests": {"cpu": "100m", "memory": "90Mi"}}
    assert "resizePolicy" not in main


@pytest.mark.parametrize("helm", ["helm3", "helm4"])
def test_daemonset_shares_the_pod_template(render: Render, helm: str) -> None:
    values = {"controller": {"podLabels": {"team": "edge"}, "tolerations": [{"operator": "Exists"}]}}
    deployment = render(values, helm=helm).controller()
    daemonset_manifests = render({"controller": {**values["controller"], "kind": "DaemonSet"}}, helm=helm)
    daemonset = daemonset_manifests.get("DaemonSet", "ingress-nginx-controller")
    assert not daemonset_manifests.of_kind("Deployment")
    assert daemonset["spec"]["template"] == deployment["spec"]["template"]
    assert daemonset["spec"]["selector"] == {"matchLabels": SELECTOR}
    assert "replicas" not in daemonset["spec"]
    assert "strategy" not in daemonset["spec"]


def test_update_strategy_by_kind(render: Render) -> None:
    deployment = render({"controller": {"updateStrategy": {"type": "Recreate"}}}).controller()
    assert deployment["spec"]["strategy"] == {"type": "Recreate"}
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}
    daemonset = render({"controller": {"kind": "DaemonSet", "updateStrategy": strategy}}).controller()
    assert daemonset["spec"]["updateStrategy"] == strategy


def test_workload_fields(render: Render) -> None:
    values = {
        "revisionHistoryLimit": 3,
        "controller": {
            "replicaCount": 3,
            "minReadySeconds": 5,
            "progressDeadlineSeconds": 600,
            "annotations": {"owner": "edge"},
            "labels": {"tier": "front"},
        },
    }
    workload = render(values).controller()
    assert workload["spec"]["replicas"] == 3
    assert workload["spec"]["revisionHistoryLimit"] == 3
    assert workload["spec"]["minReadySeconds"] == 5
    assert workload["spec"]["progressDeadlineSeconds"] == 600
    assert workload["metadata"]["annotations"] == {"owner": "edge"}
    assert workload["metadata"]["labels"]["tier"] == "front"
    assert workload["spec"]["selector"] == {"matchLabels": SELECTOR}


@pytest.mark.parametrize("helm", ["helm3", "helm4"])
def test_seed_daemonset_prod(render: Render, seed_values: dict[str, Any], helm: str) -> None:
    manifests = render(seed_values, helm=helm)
    workload = manifests.controller()
    assert workload["kind"] == "DaemonSet"
    assert workload["metadata"]["name"] == "ingress-nginx-controller"
    spec = workload["spec"]["template"]["spec"]
    assert spec["hostNetwork"] is True
    assert spec["dnsPolicy"] == "ClusterFirstWithHostNet"
    # Helm merges maps, so the chart's default os selector stays beside the seed's.
    assert spec["nodeSelector"] == {"kubernetes.io/hostname": "master01", "kubernetes.io/os": "linux"}
    assert spec["tolerations"] == [
        {"key": "node-role.kubernetes.io/master", "operator": "Equal", "effect": "NoSchedule"}
    ]
    main = container(workload, "controller")
    assert main["image"] == "registry.cn-hangzhou.aliyuncs.com/xxk8s/controller:v1.4.0"
    assert "--default-backend-service=$(POD_NAMESPACE)/ingress-nginx-defaultbackend" in main["args"]
    assert not [a for a in main["args"] if a.startswith("--publish-service")]
    assert {p["name"] for p in main["ports"]} == {"http", "https", "webhook"}
    assert all("hostPort" not in p for p in main["ports"])
    assert not manifests.of_kind("HorizontalPodAutoscaler")
    assert not manifests.of_kind("PodDisruptionBudget")


def test_host_network_keeps_dns_policy_from_values(render: Render) -> None:
    spec = pod_spec(render({"controller": {"hostNetwork": True}}))
    assert spec["hostNetwork"] is True
    assert spec["dnsPolicy"] == "ClusterFirst"


@pytest.mark.parametrize("policy", ["ClusterFirstWithHostNet", "Default", "None"])
def test_dns_policy_and_config(render: Render, policy: str) -> None:
    dns_config = {"nameservers": ["1.1.1.1"]}
    spec = pod_spec(render({"controller": {"dnsPolicy": policy, "dnsConfig": dns_config}}))
    assert spec["dnsPolicy"] == policy
    assert spec["dnsConfig"] == dns_config


def test_host_ports_on_every_listening_port(render: Render) -> None:
    values = {
        "controller": {"hostPort": {"enabled": True, "ports": {"http": 8080, "https": 8443}}, "metrics": {"enabled": True}},
        "tcp": {"9000": "apps/db:5432"},
        "udp": {"5353": "apps/dns:53"},
        "portNamePrefix": "px",
    }
    ports = ports_by_name(render(values))
    assert ports["http"] == {"name": "http", "containerPort": 80, "protocol": "TCP", "hostPort": 8080}
    assert ports["https"] == {"name": "https", "containerPort": 443, "protocol": "TCP", "hostPort": 8443}
    assert ports["px-9000-tcp"] == {"name": "px-9000-tcp", "containerPort": 9000, "protocol": "TCP", "hostPort": 9000}
    assert ports["px-5353-udp"] == {"name": "px-5353-udp", "containerPort": 5353, "protocol": "UDP", "hostPort": 5353}
    assert "hostPort" not in ports["metrics"]
    assert "hostPort" not in ports["webhook"]


def test_stream_ports_without_host_port(render: Render) -> None:
    ports = ports_by_name(render({"tcp": {"9000": "apps/db:5432"}, "udp": {"53": "kube-system/dns:53"}}))
    assert ports["9000-tcp"] == {"name": "9000-tcp", "containerPort": 9000, "protocol": "TCP"}
    assert ports["53-udp"] == {"name": "53-udp", "containerPort": 53, "protocol": "UDP"}


def test_metrics_and_webhook_ports(render: Render) -> None:
    values = {
        "controller": {
            "metrics": {"enabled": True, "port": 9913, "portName": "prom"},
            "admissionWebhooks": {"port": 9443},
            "containerPort": {"http": 8080, "https": 8443},
        }
    }
    ports = ports_by_name(render(values))
    assert ports["prom"]["containerPort"] == 9913
    assert ports["webhook"]["containerPort"] == 9443
    assert ports["http"]["containerPort"] == 8080
    assert ports["https"]["containerPort"] == 8443
    no_webhook = ports_by_name(render({"controller": {"admissionWebhooks": {"enabled": False}}}))
    assert set(no_webhook) == {"http", "https"}


def test_no_webhook_volume_without_webhook(render: Render) -> None:
    manifests = render({"controller": {"admissionWebhooks": {"enabled": False}}})
    assert "volumes" not in pod_spec(manifests)
    assert "volumeMounts" not in controller_container(manifests)


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        (
            {"chroot": True},
            "registry.k8s.io/ingress-nginx/controller-chroot:v1.15.1"
            "@sha256:af31d00c9d82c612896b380a9003bd36843b7647b98e4588251c66325317bc72",
        ),
        ({"digest": None}, "registry.k8s.io/ingress-nginx/controller:v1.15.1"),
        ({"digest": ""}, "registry.k8s.io/ingress-nginx/controller:v1.15.1"),
        ({"chroot": True, "digestChroot": None}, "registry.k8s.io/ingress-nginx/controller-chroot:v1.15.1"),
        ({"registry": "mirror.example.com", "digest": ""}, "mirror.example.com/ingress-nginx/controller:v1.15.1"),
        ({"repository": "mirror.example.com/nginx", "tag": "v9", "digest": ""}, "mirror.example.com/nginx:v9"),
    ],
)
def test_controller_image(render: Render, image: dict[str, Any], expected: str) -> None:
    assert controller_container(render({"controller": {"image": image}}))["image"] == expected


def test_global_registry_override(render: Render) -> None:
    main = controller_container(render({"global": {"image": {"registry": "mirror.example.com"}}}))
    assert main["image"].startswith("mirror.example.com/ingress-nginx/controller:v1.15.1@sha256:")


def test_chroot_security_context(render: Render) -> None:
    context = controller_container(render({"controller": {"image": {"chroot": True}}}))["securityContext"]
    assert context["allowPrivilegeEscalation"] is True
    assert context["capabilities"] == {"drop": ["ALL"], "add": ["NET_BIND_SERVICE", "SYS_ADMIN", "SYS_CHROOT"]}
    without_seccomp = {"controller": {"image": {"chroot": True, "seccompProfile": None}}}
    context = controller_container(render(without_seccomp))["securityContext"]
    assert context["capabilities"]["add"] == ["NET_BIND_SERVICE", "SYS_CHROOT"]
    assert "seccompProfile" not in context


def test_security_context_from_image_values(render: Render) -> None:
    image = {"runAsUser": 2000, "runAsGroup": 3000, "readOnlyRootFilesystem": True, "allowPrivilegeEscalation": True}
    context = controller_container(render({"controller": {"image": image}}))["securityContext"]
    assert context["runAsUser"] == 2000
    assert context["runAsGroup"] == 3000
    assert context["readOnlyRootFilesystem"] is True
    assert context["allowPrivilegeEscalation"] is True


def test_explicit_container_security_context_replaces_defaults(render: Render) -> None:
    explicit = {"privileged": True, "runAsUser": 0}
    main = controller_container(render({"controller": {"containerSecurityContext": explicit}}))
    assert main["securityContext"] == explicit


def test_pod_settings(render: Render) -> None:
    values = {
        "imagePullSecrets": [{"name": "regcred"}],
        "serviceAccount": {"name": "edge-sa", "automountServiceAccountToken": False},
        "controller": {
            "podAnnotations": {"prometheus.io/scrape": "true", "checksum": "5"},
            "podLabels": {"team": "edge"},
            "hostAliases": [{"ip": "10.0.0.1", "hostnames": ["a.example"]}],
            "priorityClassName": "system-cluster-critical",
            "runtimeClassName": "gvisor",
            "podSecurityContext": {"fsGroup": 101},
            "sysctls": {"net.core.somaxconn": 4096, "net.ipv4.ip_local_port_range": "1024 65000"},
            "shareProcessNamespace": True,
            "affinity": {"nodeAffinity": {}},
            "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"}],
            "terminationGracePeriodSeconds": 60,
        },
    }
    workload = render(values).controller()
    template = workload["spec"]["template"]
    assert template["metadata"]["annotations"] == {"prometheus.io/scrape": "true", "checksum": "5"}
    assert template["metadata"]["labels"]["team"] == "edge"
    spec = template["spec"]
    assert spec["imagePullSecrets"] == [{"name": "regcred"}]
    assert spec["serviceAccountName"] == "edge-sa"
    assert spec["automountServiceAccountToken"] is False
    assert spec["hostAliases"] == values["controller"]["hostAliases"]
    assert spec["priorityClassName"] == "system-cluster-critical"
    assert spec["runtimeClassName"] == "gvisor"
    assert spec["securityContext"] == {
        "fsGroup": 101,
        "sysctls": [
            {"name": "net.core.somaxconn", "value": "4096"},
            {"name": "net.ipv4.ip_local_port_range", "value": "1024 65000"},
        ],
    }
    assert spec["shareProcessNamespace"] is True
    assert spec["affinity"] == {"nodeAffinity": {}}
    assert spec["topologySpreadConstraints"][0]["topologyKey"] == "zone"
    assert spec["terminationGracePeriodSeconds"] == 60


def test_container_settings(render: Render) -> None:
    values = {
        "controller": {
            "containerName": "nginx",
            "enableMimalloc": False,
            "extraEnvs": [{"name": "TZ", "value": "UTC"}],
            "startupProbe": {"httpGet": {"path": "/healthz", "port": 10254}, "failureThreshold": 30},
            "livenessProbe": {"httpGet": {"path": "/healthz", "port": 10254}, "periodSeconds": 7},
            "resources": {"limits": {"memory": "512Mi"}},
            "resizePolicy": [{"resourceName": "cpu", "restartPolicy": "NotRequired"}],
            "lifecycle": {"preStop": {"exec": {"command": ["/bin/true"]}}},
            "image": {"pullPolicy": "Always"},
        }
    }
    main = container(render(values).controller(), "nginx")
    assert [e["name"] for e in main["env"]] == ["POD_NAME", "POD_NAMESPACE", "TZ"]
    assert main["startupProbe"]["failureThreshold"] == 30
    assert main["livenessProbe"]["periodSeconds"] == 7
    assert main["resources"] == {"limits": {"memory": "512Mi"}, "requests": {"cpu": "100m", "memory": "90Mi"}}
    assert main["resizePolicy"] == [{"resourceName": "cpu", "restartPolicy": "NotRequired"}]
    assert main["lifecycle"] == {"preStop": {"exec": {"command": ["/bin/true"]}}}
    assert main["imagePullPolicy"] == "Always"


def test_extra_containers_volumes_and_init_containers(render: Render) -> None:
    values = {
        "controller": {
            "extraContainers": [{"name": "sidecar", "image": "busybox"}],
            "extraInitContainers": [{"name": "prepare", "image": "busybox"}],
            "extraVolumes": [{"name": "cache", "emptyDir": {}}],
            "extraVolumeMounts": [{"name": "cache", "mountPath": "/cache"}],
            "customTemplate": {"configMapName": "nginx-tmpl", "configMapKey": "main.tmpl"},
            "extraModules": [
                {"name": "otel", "image": {"registry": "reg.example", "image": "otel", "tag": "v1", "distroless": True}},
                {
                    "name": "datadog",
                    "image": {"registry": "docker.io", "image": "datadog/ingress-nginx-injection", "tag": "v1.10.0"},
                    "containerSecurityContext": {"runAsNonRoot": True},
                    "resources": {"requests": {"cpu": "10m"}},
                },
            ],
        }
    }
    spec = pod_spec(render(values))
    assert [c["name"] for c in spec["containers"]] == ["controller", "sidecar"]
    init = {c["name"]: c for c in spec["initContainers"]}
    assert list(init) == ["prepare", "otel", "datadog"]
    assert init["otel"]["image"] == "reg.example/otel:v1"
    assert init["otel"]["command"] == ["/init_module"]
    assert init["datadog"]["image"] == "docker.io/datadog/ingress-nginx-injection:v1.10.0"
    assert init["datadog"]["command"] == ["sh", "-c", "/usr/local/bin/init_module.sh"]
    assert init["datadog"]["securityContext"] == {"runAsNonRoot": True}
    assert init["datadog"]["resources"] == {"requests": {"cpu": "10m"}}
    assert init["otel"]["volumeMounts"] == [{"name": "modules", "mountPath": "/modules_mount"}]
    assert [v["name"] for v in spec["volumes"]] == ["modules", "nginx-template-volume", "webhook-cert", "cache"]
    template_volume = spec["volumes"][1]
    assert template_volume["configMap"] == {
        "name": "nginx-tmpl",
        "items": [{"key": "main.tmpl", "path": "nginx.tmpl"}],
    }
    mounts = {m["name"]: m for m in spec["containers"][0]["volumeMounts"]}
    assert list(mounts) == ["modules", "nginx-template-volume", "webhook-cert", "cache"]
    assert mounts["modules"]["mountPath"] == "/modules_mount"
    assert mounts["nginx-template-volume"] == {
        "name": "nginx-template-volume", "mountPath": "/etc/nginx/template", "readOnly": True
    }


def test_service_account_not_created(render: Render) -> None:
    spec = pod_spec(render({"serviceAccount": {"create": False}}))
    assert spec["serviceAccountName"] == "default"


def test_release_namespace_override(render: Render) -> None:
    workload = render({"namespaceOverride": "edge"}, release="r", namespace="other").controller()
    assert workload["metadata"]["namespace"] == "edge"
    assert workload["metadata"]["name"] == "r-ingress-nginx-controller"
