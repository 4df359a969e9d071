"""One release of a chart on the local real node: install, wait for its controller, route, uninstall.

Every e2e module on the local node shares these helpers (one wait loop, one backend,
one Ready check). Only one controller can hold the node's ports 80 and 443 at a
time: a release that does (hostNetwork or hostPort) is removed before the next such
one starts, and the scheduler keeps the next one's pod Pending until the old pod is
gone. Releases reached through a Service's node port run side by side
(e2e/service_wave.py).
"""
from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import requests
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from e2e.cert_manager_stand_in import issue_admission_certificate
from e2e.support import E2ECluster, unavailable
from ingress_nginx_values.cluster.helm import HelmReleases
from ingress_nginx_values.cluster.images import chart_overrides, image_by_name
from ingress_nginx_values.values_loading import merge_values
import polling
from paths import ROOT

HELM = ROOT / ".tools" / "bin" / "helm3"
UPSTREAM_CHART = ROOT / ".tools" / "bin" / "upstream-chart"
CONTROLLER = "app.kubernetes.io/component=controller"


def need_local_node(cluster: E2ECluster, *missing: str) -> None:
    """Skips (fails under CI=true) unless this is the local node, or when `missing` names
    something. The data plane's images were checked before the node started (e2e/support.py)."""
    if cluster.provider != "local":
        unavailable(f"these tests use the data plane's images on the local node; E2E_PROVIDER={cluster.provider}")
    if missing:
        unavailable("missing: " + "; ".join(missing))


def on_node(values: dict[str, Any]) -> dict[str, Any]:
    """A profile's values plus only what the local node needs (tools/images/chart-overrides.yaml)."""
    return dict(merge_values(values, chart_overrides()))


# Not yet, on the node: the API server, a Service or a port not answering.
NOT_YET = (requests.RequestException, ApiException, OSError)


def eventually(check: Callable[[], Any], what: str, timeout: float = 90.0, interval: float = 0.5) -> Any:
    return polling.eventually(check, what, timeout, interval, tolerate=NOT_YET)


def setting(values: dict[str, Any], *path: str) -> Any:
    """The value at `path` in a values tree, {} where a level is missing or null."""
    found: Any = values
    for key in path:
        found = (found.get(key) or {}) if isinstance(found, dict) else {}
    return found


def ingress_class_of(values: dict[str, Any]) -> str:
    return str(setting(values, "controller", "ingressClassResource").get("name", "nginx"))


def pod_ready(pod: client.V1Pod) -> bool:
    return pod.status.phase == "Running" and any(
        c.type == "Ready" and c.status == "True" for c in pod.status.conditions or [])


def deploy_backend(api: client.ApiClient, namespace: str, service: str, port: int) -> client.V1Pod:
    """One test backend pod (answers /hostname with its name) behind `service`:`port`, Ready,
    on the real node (kwok's simulated nodes would report it Running without running it)."""
    labels = {"app": f"{service}-backend"}
    container = client.V1Container(
        name="web", image=image_by_name("netexec").reference, args=["netexec", "--http-port=8080"],
        ports=[client.V1ContainerPort(container_port=8080, name="http")],
        readiness_probe=client.V1Probe(http_get=client.V1HTTPGetAction(path="/healthz", port=8080),
                                       period_seconds=1),
    )
    client.AppsV1Api(api).create_namespaced_deployment(namespace, client.V1Deployment(
        metadata=client.V1ObjectMeta(name=f"{service}-backend"),
        spec=client.V1DeploymentSpec(
            replicas=1, selector=client.V1LabelSelector(match_labels=labels),
            template=client.V1PodTemplateSpec(metadata=client.V1ObjectMeta(labels=labels),
                                              spec=client.V1PodSpec(containers=[container],
                                                                    node_selector={"ingress-ready": "true"}))),
    ))
    core = client.CoreV1Api(api)
    core.create_namespaced_service(namespace, client.V1Service(
        metadata=client.V1ObjectMeta(name=service),
        spec=client.V1ServiceSpec(selector=labels,
                                  ports=[client.V1ServicePort(name="http", port=port, target_port="http")]),
    ))
    selector = f"app={labels['app']}"
    return eventually(lambda: next((p for p in core.list_namespaced_pod(namespace, label_selector=selector).items
                                    if pod_ready(p)), None), f"the backend of {namespace}/{service} to be Ready")


def create_namespace(api: client.ApiClient, name: str) -> None:
    client.CoreV1Api(api).create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name)))


def delete_namespace(api: client.ApiClient, name: str) -> None:
    """Deletes without waiting: no test creates a namespace of the same name again, and
    the pods' termination (the controller's 10 s post-shutdown grace) runs meanwhile."""
    client.CoreV1Api(api).delete_namespace(name)


def free_host_ports(cluster: E2ECluster, api: client.ApiClient) -> None:
    """Uninstalls every release whose controller holds the node's ports (earlier modules keep
    theirs), without waiting: the scheduler keeps the next such controller Pending until the
    old pods are gone, and their 10 s post-shutdown grace overlaps the next install's hooks.
    Releases behind node ports stay."""
    listed = subprocess.run([str(HELM), "list", "--all-namespaces", "--output", "json",
                             "--kubeconfig", str(cluster.kubeconfig)], capture_output=True, text=True, check=True)
    for entry in json.loads(listed.stdout or "[]"):
        release = NodeRelease(cluster, api, entry["name"], entry["namespace"])
        if release.holds_host_ports():
            release.uninstall(wait=False)


def _holds_host_ports(pod: client.V1Pod) -> bool:
    return bool(pod.spec.host_network) or any(
        port.host_port for container in pod.spec.containers for port in container.ports or [])


@dataclass
class NodeRelease:
    cluster: E2ECluster
    api: client.ApiClient
    release: str
    namespace: str
    chart: Path = ROOT / "charts" / "ingress-nginx"

    def _helm(self, chart: Path | None = None) -> HelmReleases:
        return HelmReleases(chart or self.chart, self.cluster.kubeconfig, executable=str(HELM), timeout="300s")

    def install(self, values: dict[str, Any], chart: Path | None = None) -> None:
        """`helm upgrade --install` without --wait: Helm still waits for the certgen hooks,
        and ready_controllers() waits for what these tests need (no LoadBalancer address here)."""
        self._helm(chart).install(self.release, self.namespace, values, wait=False)

    def controller_pods(self) -> list[client.V1Pod]:
        return client.CoreV1Api(self.api).list_namespaced_pod(
            self.namespace, label_selector=f"{CONTROLLER},app.kubernetes.io/instance={self.release}").items

    def ready_controllers(self, timeout: float = 150.0) -> list[client.V1Pod]:
        """Controller pods once the rollout is over: the workload has seen its newest spec and
        every pod it wants runs that spec, all Running and Ready, none terminating. Pods alone
        do not say it: right after an upgrade the old pod still looks Ready."""
        def ready() -> list[client.V1Pod]:
            pods = self.controller_pods()
            if (pods and self._rolled_out()
                    and all(pod_ready(p) and p.metadata.deletion_timestamp is None for p in pods)):
                return pods
            return []
        return eventually(ready, f"the controller pods of {self.release} to be Ready", timeout)

    def _rolled_out(self) -> bool:
        apps = client.AppsV1Api(self.api)
        selector = f"{CONTROLLER},app.kubernetes.io/instance={self.release}"
        for daemon_set in apps.list_namespaced_daemon_set(self.namespace, label_selector=selector).items:
            status = daemon_set.status
            if ((status.observed_generation or 0) < daemon_set.metadata.generation
                    or not status.desired_number_scheduled
                    or (status.updated_number_scheduled or 0) != status.desired_number_scheduled
                    or status.number_unavailable):
                return False
        for deployment in apps.list_namespaced_deployment(self.namespace, label_selector=selector).items:
            status = deployment.status
            if ((status.observed_generation or 0) < deployment.metadata.generation
                    or (status.updated_replicas or 0) != (status.replicas or 0)
                    or (status.ready_replicas or 0) != (status.replicas or 0)):
                return False
        return True

    def bring_up(self, values: dict[str, Any]) -> list[client.V1Pod]:
        """Installs `values` on the node (plus chart-overrides.yaml), stands in for cert-manager where
        the values ask for it, and returns the controller pods once all are Ready."""
        self.install(on_node(values))
        if setting(values, "controller", "admissionWebhooks", "certManager").get("enabled"):
            with TemporaryDirectory() as workdir:
                issue_admission_certificate(self.api, self.namespace, self.release, Path(workdir))
        return self.ready_controllers()

    def holds_host_ports(self) -> bool:
        return any(_holds_host_ports(pod) for pod in self.controller_pods())

    def controller_log(self, lines: int = 30) -> str:
        core = client.CoreV1Api(self.api)
        return "\n".join(core.read_namespaced_pod_log(pod.metadata.name, self.namespace, container="controller",
                                                      tail_lines=lines) for pod in self.controller_pods())

    def http_endpoint(self) -> tuple[str, int]:
        """Where the host reaches the controller's HTTP port: the node port of its Service,
        else port 80 of the node (hostPort or hostNetwork)."""
        services = client.CoreV1Api(self.api).list_namespaced_service(
            self.namespace, label_selector=f"{CONTROLLER},app.kubernetes.io/instance={self.release}").items
        for service in services:
            for port in service.spec.ports or []:
                if port.name == "http" and port.node_port:
                    return self.cluster.ingress_address, port.node_port
        return self.cluster.ingress_address, 80

    def uninstall(self, *, wait: bool = True) -> None:
        """`helm uninstall`; with wait, until nothing of the release is left (Helm deletes in the
        background, and a controller still terminating keeps its host ports)."""
        self._helm().uninstall(self.release, self.namespace)
        if wait:
            eventually(lambda: not self.leftovers(), f"nothing of {self.release} left", 120, 1.0)

    def leftovers(self) -> list[str]:
        """Every object that still carries the release's instance label, and Helm's own record of it."""
        instance = f"app.kubernetes.io/instance={self.release}"
        core, apps = client.CoreV1Api(self.api), client.AppsV1Api(self.api)
        rbac, batch = client.RbacAuthorizationV1Api(self.api), client.BatchV1Api(self.api)
        networking = client.NetworkingV1Api(self.api)
        admission = client.AdmissionregistrationV1Api(self.api)
        listings = {
            "Pod": core.list_namespaced_pod(self.namespace, label_selector=instance),
            "Service": core.list_namespaced_service(self.namespace, label_selector=instance),
            "ConfigMap": core.list_namespaced_config_map(self.namespace, label_selector=instance),
            "ServiceAccount": core.list_namespaced_service_account(self.namespace, label_selector=instance),
            "Secret": core.list_namespaced_secret(self.namespace, label_selector=instance),
            "HelmRecord": core.list_namespaced_secret(self.namespace, label_selector=f"owner=helm,name={self.release}"),
            "Deployment": apps.list_namespaced_deployment(self.namespace, label_selector=instance),
            "DaemonSet": apps.list_namespaced_daemon_set(self.namespace, label_selector=instance),
            "Job": batch.list_namespaced_job(self.namespace, label_selector=instance),
            "Role": rbac.list_namespaced_role(self.namespace, label_selector=instance),
            "RoleBinding": rbac.list_namespaced_role_binding(self.namespace, label_selector=instance),
            "ClusterRole": rbac.list_cluster_role(label_selector=instance),
            "ClusterRoleBinding": rbac.list_cluster_role_binding(label_selector=instance),
            "IngressClass": networking.list_ingress_class(label_selector=instance),
            "NetworkPolicy": networking.list_namespaced_network_policy(self.namespace, label_selector=instance),
            "ValidatingWebhookConfiguration": admission.list_validating_webhook_configuration(label_selector=instance),
        }
        return [f"{kind}/{item.metadata.name}" for kind, listing in listings.items() for item in listing.items]


def create_ingress(api: client.ApiClient, namespace: str, name: str, ingress_class: str, service: str,
                   *, class_by_annotation: bool = False) -> None:
    """An Ingress for host `<name>.example.com`; retried while the admission webhook is not answering yet.

    class_by_annotation names the class with the legacy `kubernetes.io/ingress.class`
    annotation instead of spec.ingressClassName.
    """
    backend = client.V1IngressBackend(service=client.V1IngressServiceBackend(
        name=service, port=client.V1ServiceBackendPort(name="http")))
    ingress = client.V1Ingress(
        metadata=client.V1ObjectMeta(
            name=name, annotations={"kubernetes.io/ingress.class": ingress_class} if class_by_annotation else None),
        spec=client.V1IngressSpec(ingress_class_name=None if class_by_annotation else ingress_class, rules=[client.V1IngressRule(
            host=f"{name}.example.com", http=client.V1HTTPIngressRuleValue(paths=[client.V1HTTPIngressPath(
                path="/", path_type="Prefix", backend=backend)]))]),
    )
    networking = client.NetworkingV1Api(api)
    eventually(lambda: networking.create_namespaced_ingress(namespace, ingress), f"Ingress {name} to be admitted", 60)


def routed(endpoint: tuple[str, int], host: str, expected_body: str, timeout: float = 60.0) -> str:
    """GET /hostname with `host` until it answers 200 with `expected_body` (nginx reloads a moment after an Ingress)."""
    address, port = endpoint

    def answer() -> str:
        response = requests.get(f"http://{address}:{port}/hostname", headers={"Host": host}, timeout=3)
        return response.text if response.status_code == 200 and response.text == expected_body else ""

    return str(eventually(answer, f"http://{host}/hostname through {address}:{port}", timeout))
