"""Values files of the kinds the upstream chart 4.15.1 tests itself with render
the facts recorded in shared/reference/behaviour.md: the same objects, names,
selectors, controller arguments, ports, hooks and RBAC. This is the proof that
a release made with upstream upgrades in place with this chart."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from manifests import Manifests, Render, container
from upstream_facts import CONTROLLER_SELECTOR as SELECTOR
from upstream_facts import CONTROLLER_SECURITY_CONTEXT

NS = "ingress-nginx"
HEAD_ARGS = ["/nginx-ingress-controller"]
PUBLISH = "--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller"
CLASS_ARGS = [
    "--election-id=ingress-nginx-leader",
    "--controller-class=k8s.io/ingress-nginx",
    "--ingress-class=nginx",
    "--configmap=$(POD_NAMESPACE)/ingress-nginx-controller",
]
WEBHOOK_ARGS = [
    "--validating-webhook=:8443",
    "--validating-webhook-certificate=/usr/local/certificates/cert",
    "--validating-webhook-key=/usr/local/certificates/key",
]
CERTGEN_HOOKS = {"pre-install", "pre-upgrade", "post-install", "post-upgrade"}
HOOK_DELETE = {"before-hook-creation", "hook-succeeded"}

# Every object of a default install, by kind and name.
DEFAULT_OBJECTS = {
    ("ServiceAccount", "ingress-nginx"),
    ("ConfigMap", "ingress-nginx-controller"),
    ("ClusterRole", "ingress-nginx"),
    ("ClusterRoleBinding", "ingress-nginx"),
    ("Role", "ingress-nginx"),
    ("RoleBinding", "ingress-nginx"),
    ("Service", "ingress-nginx-controller"),
    ("Service", "ingress-nginx-controller-admission"),
    ("Deployment", "ingress-nginx-controller"),
    ("IngressClass", "nginx"),
    ("ValidatingWebhookConfiguration", "ingress-nginx-admission"),
    ("ServiceAccount", "ingress-nginx-admission"),
    ("ClusterRole", "ingress-nginx-admission"),
    ("ClusterRoleBinding", "ingress-nginx-admission"),
    ("Role", "ingress-nginx-admission"),
    ("RoleBinding", "ingress-nginx-admission"),
    ("Job", "ingress-nginx-admission-create"),
    ("Job", "ingress-nginx-admission-patch"),
}
CERTGEN_OBJECTS = {
    (kind, "ingress-nginx-admission")
    for kind in ("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")
} | {("Job", "ingress-nginx-admission-create"), ("Job", "ingress-nginx-admission-patch")}


def args(m: Manifests) -> list[str]:
    return container(m.controller(), "controller")["args"]


def identities(m: Manifests) -> set[tuple[str, str]]:
    found = m.index()
    assert len(found) == len(set(found)), f"an object is rendered twice: {found}"
    return set(found)


def rule_grants(rules: list[dict[str, Any]]) -> set[tuple[str, str, str, str]]:
    """(apiGroup, resource, verb, resourceName or '') for every permission."""
    return {
        (group, resource, verb, name)
        for rule in rules
        for group in rule.get("apiGroups", [])
        for resource in rule["resources"]
        for verb in rule["verbs"]
        for name in (rule.get("resourceNames") or [""])
    }


def grants(group: str, resources: list[str], verbs: list[str], name: str = "") -> set[tuple[str, str, str, str]]:
    return {(group, resource, verb, name) for resource in resources for verb in verbs}


def hooks(obj: dict[str, Any]) -> tuple[set[str], set[str]]:
    annotations = obj["metadata"].get("annotations") or {}
    return (
        set(annotations.get("helm.sh/hook", "").split(",")) - {""},
        set(annotations.get("helm.sh/hook-delete-policy", "").split(",")) - {""},
    )


# --- Defaults: a Deployment behind a LoadBalancer Service ---------------------------


def test_default_objects(render: Render) -> None:
    assert identities(render({})) == DEFAULT_OBJECTS


def test_default_controller_arguments(render: Render) -> None:
    assert args(render({})) == [*HEAD_ARGS, PUBLISH, *CLASS_ARGS, *WEBHOOK_ARGS]


def test_default_selectors_are_the_three_labels(render: Render) -> None:
    m = render({})
    workload = m.get("Deployment", "ingress-nginx-controller")
    assert workload["spec"]["selector"] == {"matchLabels": SELECTOR}
    assert SELECTOR.items() <= workload["spec"]["template"]["metadata"]["labels"].items()
    assert m.get("Service", "ingress-nginx-controller")["spec"]["selector"] == SELECTOR
    assert m.get("Service", "ingress-nginx-controller-admission")["spec"]["selector"] == SELECTOR


def test_default_labels_on_every_object(render: Render) -> None:
    m = render({"commonLabels": {"team": "edge"}})
    for obj in m.objects:
        labels = obj["metadata"]["labels"]
        where = f"{obj['kind']}/{obj['metadata']['name']}"
        assert labels["helm.sh/chart"] == "ingress-nginx-5.0.0", where
        assert labels["app.kubernetes.io/name"] == "ingress-nginx", where
        assert labels["app.kubernetes.io/instance"] == "ingress-nginx", where
        assert labels["app.kubernetes.io/version"] == "1.15.1", where
        assert labels["app.kubernetes.io/part-of"] == "ingress-nginx", where
        assert labels["app.kubernetes.io/managed-by"] == "Helm", where
        assert labels["team"] == "edge", where
        # Upstream's ClusterRole and ClusterRoleBinding of the controller carry no component label.
        if (obj["kind"], obj["metadata"]["name"]) in {("ClusterRole", "ingress-nginx"), ("ClusterRoleBinding", "ingress-nginx")}:
            assert "app.kubernetes.io/component" not in labels, where
        else:
            assert labels["app.kubernetes.io/component"] in {"controller", "admission-webhook"}, where


def test_default_ports(render: Render) -> None:
    m = render({})
    ports = {p["name"]: p for p in container(m.controller(), "controller")["ports"]}
    assert {name: (p["containerPort"], p["protocol"]) for name, p in ports.items()} == {
        "http": (80, "TCP"), "https": (443, "TCP"), "webhook": (8443, "TCP")
    }
    service = m.get("Service", "ingress-nginx-controller")["spec"]
    assert service["type"] == "LoadBalancer"
    assert service["ipFamilyPolicy"] == "SingleStack" and service["ipFamilies"] == ["IPv4"]
    assert {(p["name"], p["port"], p["targetPort"], p["protocol"], p.get("appProtocol")) for p in service["ports"]} == {
        ("http", 80, "http", "TCP", "http"), ("https", 443, "https", "TCP", "https")
    }
    admission = m.get("Service", "ingress-nginx-controller-admission")["spec"]
    assert admission["type"] == "ClusterIP"
    assert [(p["port"], p["targetPort"]) for p in admission["ports"]] == [(443, "webhook")]


def test_default_image(render: Render) -> None:
    image = container(render({}).controller(), "controller")["image"]
    assert image == (
        "registry.k8s.io/ingress-nginx/controller:v1.15.1"
        "@sha256:594ceea76b01c592858f803f9ff4d2cb40542cae2060410b2c95f75907d659e1"
    )


def test_default_security_context(render: Render) -> None:
    security = container(render({}).controller(), "controller")["securityContext"]
    assert security == CONTROLLER_SECURITY_CONTEXT


def test_validating_webhook(render: Render) -> None:
    config = render({}).get("ValidatingWebhookConfiguration", "ingress-nginx-admission")
    assert len(config["webhooks"]) == 1
    webhook = config["webhooks"][0]
    assert webhook["name"] == "validate.nginx.ingress.kubernetes.io"
    assert webhook["rules"] == [{
        "apiGroups": ["networking.k8s.io"], "apiVersions": ["v1"],
        "operations": ["CREATE", "UPDATE"], "resources": ["ingresses"],
    }]
    assert webhook["failurePolicy"] == "Fail"
    assert webhook["sideEffects"] == "None"
    assert webhook["admissionReviewVersions"] == ["v1"]
    assert webhook["clientConfig"]["service"] == {
        "namespace": NS, "name": "ingress-nginx-controller-admission",
        "path": "/networking/v1/ingresses", "port": 443,
    }


def test_webhook_certificate_mount(render: Render) -> None:
    workload = render({}).controller()
    volumes = {v["name"]: v for v in workload["spec"]["template"]["spec"]["volumes"]}
    mounts = {m["name"]: m for m in container(workload, "controller")["volumeMounts"]}
    secret_volumes = [name for name, v in volumes.items() if v.get("secret", {}).get("secretName") == "ingress-nginx-admission"]
    assert len(secret_volumes) == 1
    assert mounts[secret_volumes[0]]["mountPath"].rstrip("/") == "/usr/local/certificates"


def test_certgen_hooks(render: Render) -> None:
    m = render({})
    assert hooks(m.get("Job", "ingress-nginx-admission-create")) == ({"pre-install", "pre-upgrade"}, HOOK_DELETE)
    assert hooks(m.get("Job", "ingress-nginx-admission-patch")) == ({"post-install", "post-upgrade"}, HOOK_DELETE)
    for job in ("ingress-nginx-admission-create", "ingress-nginx-admission-patch"):
        assert m.get("Job", job)["spec"]["ttlSecondsAfterFinished"] == 0
    for kind in ("ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"):
        assert hooks(m.get(kind, "ingress-nginx-admission")) == (CERTGEN_HOOKS, HOOK_DELETE), kind
    assert rule_grants(m.get("Role", "ingress-nginx-admission")["rules"]) == grants("", ["secrets"], ["get", "create"])
    # A deliberate difference (differences.yaml): the grant is limited to this release's configuration.
    assert rule_grants(m.get("ClusterRole", "ingress-nginx-admission")["rules"]) == grants(
        "admissionregistration.k8s.io", ["validatingwebhookconfigurations"], ["get", "update"], "ingress-nginx-admission"
    )


def test_controller_cluster_role(render: Render) -> None:
    rules = render({}).get("ClusterRole", "ingress-nginx")["rules"]
    assert rule_grants(rules) == (
        grants("", ["configmaps", "endpoints", "nodes", "pods", "secrets", "namespaces"], ["list", "watch"])
        | grants("coordination.k8s.io", ["leases"], ["list", "watch"])
        | grants("", ["nodes"], ["get"])
        | grants("", ["services"], ["get", "list", "watch"])
        | grants("networking.k8s.io", ["ingresses", "ingressclasses"], ["get", "list", "watch"])
        | grants("", ["events"], ["create", "patch"])
        | grants("networking.k8s.io", ["ingresses/status"], ["update"])
        | grants("discovery.k8s.io", ["endpointslices"], ["list", "watch", "get"])
    )


def test_controller_role(render: Render) -> None:
    m = render({})
    role = m.get("Role", "ingress-nginx")
    assert role["metadata"]["namespace"] == NS
    assert rule_grants(role["rules"]) == (
        grants("", ["namespaces"], ["get"])
        | grants("", ["configmaps", "pods", "secrets", "endpoints", "services"], ["get", "list", "watch"])
        | grants("networking.k8s.io", ["ingresses", "ingressclasses"], ["get", "list", "watch"])
        | grants("discovery.k8s.io", ["endpointslices"], ["get", "list", "watch"])
        | grants("networking.k8s.io", ["ingresses/status"], ["update"])
        | grants("coordination.k8s.io", ["leases"], ["get", "update"], "ingress-nginx-leader")
        | grants("coordination.k8s.io", ["leases"], ["create"])
        | grants("", ["events"], ["create", "patch"])
    )
    for binding_kind, role_kind in (("RoleBinding", "Role"), ("ClusterRoleBinding", "ClusterRole")):
        binding = m.get(binding_kind, "ingress-nginx")
        assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": "ingress-nginx"}
        assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "ingress-nginx", "namespace": NS}]


# --- The upstream kinds of values files ----------------------------------------------

DAEMONSET = {"controller": {"kind": "DaemonSet", "minAvailable": 1}}


def test_daemonset(render: Render) -> None:
    m = render(DAEMONSET)
    assert identities(m) == DEFAULT_OBJECTS - {("Deployment", "ingress-nginx-controller")} | {
        ("DaemonSet", "ingress-nginx-controller")
    }
    workload = m.get("DaemonSet", "ingress-nginx-controller")
    assert workload["spec"]["selector"] == {"matchLabels": SELECTOR}
    assert "replicas" not in workload["spec"]
    assert args(m) == [*HEAD_ARGS, PUBLISH, *CLASS_ARGS, *WEBHOOK_ARGS]


def test_daemonset_host_network_keeps_dns_policy_as_given(render: Render) -> None:
    m = render({"controller": {"kind": "DaemonSet", "hostNetwork": True, "dnsPolicy": "ClusterFirstWithHostNet",
                               "reportNodeInternalIp": True, "service": {"enabled": False},
                               "publishService": {"enabled": False}}})
    spec = m.controller()["spec"]["template"]["spec"]
    assert (spec["hostNetwork"], spec["dnsPolicy"]) == (True, "ClusterFirstWithHostNet")
    assert m.find("Service", "ingress-nginx-controller") is None
    assert args(m) == [*HEAD_ARGS, *CLASS_ARGS, "--report-node-internal-ip-address=true", *WEBHOOK_ARGS]


def test_deployment_replicas_and_pdb(render: Render) -> None:
    m = render({"controller": {"replicaCount": 3, "minAvailable": 1}})
    assert m.get("Deployment", "ingress-nginx-controller")["spec"]["replicas"] == 3
    pdb = m.get("PodDisruptionBudget", "ingress-nginx-controller")
    assert pdb["spec"] == {"selector": {"matchLabels": SELECTOR}, "minAvailable": 1}
    assert render({}).find("PodDisruptionBudget", "ingress-nginx-controller") is None


def test_metrics(render: Render) -> None:
    m = render({"controller": {"metrics": {"enabled": True}}})
    assert identities(m) == DEFAULT_OBJECTS | {("Service", "ingress-nginx-controller-metrics")}
    assert args(m) == [*HEAD_ARGS, PUBLISH, *CLASS_ARGS, *WEBHOOK_ARGS, "--enable-metrics=true"]
    ports = {p["name"]: p["containerPort"] for p in container(m.controller(), "controller")["ports"]}
    assert ports["metrics"] == 10254
    service = m.get("Service", "ingress-nginx-controller-metrics")
    assert service["spec"]["selector"] == SELECTOR
    assert [(p["name"], p["port"], p["targetPort"]) for p in service["spec"]["ports"]] == [("metrics", 10254, "metrics")]


def test_metrics_service_monitor(render: Render) -> None:
    m = render({"controller": {"metrics": {"enabled": True, "serviceMonitor": {"enabled": True}}}})
    monitor = m.get("ServiceMonitor", "ingress-nginx-controller")
    assert monitor["spec"]["selector"]["matchLabels"] == SELECTOR
    assert monitor["spec"]["endpoints"][0]["port"] == "metrics"


HPA = {"controller": {"autoscaling": {"enabled": True, "minReplicas": 2, "maxReplicas": 5}}}


def test_autoscaling(render: Render) -> None:
    m = render(HPA)
    assert identities(m) == DEFAULT_OBJECTS | {
        ("HorizontalPodAutoscaler", "ingress-nginx-controller"), ("PodDisruptionBudget", "ingress-nginx-controller")
    }
    assert "replicas" not in m.get("Deployment", "ingress-nginx-controller")["spec"]
    hpa = m.get("HorizontalPodAutoscaler", "ingress-nginx-controller")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                             "name": "ingress-nginx-controller"}
    targets = {x["resource"]["name"]: x["resource"]["target"] for x in hpa["spec"]["metrics"]}
    assert targets == {
        "cpu": {"type": "Utilization", "averageUtilization": 50},
        "memory": {"type": "Utilization", "averageUtilization": 50},
    }


def test_daemonset_never_gets_a_pdb(render: Render) -> None:
    m = render({"controller": {"kind": "DaemonSet", "replicaCount": 3, "minAvailable": 1}})
    assert not m.of_kind("PodDisruptionBudget")


def test_autoscaling_a_daemonset_is_refused(render_error: Callable[..., str]) -> None:
    # Upstream ignores autoscaling on a DaemonSet; this chart refuses the
    # combination instead (a documented difference), naming both keys.
    message = render_error({"controller": {"kind": "DaemonSet", **HPA["controller"]}})
    assert "controller.autoscaling.enabled" in message and "controller.kind" in message


def test_internal_service(render: Render) -> None:
    m = render({"controller": {"service": {"internal": {
        "enabled": True, "annotations": {"networking.gke.io/load-balancer-type": "Internal"}
    }}}})
    assert identities(m) == DEFAULT_OBJECTS | {("Service", "ingress-nginx-controller-internal")}
    internal = m.get("Service", "ingress-nginx-controller-internal")
    assert internal["spec"]["selector"] == SELECTOR
    assert internal["metadata"]["annotations"] == {"networking.gke.io/load-balancer-type": "Internal"}
    assert {(p["name"], p["port"], p["targetPort"]) for p in internal["spec"]["ports"]} == {
        ("http", 80, "http"), ("https", 443, "https")
    }
    # The external Service still exists, so it stays the published one.
    assert PUBLISH in args(m)


def test_only_internal_service_is_published(render: Render) -> None:
    m = render({"controller": {"service": {"external": {"enabled": False}, "internal": {"enabled": True}}}})
    assert m.find("Service", "ingress-nginx-controller") is None
    assert "--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller-internal" in args(m)


NODEPORT_TCP_UDP = {
    "controller": {"service": {"type": "NodePort", "nodePorts": {
        "http": "32080", "https": "32443", "tcp": {"8080": "31808"}, "udp": {"9000": "31900"},
    }}},
    "tcp": {"8080": "default/echo:8080"},
    "udp": {"9000": "default/echo-udp:9000"},
}


def test_nodeport_with_tcp_and_udp(render: Render) -> None:
    m = render(NODEPORT_TCP_UDP)
    assert identities(m) == DEFAULT_OBJECTS | {("ConfigMap", "ingress-nginx-tcp"), ("ConfigMap", "ingress-nginx-udp")}
    assert args(m) == [
        *HEAD_ARGS, PUBLISH, *CLASS_ARGS,
        "--tcp-services-configmap=$(POD_NAMESPACE)/ingress-nginx-tcp",
        "--udp-services-configmap=$(POD_NAMESPACE)/ingress-nginx-udp",
        *WEBHOOK_ARGS,
    ]
    assert m.get("ConfigMap", "ingress-nginx-tcp")["data"] == {"8080": "default/echo:8080"}
    assert m.get("ConfigMap", "ingress-nginx-udp")["data"] == {"9000": "default/echo-udp:9000"}
    service = m.get("Service", "ingress-nginx-controller")["spec"]
    assert service["type"] == "NodePort"
    assert {(p["port"], p["protocol"], p.get("nodePort")) for p in service["ports"]} == {
        (80, "TCP", 32080), (443, "TCP", 32443), (8080, "TCP", 31808), (9000, "UDP", 31900)
    }
    ports = {(p["containerPort"], p["protocol"]) for p in container(m.controller(), "controller")["ports"]}
    assert {(8080, "TCP"), (9000, "UDP")} <= ports


def test_tcp_configmap_in_another_namespace(render: Render) -> None:
    m = render({"tcp": {"8080": "default/echo:8080"}, "controller": {"tcp": {"configMapNamespace": "shared"}}})
    assert "--tcp-services-configmap=shared/ingress-nginx-tcp" in args(m)


def test_host_port_covers_tcp_and_udp_ports(render: Render) -> None:
    m = render({**NODEPORT_TCP_UDP, "controller": {"hostPort": {"enabled": True},
                                                   "dnsPolicy": "ClusterFirstWithHostNet"}})
    host_ports = {p["name"]: p.get("hostPort") for p in container(m.controller(), "controller")["ports"]}
    assert host_ports["http"] == 80 and host_ports["https"] == 443
    tcp_udp = [p for p in container(m.controller(), "controller")["ports"] if p["containerPort"] in (8080, 9000)]
    assert [(p["containerPort"], p.get("hostPort")) for p in tcp_udp] == [(8080, 8080), (9000, 9000)]


CUSTOM_CLASS = {"controller": {
    "ingressClass": "internal",
    "electionID": "internal-leader",
    "ingressClassResource": {"name": "internal", "controllerValue": "example.com/internal", "default": True},
}}


def test_custom_ingress_class(render: Render) -> None:
    m = render(CUSTOM_CLASS)
    assert identities(m) == DEFAULT_OBJECTS - {("IngressClass", "nginx")} | {("IngressClass", "internal")}
    ingress_class = m.get("IngressClass", "internal")
    assert ingress_class["spec"]["controller"] == "example.com/internal"
    assert ingress_class["metadata"]["annotations"]["ingressclass.kubernetes.io/is-default-class"] == "true"
    assert args(m) == [
        *HEAD_ARGS, PUBLISH,
        "--election-id=internal-leader",
        "--controller-class=example.com/internal",
        "--ingress-class=internal",
        "--configmap=$(POD_NAMESPACE)/ingress-nginx-controller",
        *WEBHOOK_ARGS,
    ]
    lease = [r for r in m.get("Role", "ingress-nginx")["rules"] if r.get("resourceNames")]
    assert [r["resourceNames"] for r in lease] == [["internal-leader"]]


def test_ingress_class_aliases(render: Render) -> None:
    m = render({"controller": {"ingressClassResource": {"aliases": ["nginx-public"]}}})
    classes = {c["metadata"]["name"]: c["spec"]["controller"] for c in m.of_kind("IngressClass")}
    assert classes == {"nginx": "k8s.io/ingress-nginx", "nginx-public": "k8s.io/ingress-nginx"}


def test_cert_manager(render: Render) -> None:
    m = render({"controller": {"admissionWebhooks": {"certManager": {"enabled": True}}}})
    rendered = identities(m)
    assert not rendered & CERTGEN_OBJECTS, "the certgen Jobs and their RBAC give way to cert-manager"
    assert rendered - {(k, n) for k, n in rendered if k in ("Issuer", "Certificate")} == DEFAULT_OBJECTS - CERTGEN_OBJECTS
    assert len(m.of_kind("Issuer")) == 2 and len(m.of_kind("Certificate")) == 2
    config = m.get("ValidatingWebhookConfiguration", "ingress-nginx-admission")
    assert config["metadata"]["annotations"]["cert-manager.io/inject-ca-from"].startswith(f"{NS}/")
    serving = [c for c in m.of_kind("Certificate") if c["spec"]["secretName"] == "ingress-nginx-admission"]
    assert len(serving) == 1
    assert args(m) == [*HEAD_ARGS, PUBLISH, *CLASS_ARGS, *WEBHOOK_ARGS]


def test_webhooks_disabled(render: Render) -> None:
    m = render({"controller": {"admissionWebhooks": {"enabled": False}}})
    assert identities(m) == DEFAULT_OBJECTS - CERTGEN_OBJECTS - {
        ("ValidatingWebhookConfiguration", "ingress-nginx-admission"), ("Service", "ingress-nginx-controller-admission")
    }
    assert args(m) == [*HEAD_ARGS, PUBLISH, *CLASS_ARGS]


def test_config_and_header_configmaps(render: Render) -> None:
    m = render({"controller": {
        "config": {"use-forwarded-headers": "true"},
        "addHeaders": {"X-Served-By": "ingress-nginx"},
        "proxySetHeaders": {"X-Request-Start": "t=${msec}"},
    }})
    assert identities(m) == DEFAULT_OBJECTS | {
        ("ConfigMap", "ingress-nginx-custom-add-headers"), ("ConfigMap", "ingress-nginx-custom-proxy-headers")
    }
    assert m.get("ConfigMap", "ingress-nginx-custom-add-headers")["data"] == {"X-Served-By": "ingress-nginx"}
    assert m.get("ConfigMap", "ingress-nginx-custom-proxy-headers")["data"] == {"X-Request-Start": "t=${msec}"}
    data = m.get("ConfigMap", "ingress-nginx-controller")["data"]
    assert data["use-forwarded-headers"] == "true"
    assert data["add-headers"] == f"{NS}/ingress-nginx-custom-add-headers"
    assert data["proxy-set-headers"] == f"{NS}/ingress-nginx-custom-proxy-headers"


def test_default_backend(render: Render) -> None:
    m = render({"defaultBackend": {"enabled": True}})
    assert identities(m) == DEFAULT_OBJECTS | {
        ("Deployment", "ingress-nginx-defaultbackend"), ("Service", "ingress-nginx-defaultbackend"),
        ("ServiceAccount", "ingress-nginx-backend"),
    }
    backend = m.get("Deployment", "ingress-nginx-defaultbackend")
    assert backend["spec"]["selector"] == {"matchLabels": {**SELECTOR, "app.kubernetes.io/component": "default-backend"}}
    assert args(m) == [
        *HEAD_ARGS, "--default-backend-service=$(POD_NAMESPACE)/ingress-nginx-defaultbackend", PUBLISH,
        *CLASS_ARGS, *WEBHOOK_ARGS,
    ]


def test_scope_and_rbac_scope(render: Render) -> None:
    m = render({"rbac": {"scope": True}, "controller": {"scope": {"enabled": True, "namespace": "apps"}}})
    assert identities(m) == DEFAULT_OBJECTS - {("ClusterRole", "ingress-nginx"), ("ClusterRoleBinding", "ingress-nginx")}
    assert args(m) == [*HEAD_ARGS, PUBLISH, *CLASS_ARGS, "--watch-namespace=apps", *WEBHOOK_ARGS]


def test_namespace_selector(render: Render) -> None:
    m = render({"controller": {"scope": {"namespaceSelector": "team=edge"}}})
    assert args(m) == [*HEAD_ARGS, PUBLISH, *CLASS_ARGS, "--watch-namespace-selector=team=edge", *WEBHOOK_ARGS]


def test_flag_arguments_and_extra_args_order(render: Render) -> None:
    m = render({"controller": {
        "enableAnnotationValidations": False,
        "ingressClassByName": True,
        "watchIngressWithoutClass": True,
        "enableTopologyAwareRouting": True,
        "disableLeaderElection": True,
        "electionTTL": "30s",
        "healthCheckPath": "/ready",
        "extraArgs": {"v": "2", "enable-ssl-passthrough": "", "default-ssl-certificate": "ingress-nginx/tls"},
    }})
    assert args(m) == [
        *HEAD_ARGS, "--enable-annotation-validation=false", PUBLISH, *CLASS_ARGS, *WEBHOOK_ARGS,
        "--health-check-path=/ready",
        "--ingress-class-by-name=true",
        "--watch-ingress-without-class=true",
        "--enable-topology-aware-routing=true",
        "--disable-leader-election=true",
        "--election-ttl=30s",
        "--default-ssl-certificate=ingress-nginx/tls",
        "--enable-ssl-passthrough",
        "--v=2",
    ]


@pytest.mark.parametrize(
    ("release", "values", "fullname"),
    [
        ("ingress-nginx", {}, "ingress-nginx"),
        ("edge", {}, "edge-ingress-nginx"),
        ("my-ingress-nginx", {}, "my-ingress-nginx"),
        ("edge", {"nameOverride": "lb"}, "edge-lb"),
        ("edge", {"fullnameOverride": "front"}, "front"),
    ],
)
def test_fullname(render: Render, release: str, values: dict[str, Any], fullname: str) -> None:
    m = render(values, release=release)
    assert m.controller()["metadata"]["name"] == f"{fullname}-controller"
    assert m.find("ServiceAccount", fullname) is not None
    assert m.find("ValidatingWebhookConfiguration", f"{fullname}-admission") is not None
    assert f"--election-id={fullname}-leader" in args(m)
