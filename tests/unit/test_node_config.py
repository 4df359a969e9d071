"""The real node's configuration carries the settings this machine needs
(../shared/reference/real-node.md) and keeps every path inside the node's directory."""
from __future__ import annotations

import json
import tomllib
from pathlib import Path

import yaml

from ingress_nginx_values.cluster.node_config import (
    NodeLayout,
    cni_config,
    containerd_config,
    kube_proxy_config,
    kubelet_config,
)
from ingress_nginx_values.cluster.node_network import NodeNetwork, NodeNetworkConfig, guard_rules

LAYOUT = NodeLayout(root=Path("/tmp/local-node-x"), name="edge", node_ip="172.30.0.2",
                    pod_cidr="10.245.0.0/24", cgroup_root="/inx-node-x", sandbox_image="local/pause:1")


def test_containerd_runs_sandboxes_without_oom_score_changes() -> None:
    config = tomllib.loads(containerd_config(LAYOUT))
    cri = config["plugins"]["io.containerd.grpc.v1.cri"]
    assert cri["restrict_oom_score_adj"] is True
    assert cri["sandbox_image"] == "local/pause:1"
    assert cri["netns_mounts_under_state_dir"] is True
    runc = cri["containerd"]["runtimes"]["runc"]["options"]
    assert runc["SystemdCgroup"] is False
    for path in (config["root"], config["state"], config["grpc"]["address"], runc["Root"], cri["cni"]["conf_dir"]):
        assert path.startswith(str(LAYOUT.root)), path


def test_kubelet_runs_on_cgroup_v1_without_systemd() -> None:
    config = yaml.safe_load(kubelet_config(LAYOUT, ca=Path("/ca"), serving_cert=Path("/c"), serving_key=Path("/k")))
    assert config["failCgroupV1"] is False
    assert config["cgroupDriver"] == "cgroupfs"
    assert config["failSwapOn"] is False
    assert config["cgroupRoot"] == LAYOUT.cgroup_root
    assert config["address"] == LAYOUT.node_ip
    assert config["authentication"]["anonymous"]["enabled"] is False
    for key in ("podLogsDir", "volumePluginDir", "resolvConf"):
        assert config[key].startswith(str(LAYOUT.root)), key


def test_cni_is_bridge_host_local_and_portmap_in_the_pod_range() -> None:
    config = json.loads(cni_config(LAYOUT))
    bridge, portmap = config["plugins"]
    assert (bridge["type"], bridge["ipam"]["type"], portmap["type"]) == ("bridge", "host-local", "portmap")
    assert bridge["hairpinMode"] is True
    assert bridge["ipam"]["ranges"] == [[{"subnet": LAYOUT.pod_cidr}]]
    assert bridge["ipam"]["dataDir"].startswith(str(LAYOUT.root))


def test_kube_proxy_leaves_host_conntrack_sysctls_alone() -> None:
    config = yaml.safe_load(kube_proxy_config(LAYOUT, Path("/kubeconfig")))
    assert config["conntrack"]["maxPerCore"] == 0 and config["conntrack"]["min"] == 0
    assert config["hostnameOverride"] == "edge"


def test_network_addresses_come_from_the_link_range() -> None:
    config = NodeNetworkConfig(link_cidr="172.30.0.4/30")
    assert (config.host_ip, config.node_ip, config.prefix) == ("172.30.0.5", "172.30.0.6", 30)
    network = NodeNetwork(config, suffix="abc123")
    assert len(network.host_veth) <= 15
    assert guard_rules(network.host_veth) == [["-i", "inxabc123h", "-j", "DROP"], ["-o", "inxabc123h", "-j", "DROP"]]
