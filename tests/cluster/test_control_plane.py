"""The cluster itself behaves like Kubernetes where the chart tests rely on it."""
from __future__ import annotations

import pytest
from kubernetes import client

from ingress_nginx_values.cluster import Cluster, NodeSpec, Taint
from polling import eventually

PAUSE = "registry.k8s.io/pause:3.10"


def _pod_template(labels: dict[str, str]) -> client.V1PodTemplateSpec:
    return client.V1PodTemplateSpec(
        metadata=client.V1ObjectMeta(labels=labels),
        spec=client.V1PodSpec(containers=[client.V1Container(name="main", image=PAUSE)]),
    )


def test_api_server_reports_its_release(api: client.ApiClient) -> None:
    version = client.VersionApi(api).get_code()
    assert version.major == "1"
    assert int(version.minor.rstrip("+")) >= 25, version.git_version
    assert version.git_version.startswith("v1."), version.git_version


def test_nodes_are_ready_and_one_is_tainted(core: client.CoreV1Api, cluster: Cluster) -> None:
    if cluster.fake_nodes is None:
        pytest.skip(f"the node layout is the local provider's, not {cluster.provider}'s")
    nodes = core.list_node().items
    ready = {n.metadata.name for n in nodes if any(c.type == "Ready" and c.status == "True" for c in n.status.conditions)}
    assert ready == {n.metadata.name for n in nodes}
    tainted = [n.metadata.name for n in nodes if any(t.key == "node-role.kubernetes.io/control-plane" for t in n.spec.taints or [])]
    assert tainted == ["control-plane"]


def test_deployment_becomes_available_with_endpoints(api: client.ApiClient, core: client.CoreV1Api, apps: client.AppsV1Api, namespace: str) -> None:
    labels = {"app": "smoke"}
    apps.create_namespaced_deployment(namespace, client.V1Deployment(
        metadata=client.V1ObjectMeta(name="smoke"),
        spec=client.V1DeploymentSpec(replicas=2, selector=client.V1LabelSelector(match_labels=labels), template=_pod_template(labels)),
    ))
    core.create_namespaced_service(namespace, client.V1Service(
        metadata=client.V1ObjectMeta(name="smoke"),
        spec=client.V1ServiceSpec(selector=labels, ports=[client.V1ServicePort(name="http", port=80, target_port=8080)]),
    ))
    eventually(lambda: (apps.read_namespaced_deployment(name="smoke", namespace=namespace).status.available_replicas or 0) == 2,
             what="2 available replicas")
    discovery = client.DiscoveryV1Api(api)

    def ready_endpoints() -> list[str]:
        slices = discovery.list_namespaced_endpoint_slice(namespace, label_selector="kubernetes.io/service-name=smoke").items
        found = [a for s in slices for e in s.endpoints or [] if e.conditions.ready for a in e.addresses]
        # The slice may list one pod before the other: wait for both, not for the first.
        return found if len(found) == 2 else []

    assert len(eventually(ready_endpoints, what="2 ready endpoints")) == 2


def test_job_pods_complete(api: client.ApiClient, namespace: str) -> None:
    batch = client.BatchV1Api(api)
    template = _pod_template({"app": "job"})
    template.spec.restart_policy = "Never"
    batch.create_namespaced_job(namespace, client.V1Job(metadata=client.V1ObjectMeta(name="once"), spec=client.V1JobSpec(template=template)))
    eventually(lambda: batch.read_namespaced_job(name="once", namespace=namespace).status.succeeded == 1, what="the Job to succeed")


def test_daemonset_follows_node_labels_and_taints(cluster: Cluster, core: client.CoreV1Api, apps: client.AppsV1Api, namespace: str) -> None:
    if cluster.fake_nodes is None:
        pytest.skip(f"adding and labelling nodes needs the local provider's fake nodes, not {cluster.provider}")
    nodes = cluster.fake_nodes
    labels = {"app": "edge"}
    template = _pod_template(labels)
    template.spec.node_selector = {"smoke-edge": "true"}
    apps.create_namespaced_daemon_set(namespace, client.V1DaemonSet(
        metadata=client.V1ObjectMeta(name="edge"),
        spec=client.V1DaemonSetSpec(selector=client.V1LabelSelector(match_labels=labels), template=template),
    ))

    def pod_nodes() -> set[str]:
        pods = core.list_namespaced_pod(namespace, label_selector="app=edge").items
        return {p.spec.node_name for p in pods if p.status.phase == "Running" and not p.metadata.deletion_timestamp}

    nodes.add(NodeSpec("smoke-a", {"smoke-edge": "true"}))
    nodes.add(NodeSpec("smoke-b", {"smoke-edge": "true"}, (Taint("dedicated"),)))
    try:
        eventually(lambda: pod_nodes() == {"smoke-a"}, what="a pod on the untainted labelled node only")
        nodes.untaint("smoke-b", "dedicated")
        eventually(lambda: pod_nodes() == {"smoke-a", "smoke-b"}, what="a pod on smoke-b once untainted")
        nodes.label("smoke-a", {"smoke-edge": None})
        eventually(lambda: pod_nodes() == {"smoke-b"}, what="the pod to leave the unlabelled node")
    finally:
        nodes.remove("smoke-a")
        nodes.remove("smoke-b")
