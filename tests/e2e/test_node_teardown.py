"""Stopping the real node leaves nothing of it on this machine.

A node of its own (beside the session's, on another link, pod and Service range) runs a
real pod, so containers, mounts, cgroups, pod network namespaces and kube-proxy's
rules all exist; after the `with` block none of them, nor the sysctls the kubelet
changed, may remain.
"""
from __future__ import annotations

import time

from kubernetes import client

from e2e.support import missing_for_local_node, unavailable
from ingress_nginx_values.cluster.edge import edge_cluster
from ingress_nginx_values.cluster.images import image_by_name
from ingress_nginx_values.cluster.node_network import NodeNetworkConfig

SEPARATE_NETWORK = NodeNetworkConfig(link_cidr="172.30.0.4/30", pod_cidr="10.245.1.0/24", service_cidr="10.97.0.0/16")


def test_stop_leaves_nothing_behind() -> None:
    missing = missing_for_local_node()
    if missing:
        unavailable("the real node cannot run here; missing: " + "; ".join(missing))
    with edge_cluster(network_config=SEPARATE_NETWORK) as edge:
        core = client.CoreV1Api(edge.plane.api_client)
        core.create_namespaced_pod("default", client.V1Pod(
            metadata=client.V1ObjectMeta(name="probe"),
            spec=client.V1PodSpec(node_name=edge.node.config.name, containers=[client.V1Container(
                name="web", image=image_by_name("netexec").reference, args=["netexec", "--http-port=8080"])]),
        ))
        deadline = time.monotonic() + 60
        while core.read_namespaced_pod("probe", "default").status.phase != "Running":
            assert time.monotonic() < deadline, "the probe pod never ran"
            time.sleep(0.5)
        running = edge.leftovers()
        # The check must see a running node, or an empty list after stop proves nothing.
        assert any(item.startswith("process") for item in running), running
        assert any(item.startswith("cgroup") for item in running), running
    assert edge.leftovers() == []
