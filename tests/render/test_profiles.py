"""Each ci-values/ profile renders the objects that make it what its header
says it is."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from manifests import Manifests, Render, container
from profiles import load_profile, profile_names
from upstream_facts import CONTROLLER_SELECTOR as SELECTOR

WEBHOOK_ARGS = [
    "--validating-webhook=:8443",
    "--validating-webhook-certificate=/usr/local/certificates/cert",
    "--validating-webhook-key=/usr/local/certificates/key",
]
# Where a profile is meant to be installed under another release or namespace.
INSTALL = {
    "second-controller": {"release": "ingress-nginx-internal", "namespace": "ingress-nginx-internal"},
    "scoped-namespace": {"release": "ingress-nginx", "namespace": "team-a"},
}


def rendered(render: Render, name: str, helm: str = "helm3") -> Manifests:
    return render(load_profile(name), helm=helm, **INSTALL.get(name, {}))


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    return workload["spec"]["template"]["spec"]


def args(manifests: Manifests) -> list[str]:
    return container(manifests.controller(), "controller")["args"]


def ports(manifests: Manifests) -> dict[str, dict[str, Any]]:
    return {port["name"]: port for port in container(manifests.controller(), "controller")["ports"]}


def service_ports(service: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {port["name"]: port for port in service["spec"]["ports"]}


def test_every_profile_is_covered_here() -> None:
    assert set(profile_names()) == set(CHECKS), "add a check for each new profile (and remove stale ones)"


@pytest.mark.parametrize("name", profile_names())
def test_helm3_and_helm4_render_the_same_objects(name: str, render: Render) -> None:
    # Helm 4 places kinds it does not know (custom resources) elsewhere in the
    # output than Helm 3; the objects themselves must be identical.
    def by_identity(manifests: Manifests) -> dict[tuple[str, str], dict[str, Any]]:
        return {(obj["kind"], obj["metadata"]["name"]): obj for obj in manifests.objects}

    helm3 = rendered(render, name, "helm3")
    helm4 = rendered(render, name, "helm4")
    assert len(helm3.objects) == len(by_identity(helm3)), "two objects share a kind and name"
    assert by_identity(helm3) == by_identity(helm4)


@pytest.mark.parametrize("name", profile_names())
def test_common_promises(name: str, render: Render) -> None:
    manifests = rendered(render, name)
    workload = manifests.controller()
    spec = pod_spec(workload)
    release = INSTALL.get(name, {}).get("release", "ingress-nginx")
    assert workload["spec"]["selector"] == {"matchLabels": {**SELECTOR, "app.kubernetes.io/instance": release}}
    for toleration in spec.get("tolerations") or []:
        assert toleration.get("key") != "node-role.kubernetes.io/master", "that taint is gone since Kubernetes 1.24"
    host_ports = any("hostPort" in port for port in container(workload, "controller")["ports"])
    if spec.get("hostNetwork") or host_ports:
        assert spec["dnsPolicy"] == "ClusterFirstWithHostNet"
    security = container(workload, "controller")["securityContext"]
    assert security["runAsNonRoot"] is True and security["runAsUser"] == 101
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"] == {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}
    # A PDB that leaves no pod to evict would block every node drain.
    for pdb in manifests.of_kind("PodDisruptionBudget"):
        replicas = workload["spec"].get("replicas")
        hpa = manifests.find("HorizontalPodAutoscaler", workload["metadata"]["name"])
        floor = hpa["spec"]["minReplicas"] if hpa else replicas
        assert pdb["spec"].get("minAvailable", 0) < floor


def check_daemonset_prod(m: Manifests) -> None:
    workload = m.get("DaemonSet", "ingress-nginx-controller")
    assert m.find("Deployment", "ingress-nginx-controller") is None
    spec = pod_spec(workload)
    assert spec["hostNetwork"] is True
    assert spec["dnsPolicy"] == "ClusterFirstWithHostNet"
    assert spec["nodeSelector"] == {"kubernetes.io/os": "linux", "ingress-ready": "true"}
    assert {"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"} in spec[
        "tolerations"
    ]
    assert workload["spec"]["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}
    assert m.find("Service", "ingress-nginx-controller") is None
    assert m.get("Service", "ingress-nginx-controller-admission")
    assert not any(arg.startswith("--publish-service") for arg in args(m))
    assert args(m) == [
        "/nginx-ingress-controller",
        "--default-backend-service=$(POD_NAMESPACE)/ingress-nginx-defaultbackend",
        "--election-id=ingress-nginx-leader",
        "--controller-class=k8s.io/ingress-nginx",
        "--ingress-class=nginx",
        "--configmap=$(POD_NAMESPACE)/ingress-nginx-controller",
        *WEBHOOK_ARGS,
    ]
    assert m.get("Deployment", "ingress-nginx-defaultbackend")
    assert m.get("Service", "ingress-nginx-defaultbackend")
    small = {"requests": {"cpu": "10m", "memory": "20Mi"}, "limits": {"cpu": "100m", "memory": "20Mi"}}
    for job in ("ingress-nginx-admission-create", "ingress-nginx-admission-patch"):
        assert pod_spec(m.get("Job", job))["containers"][0]["resources"] == small
    assert not m.of_kind("PodDisruptionBudget")


def check_deployment_loadbalancer(m: Manifests) -> None:
    workload = m.get("Deployment", "ingress-nginx-controller")
    assert workload["spec"]["replicas"] == 2
    pdb = m.get("PodDisruptionBudget", "ingress-nginx-controller")
    assert pdb["spec"]["minAvailable"] == 1
    assert pdb["spec"]["selector"] == {"matchLabels": SELECTOR}
    terms = pod_spec(workload)["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
    selector = terms[0]["podAffinityTerm"]["labelSelector"]["matchLabels"]
    pod_labels = workload["spec"]["template"]["metadata"]["labels"]
    assert selector.items() <= pod_labels.items(), "the anti-affinity must match the controller's own pods"
    assert terms[0]["podAffinityTerm"]["topologyKey"] == "kubernetes.io/hostname"
    service = m.get("Service", "ingress-nginx-controller")
    assert service["spec"]["type"] == "LoadBalancer"
    assert service["spec"]["externalTrafficPolicy"] == "Local"
    assert {(p["port"], p["targetPort"]) for p in service["spec"]["ports"]} == {(80, "http"), (443, "https")}
    assert "--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller" in args(m)


def check_deployment_nodeport(m: Manifests) -> None:
    assert m.get("Deployment", "ingress-nginx-controller")["spec"]["replicas"] == 2
    assert m.get("PodDisruptionBudget", "ingress-nginx-controller")["spec"]["minAvailable"] == 1
    service = m.get("Service", "ingress-nginx-controller")
    assert service["spec"]["type"] == "NodePort"
    by_name = service_ports(service)
    assert (by_name["http"]["port"], by_name["http"]["nodePort"]) == (80, 30080)
    assert (by_name["https"]["port"], by_name["https"]["nodePort"]) == (443, 30443)
    assert "externalTrafficPolicy" not in service["spec"]


def check_daemonset_hostport(m: Manifests) -> None:
    workload = m.get("DaemonSet", "ingress-nginx-controller")
    spec = pod_spec(workload)
    assert not spec.get("hostNetwork")
    assert spec["dnsPolicy"] == "ClusterFirstWithHostNet"
    assert (ports(m)["http"]["hostPort"], ports(m)["https"]["hostPort"]) == (80, 443)
    assert "hostPort" not in ports(m)["webhook"]
    assert m.find("Service", "ingress-nginx-controller") is None
    assert not any(arg.startswith("--publish-service") for arg in args(m))


def check_deployment_internal_lb(m: Manifests) -> None:
    assert m.find("Service", "ingress-nginx-controller") is None
    internal = m.get("Service", "ingress-nginx-controller-internal")
    assert internal["spec"]["type"] == "LoadBalancer"
    assert internal["spec"]["externalTrafficPolicy"] == "Local"
    assert internal["spec"]["selector"] == SELECTOR
    assert internal["metadata"]["annotations"]["service.beta.kubernetes.io/aws-load-balancer-scheme"] == "internal"
    assert internal["metadata"]["annotations"]["networking.gke.io/load-balancer-type"] == "Internal"
    assert {(p["port"], p["targetPort"]) for p in internal["spec"]["ports"]} == {(80, "http"), (443, "https")}
    assert "--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller-internal" in args(m)


def check_webhook_cert_manager(m: Manifests) -> None:
    assert not m.of_kind("Job")
    assert m.find("ServiceAccount", "ingress-nginx-admission") is None
    assert m.find("ClusterRole", "ingress-nginx-admission") is None
    issuers = m.of_kind("Issuer")
    assert sorted(next(iter(i["spec"])) for i in issuers) == ["ca", "selfSigned"]
    certificates = {c["spec"].get("isCA", False): c for c in m.of_kind("Certificate")}
    assert set(certificates) == {True, False}
    assert certificates[True]["spec"]["duration"] == "43800h"
    serving = certificates[False]
    assert serving["spec"]["duration"] == "2160h"
    assert serving["spec"]["secretName"] == "ingress-nginx-admission"
    assert "ingress-nginx-controller-admission.ingress-nginx.svc" in serving["spec"]["dnsNames"]
    ca_issuer = next(i for i in issuers if "ca" in i["spec"])
    assert serving["spec"]["issuerRef"]["name"] == ca_issuer["metadata"]["name"]
    assert ca_issuer["spec"]["ca"]["secretName"] == certificates[True]["spec"]["secretName"]
    webhook = m.get("ValidatingWebhookConfiguration", "ingress-nginx-admission")
    assert webhook["metadata"]["annotations"]["cert-manager.io/inject-ca-from"] == (
        f"ingress-nginx/{serving['metadata']['name']}"
    )
    assert args(m)[-3:] == WEBHOOK_ARGS


def check_metrics_servicemonitor(m: Manifests) -> None:
    assert "--enable-metrics=true" in args(m)
    assert ports(m)["metrics"]["containerPort"] == 10254
    service = m.get("Service", "ingress-nginx-controller-metrics")
    assert service_ports(service)["metrics"]["port"] == 10254
    assert service_ports(service)["metrics"]["targetPort"] == "metrics"
    monitor = m.get("ServiceMonitor", "ingress-nginx-controller")
    assert monitor["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    assert monitor["spec"]["endpoints"][0]["port"] == "metrics"
    assert monitor["spec"]["endpoints"][0]["interval"] == "30s"
    assert monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    rule = m.get("PrometheusRule", "ingress-nginx-controller")
    assert rule["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    alerts = [r["alert"] for group in rule["spec"]["groups"] for r in group["rules"]]
    assert alerts == ["IngressNginxConfigReloadFailed", "IngressNginxHighErrorRate"]


def check_autoscaling_hpa(m: Manifests) -> None:
    workload = m.get("Deployment", "ingress-nginx-controller")
    assert "replicas" not in workload["spec"], "the autoscaler owns the replica count"
    hpa = m.get("HorizontalPodAutoscaler", "ingress-nginx-controller")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1", "kind": "Deployment", "name": "ingress-nginx-controller"
    }
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 10)
    targets = {metric["resource"]["name"]: metric["resource"]["target"]["averageUtilization"]
               for metric in hpa["spec"]["metrics"]}
    assert targets == {"cpu": 70, "memory": 85}
    assert hpa["spec"]["behavior"]["scaleDown"]["stabilizationWindowSeconds"] == 300
    assert container(workload, "controller")["resources"]["requests"] == {"cpu": "200m", "memory": "256Mi"}
    assert m.get("PodDisruptionBudget", "ingress-nginx-controller")["spec"]["minAvailable"] == 1


def check_tcp_udp(m: Manifests) -> None:
    assert m.get("ConfigMap", "ingress-nginx-tcp")["data"] == {
        "5432": "databases/postgres:5432", "6379": "databases/redis:6379"
    }
    assert m.get("ConfigMap", "ingress-nginx-udp")["data"] == {"53": "kube-system/kube-dns:53"}
    controller_args = args(m)
    tcp_at = controller_args.index("--tcp-services-configmap=$(POD_NAMESPACE)/ingress-nginx-tcp")
    assert controller_args[tcp_at + 1] == "--udp-services-configmap=$(POD_NAMESPACE)/ingress-nginx-udp"
    assert controller_args[tcp_at - 1] == "--configmap=$(POD_NAMESPACE)/ingress-nginx-controller"
    container_ports = {(p["containerPort"], p["protocol"]) for p in ports(m).values()}
    assert {(5432, "TCP"), (6379, "TCP"), (53, "UDP")} <= container_ports
    service = m.get("Service", "ingress-nginx-controller")
    assert {(p["port"], p["protocol"]) for p in service["spec"]["ports"]} == {
        (80, "TCP"), (443, "TCP"), (5432, "TCP"), (6379, "TCP"), (53, "UDP")
    }


def check_second_controller(m: Manifests) -> None:
    ingress_class = m.get("IngressClass", "nginx-internal")
    assert ingress_class["spec"]["controller"] == "k8s.io/ingress-nginx-internal"
    assert "ingressclass.kubernetes.io/is-default-class" not in (ingress_class["metadata"].get("annotations") or {})
    assert m.find("IngressClass", "nginx") is None
    controller_args = args(m)
    assert "--election-id=ingress-nginx-internal-leader" in controller_args
    assert "--controller-class=k8s.io/ingress-nginx-internal" in controller_args
    assert "--ingress-class=nginx-internal" in controller_args
    assert "--publish-service=$(POD_NAMESPACE)/ingress-nginx-internal-controller" in controller_args
    for kind, name in m.index():
        if kind != "IngressClass":
            assert name.startswith("ingress-nginx-internal"), f"{kind}/{name} would collide with the first release"
    webhook = m.get("ValidatingWebhookConfiguration", "ingress-nginx-internal-admission")
    service = webhook["webhooks"][0]["clientConfig"]["service"]
    assert (service["namespace"], service["name"]) == (
        "ingress-nginx-internal", "ingress-nginx-internal-controller-admission"
    )
    lease_rules = [rule for rule in m.get("Role", "ingress-nginx-internal")["rules"]
                   if "leases" in rule["resources"] and rule.get("resourceNames")]
    assert [rule["resourceNames"] for rule in lease_rules] == [["ingress-nginx-internal-leader"]]


def check_scoped_namespace(m: Manifests) -> None:
    assert m.find("ClusterRole", "ingress-nginx") is None
    assert m.find("ClusterRoleBinding", "ingress-nginx") is None
    role = m.get("Role", "ingress-nginx")
    assert role["metadata"]["namespace"] == "team-a"
    assert m.get("RoleBinding", "ingress-nginx")["roleRef"]["name"] == "ingress-nginx"
    assert "--watch-namespace=$(POD_NAMESPACE)" in args(m)
    assert "--ingress-class-by-name=true" in args(m)
    assert not any(arg.startswith("--watch-namespace-selector") for arg in args(m))
    assert m.get("Deployment", "ingress-nginx-controller")["metadata"]["namespace"] == "team-a"


def check_local_kind(m: Manifests) -> None:
    workload = m.get("Deployment", "ingress-nginx-controller")
    assert workload["spec"]["replicas"] == 1
    assert workload["spec"]["strategy"] == {
        "type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}
    }
    spec = pod_spec(workload)
    assert not spec.get("hostNetwork")
    assert spec["dnsPolicy"] == "ClusterFirstWithHostNet"
    assert spec["nodeSelector"] == {"kubernetes.io/os": "linux", "ingress-ready": "true"}
    assert {"key": "node-role.kubernetes.io/control-plane", "operator": "Equal", "effect": "NoSchedule"} in spec[
        "tolerations"
    ]
    assert spec["terminationGracePeriodSeconds"] == 0
    assert (ports(m)["http"]["hostPort"], ports(m)["https"]["hostPort"]) == (80, 443)
    assert m.get("Service", "ingress-nginx-controller")["spec"]["type"] == "NodePort"
    controller_args = args(m)
    assert not any(arg.startswith("--publish-service") for arg in controller_args)
    assert "--publish-status-address=localhost" in controller_args
    assert "--watch-ingress-without-class=true" in controller_args
    ingress_class = m.get("IngressClass", "nginx")
    assert ingress_class["metadata"]["annotations"]["ingressclass.kubernetes.io/is-default-class"] == "true"
    assert not m.of_kind("PodDisruptionBudget")


def _restricted_problems(workload: dict[str, Any]) -> list[str]:
    """What keeps a pod from Pod Security "restricted" (the settings the chart controls)."""
    spec = workload["spec"]["template"]["spec"]
    pod = spec.get("securityContext") or {}
    problems = []
    for item in [*spec.get("initContainers", []), *spec["containers"]]:
        context = item.get("securityContext") or {}
        name = f"{workload['metadata']['name']}/{item['name']}"
        if not context.get("runAsNonRoot", pod.get("runAsNonRoot")):
            problems.append(f"{name}: runAsNonRoot")
        if context.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{name}: allowPrivilegeEscalation")
        capabilities = context.get("capabilities") or {}
        if "ALL" not in (capabilities.get("drop") or []) or set(capabilities.get("add") or []) - {"NET_BIND_SERVICE"}:
            problems.append(f"{name}: capabilities")
        seccomp = (context.get("seccompProfile") or pod.get("seccompProfile") or {}).get("type")
        if seccomp not in ("RuntimeDefault", "Localhost"):
            problems.append(f"{name}: seccompProfile")
    return problems


def check_hardened(m: Manifests) -> None:
    workloads = [obj for obj in m.objects if obj["kind"] in ("Deployment", "DaemonSet", "Job")]
    assert workloads and [problem for obj in workloads for problem in _restricted_problems(obj)] == []
    config = m.get("ConfigMap", "ingress-nginx-controller")["data"]
    # The chart writes the key only when snippets are on, as upstream does.
    assert "allow-snippet-annotations" not in config
    assert config["annotations-risk-level"] == "High"
    assert config["strict-validate-path-type"] == "true"
    assert {obj["metadata"]["name"] for obj in m.of_kind("NetworkPolicy")} == {
        "ingress-nginx-controller", "ingress-nginx-admission"
    }
    images = [item["image"] for obj in workloads for item in obj["spec"]["template"]["spec"]["containers"]]
    assert all("@sha256:" in image for image in images), images


CHECKS: dict[str, Callable[[Manifests], None]] = {
    "hardened": check_hardened,
    "daemonset-prod": check_daemonset_prod,
    "deployment-loadbalancer": check_deployment_loadbalancer,
    "deployment-nodeport": check_deployment_nodeport,
    "daemonset-hostport": check_daemonset_hostport,
    "deployment-internal-lb": check_deployment_internal_lb,
    "webhook-cert-manager": check_webhook_cert_manager,
    "metrics-servicemonitor": check_metrics_servicemonitor,
    "autoscaling-hpa": check_autoscaling_hpa,
    "tcp-udp": check_tcp_udp,
    "second-controller": check_second_controller,
    "scoped-namespace": check_scoped_namespace,
    "local-kind": check_local_kind,
}


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_profile(name: str, render: Render) -> None:
    CHECKS[name](rendered(render, name))
