"""Release lifecycle on a cluster: admission webhook wiring, Pod Security, upgrades,
rollback, several releases side by side and a clean uninstall.

The first three tests need the cluster to themselves (the webhook test creates
Ingresses that any other release's webhook would judge; the others look at every
IngressClass, or at the default names), so they run one by one and first. The others
are `together` scenarios (cluster/together.py): each has its own release, named in
its marker, and IngressClass, and they run side by side once the first of them starts.
"""
from __future__ import annotations

import pytest
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from cluster.expectations import Expected
from cluster.support import Installs
from cluster.together import Run, Together, together
from ingress_nginx_values.cluster.helm import HelmFailed
from ingress_nginx_values.values_loading import merge_values
from polling import eventually
from profiles import holds_host_ports, load_profile, own_class, profile_names

RELEASE = "ingress-nginx"
PRIVILEGED = {"pod-security.kubernetes.io/enforce": "privileged"}
RESTRICTED = {"pod-security.kubernetes.io/enforce": "restricted"}
# Small and fast: one replica, no Service of type LoadBalancer to wait for.
BASE = {"controller": {"service": {"type": "ClusterIP"}}}
# Nothing serves the webhook here, so each call to it lasts its whole timeout
# (the API server's default is 10 s): 1 s shows the same wiring.
WEBHOOK_TIMEOUT = {"controller": {"admissionWebhooks": {"timeoutSeconds": 1}}}
# The first three tests look at objects Helm has made when it returns (hooks
# included), not at running pods, so they do not wait for readiness; the
# `together` scenarios and test_profiles.py do.
READY = False


def _controller_workloads(apps: client.AppsV1Api, namespace: str, release: str = RELEASE) -> dict[str, str]:
    selector = f"app.kubernetes.io/instance={release},app.kubernetes.io/component=controller"
    found = {d.metadata.name: "Deployment" for d in apps.list_namespaced_deployment(namespace, label_selector=selector).items}
    found.update({d.metadata.name: "DaemonSet" for d in apps.list_namespaced_daemon_set(namespace, label_selector=selector).items})
    return found


def _ingress(name: str, ingress_class: str) -> client.V1Ingress:
    backend = client.V1IngressBackend(service=client.V1IngressServiceBackend(
        name="web", port=client.V1ServiceBackendPort(number=80)))
    return client.V1Ingress(
        metadata=client.V1ObjectMeta(name=name),
        spec=client.V1IngressSpec(ingress_class_name=ingress_class, rules=[client.V1IngressRule(
            host="demo.local", http=client.V1HTTPIngressRuleValue(paths=[client.V1HTTPIngressPath(
                path="/", path_type="Prefix", backend=backend)]))]),
    )


def test_webhook_is_wired_and_failure_policy_applies(installs: Installs, api: client.ApiClient) -> None:
    namespace = installs.namespace()
    installs.install(RELEASE, namespace, merge_values(BASE, WEBHOOK_TIMEOUT), wait=READY)
    networking = client.NetworkingV1Api(api)
    with pytest.raises(ApiException) as refused:
        networking.create_namespaced_ingress(namespace, _ingress("refused", "nginx"))
    # Nothing serves the webhook here, so the API server reports the call it tried.
    body = refused.value.body or ""
    assert f"{RELEASE}-controller-admission" in body, body
    assert "/networking/v1/ingresses" in body, body
    assert "validate.nginx.ingress.kubernetes.io" in body, body

    installs.install(RELEASE, namespace, merge_values(BASE, merge_values(WEBHOOK_TIMEOUT, {
        "controller": {"admissionWebhooks": {"failurePolicy": "Ignore"}}})), wait=READY)
    created = networking.create_namespaced_ingress(namespace, _ingress("admitted", "nginx"))
    assert created.spec.ingress_class_name == "nginx"


def test_two_releases_with_their_own_classes(installs: Installs, api: client.ApiClient, apps: client.AppsV1Api) -> None:
    first, second = installs.namespace(suffix="-a"), installs.namespace(suffix="-b")
    installs.install(RELEASE, first, BASE, wait=READY)
    internal = {"controller": {"service": {"type": "ClusterIP"}, "ingressClassResource": {
        "name": "nginx-internal", "controllerValue": "k8s.io/ingress-nginx-internal"}, "electionID": "internal-leader"}}
    installs.install("internal", second, internal, wait=READY)
    classes = {c.metadata.name: c.spec.controller for c in client.NetworkingV1Api(api).list_ingress_class().items}
    assert classes == {"nginx": "k8s.io/ingress-nginx", "nginx-internal": "k8s.io/ingress-nginx-internal"}
    assert _controller_workloads(apps, first) == {f"{RELEASE}-controller": "Deployment"}
    assert _controller_workloads(apps, second, "internal") == {"internal-ingress-nginx-controller": "Deployment"}


def test_second_release_reusing_a_class_fails_before_creating_anything(
    installs: Installs, core: client.CoreV1Api, apps: client.AppsV1Api
) -> None:
    first, second = installs.namespace(suffix="-a"), installs.namespace(suffix="-b")
    installs.install(RELEASE, first, BASE, wait=READY)
    with pytest.raises(HelmFailed) as failed:
        installs.install("again", second, BASE, wait=READY)
    message = failed.value.message
    assert 'controller.ingressClassResource.name: the IngressClass "nginx" already exists' in message, message
    assert f'belongs to Helm release "{RELEASE}" in namespace "{first}"' in message, message
    assert "Go template" not in message and "goroutine" not in message, message
    assert not _controller_workloads(apps, second, "again")
    leftovers = [s.metadata.name for s in core.list_namespaced_service_account(second).items if s.metadata.name != "default"]
    assert not leftovers, leftovers
    assert not core.list_namespaced_secret(second, label_selector="owner=helm").items


def host_network_refused_under_restricted(run: Run, profile: str) -> None:
    core = run.core
    namespace = run.installs.namespace(RESTRICTED)
    # Without --wait: the release is created, but the workload's pods are refused.
    run.installs.install(run.release, namespace, own_class(load_profile(profile), run.release), wait=False)

    def refusal() -> str:
        events = core.list_namespaced_event(namespace, field_selector="reason=FailedCreate").items
        return next((e.message for e in events if "violates PodSecurity" in (e.message or "")), "")

    message = str(eventually(refusal, what="a FailedCreate event from Pod Security"))
    assert 'violates PodSecurity "restricted:latest"' in message
    assert "hostNetwork" in message or "hostPort" in message, message
    assert not core.list_namespaced_pod(namespace, label_selector="app.kubernetes.io/component=controller").items


@together(host_network_refused_under_restricted, release="ingress-nginx-psa")
@pytest.mark.parametrize(
    "profile", [name for name in profile_names() if Expected(load_profile(name)).needs_privileged_namespace])
def test_host_network_profiles_refused_under_restricted(profile: str, scenarios: Together, request: pytest.FixtureRequest) -> None:
    scenarios.outcome(request.node)


def _profile_uses_host_ports(profile: str) -> bool:
    return holds_host_ports(load_profile(profile))


def upgrade_from_defaults_to_profile(run: Run, profile: str) -> None:
    values = own_class(load_profile(profile), run.release)
    namespace = run.installs.namespace(PRIVILEGED)
    run.installs.install(run.release, namespace, own_class({}, run.release))
    revision = run.installs.install(run.release, namespace, values)
    assert revision.revision == 2 and revision.status.value == "deployed"
    assert set(_controller_workloads(run.apps, namespace, run.release).values()) == {Expected(values).kind}


@together(upgrade_from_defaults_to_profile, release="ingress-nginx-up", host_ports=_profile_uses_host_ports)
@pytest.mark.parametrize("profile", profile_names())
def test_upgrade_from_defaults_to_profile(profile: str, scenarios: Together, request: pytest.FixtureRequest) -> None:
    scenarios.outcome(request.node)


def switch_deployment_daemonset_and_back(run: Run) -> None:
    core, apps, release = run.core, run.apps, run.release
    namespace = run.installs.namespace(PRIVILEGED)
    for kind in ("Deployment", "DaemonSet", "Deployment"):
        run.installs.install(release, namespace, own_class(
            {"controller": {"kind": kind, "service": {"type": "ClusterIP"}}}, release))
        assert _controller_workloads(apps, namespace, release) == {f"{release}-controller": kind}
        expected = 1 if kind == "Deployment" else len(Expected({}).daemonset_nodes(core.list_node().items))

        def settled() -> bool:
            pods = core.list_namespaced_pod(namespace, label_selector="app.kubernetes.io/component=controller").items
            return len([p for p in pods if not p.metadata.deletion_timestamp and p.status.phase == "Running"]) == expected

        eventually(settled, what=f"{expected} controller pods after switching to {kind}")


@together(switch_deployment_daemonset_and_back, release="ingress-nginx-switch")
def test_switch_deployment_daemonset_and_back(scenarios: Together, request: pytest.FixtureRequest) -> None:
    scenarios.outcome(request.node)


def renamed_controller_then_rollback(run: Run) -> None:
    apps, release, installs = run.apps, run.release, run.installs
    namespace = installs.namespace()
    installs.install(release, namespace, own_class(BASE, release))
    assert _controller_workloads(apps, namespace, release) == {f"{release}-controller": "Deployment"}
    installs.install(release, namespace, own_class({"controller": {"name": "edge", "service": {"type": "ClusterIP"}}}, release))
    assert _controller_workloads(apps, namespace, release) == {f"{release}-edge": "Deployment"}
    installs.helm.rollback(release, namespace, 1)
    assert _controller_workloads(apps, namespace, release) == {f"{release}-controller": "Deployment"}
    current = installs.helm.current_revision(release, namespace)
    assert current.revision == 3 and current.status.value == "deployed"


@together(renamed_controller_then_rollback, release="ingress-nginx-rollback")
def test_renamed_controller_then_rollback(scenarios: Together, request: pytest.FixtureRequest) -> None:
    scenarios.outcome(request.node)


def uninstall_leaves_nothing(run: Run) -> None:
    api, core, release = run.api, run.core, run.release
    values = own_class(load_profile("daemonset-prod"), release)
    namespace = run.installs.namespace(PRIVILEGED)
    run.installs.install(release, namespace, values)
    selector = f"app.kubernetes.io/instance={release}"
    rbac = client.RbacAuthorizationV1Api(api)
    cluster_wide = {
        "IngressClass": lambda: client.NetworkingV1Api(api).list_ingress_class(label_selector=selector).items,
        "ClusterRole": lambda: rbac.list_cluster_role(label_selector=selector).items,
        "ClusterRoleBinding": lambda: rbac.list_cluster_role_binding(label_selector=selector).items,
        "ValidatingWebhookConfiguration": lambda: client.AdmissionregistrationV1Api(api)
        .list_validating_webhook_configuration(label_selector=selector).items,
    }
    namespaced = {
        "ServiceAccount": lambda: core.list_namespaced_service_account(namespace, label_selector=selector).items,
        "ConfigMap": lambda: core.list_namespaced_config_map(namespace, label_selector=selector).items,
        "Service": lambda: core.list_namespaced_service(namespace, label_selector=selector).items,
        "Secret": lambda: core.list_namespaced_secret(namespace).items,
        "Role": lambda: rbac.list_namespaced_role(namespace, label_selector=selector).items,
        "RoleBinding": lambda: rbac.list_namespaced_role_binding(namespace, label_selector=selector).items,
        "Job": lambda: client.BatchV1Api(api).list_namespaced_job(namespace).items,
        "Pod": lambda: core.list_namespaced_pod(namespace).items,
    }
    present = {kind for kind, listing in cluster_wide.items() if listing()}
    assert present == set(cluster_wide), f"missing before uninstall: {set(cluster_wide) - present}"

    run.installs.helm.uninstall(release, namespace)
    left = {kind: [o.metadata.name for o in listing()] for kind, listing in cluster_wide.items()}
    assert not any(left.values()), left

    def namespace_empty() -> bool:
        return not any(listing() for listing in namespaced.values())

    eventually(namespace_empty, what="the release namespace to empty: " + ", ".join(namespaced))


@together(uninstall_leaves_nothing, release="ingress-nginx-uninstall", host_ports=lambda: True)
def test_uninstall_leaves_nothing(scenarios: Together, request: pytest.FixtureRequest) -> None:
    scenarios.outcome(request.node)
