"""Configuration files of the real node's containerd, CNI, kubelet and kube-proxy.

Pure functions of a NodeLayout, so the settings this machine needs
(../shared/reference/real-node.md) are written once and can be checked without root.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml

# Debian's containernetworking-plugins package installs the plugins here.
CNI_BIN_DIR = Path("/usr/lib/cni")


@dataclass(frozen=True)
class NodeLayout:
    """Where everything of one node lives, all under `root`, plus its names and addresses."""

    root: Path
    name: str
    node_ip: str
    pod_cidr: str
    # The kubelet's cgroup root: every pod cgroup sits below it, so teardown finds them all.
    cgroup_root: str
    sandbox_image: str

    @property
    def containerd_socket(self) -> Path:
        return self.root / "run" / "containerd.sock"

    @property
    def cni_conf_dir(self) -> Path:
        return self.root / "cni" / "net.d"

    @property
    def kubelet_dir(self) -> Path:
        return self.root / "kubelet"

    @property
    def resolv_conf(self) -> Path:
        return self.root / "resolv.conf"


def containerd_config(layout: NodeLayout) -> str:
    root = layout.root / "containerd"
    cri = 'plugins."io.containerd.grpc.v1.cri"'
    return "\n".join([
        "version = 2",
        f'root = "{root / "root"}"',
        f'state = "{root / "state"}"',
        # Snapshotters this machine cannot use only slow the start down with errors.
        'disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",'
        ' "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]',
        "[grpc]",
        f'  address = "{layout.containerd_socket}"',
        "[ttrpc]",
        f'  address = "{layout.containerd_socket}.ttrpc"',
        '[plugins."io.containerd.internal.v1.opt"]',
        f'  path = "{root / "opt"}"',
        f"[{cri}]",
        f'  sandbox_image = "{layout.sandbox_image}"',
        # Root in this VM lacks CAP_SYS_RESOURCE: without this every sandbox fails in
        # runc with "failed to update /proc/self/oom_score_adj: Permission denied".
        "  restrict_oom_score_adj = true",
        "  disable_apparmor = true",
        # Pod network namespaces are pinned under the node's own directory.
        "  netns_mounts_under_state_dir = true",
        f"[{cri}.containerd]",
        '  snapshotter = "overlayfs"',
        '  default_runtime_name = "runc"',
        f"[{cri}.containerd.runtimes.runc]",
        '  runtime_type = "io.containerd.runc.v2"',
        f"[{cri}.containerd.runtimes.runc.options]",
        f'  Root = "{layout.root / "runc"}"',
        "  SystemdCgroup = false",
        f"[{cri}.cni]",
        f'  bin_dir = "{CNI_BIN_DIR}"',
        f'  conf_dir = "{layout.cni_conf_dir}"',
        "",
    ])


def cni_config(layout: NodeLayout) -> str:
    bridge = {
        "type": "bridge", "bridge": "cni0", "isGateway": True, "ipMasq": False,
        # A pod reaching itself through its own Service needs the packet sent back in.
        "hairpinMode": True,
        "ipam": {
            "type": "host-local",
            "ranges": [[{"subnet": layout.pod_cidr}]],
            "routes": [{"dst": "0.0.0.0/0"}],
            "dataDir": str(layout.root / "cni" / "ipam"),
        },
    }
    portmap = {"type": "portmap", "capabilities": {"portMappings": True}}
    return json.dumps({"cniVersion": "1.0.0", "name": "node", "plugins": [bridge, portmap]}, indent=2) + "\n"


def kubelet_config(layout: NodeLayout, *, ca: Path, serving_cert: Path, serving_key: Path) -> str:
    config = {
        "apiVersion": "kubelet.config.k8s.io/v1beta1",
        "kind": "KubeletConfiguration",
        "address": layout.node_ip,
        "readOnlyPort": 0,
        "healthzBindAddress": "127.0.0.1",
        "authentication": {
            "anonymous": {"enabled": False},
            "webhook": {"enabled": True},
            "x509": {"clientCAFile": str(ca)},
        },
        "authorization": {"mode": "Webhook"},
        "tlsCertFile": str(serving_cert),
        "tlsPrivateKeyFile": str(serving_key),
        "containerRuntimeEndpoint": f"unix://{layout.containerd_socket}",
        # This machine has cgroup v1 hierarchies and no systemd.
        "failCgroupV1": False,
        "cgroupDriver": "cgroupfs",
        "cgroupRoot": layout.cgroup_root,
        "failSwapOn": False,
        "podLogsDir": str(layout.root / "pod-logs"),
        "volumePluginDir": str(layout.root / "volume-plugins"),
        # No cluster DNS here, and an empty resolv.conf keeps every pod lookup on the machine.
        "resolvConf": str(layout.resolv_conf),
        "clusterDomain": "cluster.local",
        # Eviction or image garbage collection on a busy disk would remove the
        # images that cannot be pulled again (there is no registry).
        "evictionHard": {"memory.available": "1Mi", "nodefs.available": "1%",
                         "imagefs.available": "1%", "nodefs.inodesFree": "1%"},
        "imageGCHighThresholdPercent": 100,
        "imageGCLowThresholdPercent": 99,
        "serializeImagePulls": False,
        # Faster status reports make tests wait less for Ready pods.
        "syncFrequency": "5s",
        "fileCheckFrequency": "5s",
        "nodeStatusUpdateFrequency": "2s",
    }
    return yaml.safe_dump(config, sort_keys=False)


def kube_proxy_config(layout: NodeLayout, kubeconfig: Path) -> str:
    config = {
        "apiVersion": "kubeproxy.config.k8s.io/v1alpha1",
        "kind": "KubeProxyConfiguration",
        "clientConnection": {"kubeconfig": str(kubeconfig)},
        "hostnameOverride": layout.name,
        "mode": "iptables",
        "bindAddress": layout.node_ip,
        "healthzBindAddress": "127.0.0.1:10256",
        "metricsBindAddress": "127.0.0.1:10249",
        # Zeroes leave the host-wide conntrack sysctls alone.
        "conntrack": {"maxPerCore": 0, "min": 0, "tcpEstablishedTimeout": "0s", "tcpCloseWaitTimeout": "0s"},
        # Without br_netfilter a reply between two pods on the bridge skips the node's
        # conntrack; masquerading every Service connection routes it back through it.
        "iptables": {"masqueradeAll": True},
    }
    return yaml.safe_dump(config, sort_keys=False)
