"""A real Kubernetes node on this machine: containerd, runc, CNI, kubelet, kube-proxy.

The node runs the way a kind node does inside its container, with namespaces of
its own: a network namespace (cluster/node_network.py) and a mount namespace in
which the node's own directories cover /var/lib, /var/log and /run, so nothing
the kubelet, containerd or the CNI plugins write or mount there reaches the host.
It joins a LocalControlPlane as a real Node; its pods run real containers from
image tarballs imported with `ctr` (there is no registry). Teardown kills every
process of the node, removes its cgroups and directory and restores the host
sysctls the kubelet changed, even when the start failed half way.

Needs root. `missing_node_pieces()` names what is missing when it cannot run.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import yaml
from kubernetes import client

from .certs import CertificateAuthority
from .host_state import SysctlSnapshot, cgroup_leftovers, create_cgroup_root, remove_cgroup_root
from .images import BuiltImage, ensure_images, image_by_name
from .local import REPO_ROOT, LocalControlPlane, StartupFailed, _kubeconfig, _Process
from .node_config import (
    CNI_BIN_DIR,
    NodeLayout,
    cni_config,
    containerd_config,
    kube_proxy_config,
    kubelet_config,
)
from .node_network import NodeNetwork
from .processes import alive, kill, stop_group

NODE_BINARIES = ("kubelet", "kube-proxy", "crane")
HOST_COMMANDS = ("containerd", "containerd-shim-runc-v2", "runc", "ctr", "ip", "iptables", "nsenter", "unshare")
CNI_PLUGINS = ("bridge", "host-local", "portmap", "loopback")
# Host directories the node's mount namespace covers with directories of its own.
COVERED_DIRS = ("/var/lib", "/var/log", "/run")


def missing_node_pieces(bin_dir: Path = REPO_ROOT / ".tools" / "bin") -> list[str]:
    """Everything the real node needs that this machine lacks, each named with how to get it."""
    missing = []
    if os.geteuid() != 0:
        missing.append("root (the node creates network namespaces, mounts and cgroups)")
    missing += [f"{bin_dir / name} (run `make tools`)" for name in NODE_BINARIES
                if not os.access(bin_dir / name, os.X_OK)]
    missing += [f"`{name}` on PATH (run `make tools` as root)" for name in HOST_COMMANDS if shutil.which(name) is None]
    missing += [f"CNI plugin {CNI_BIN_DIR / name} (run `make tools` as root)" for name in CNI_PLUGINS
                if not (CNI_BIN_DIR / name).exists()]
    return missing


@dataclass(frozen=True)
class RealNodeConfig:
    name: str = "edge"
    labels: tuple[tuple[str, str], ...] = (("ingress-ready", "true"),)
    bin_dir: Path = REPO_ROOT / ".tools" / "bin"
    # Image tarballs imported besides the node's own (e.g. the controller's).
    extra_images: tuple[Path, ...] = ()
    startup_timeout: float = 90.0
    parent_dir: Path | None = None


@dataclass
class NodeTraces:
    """All that teardown needs, as plain data: a later process can stop a node kept running."""

    root: str
    cgroup_root: str
    holder_pid: int = 0
    # (name, process group id) in start order.
    processes: list[tuple[str, int]] = field(default_factory=list)
    sysctls: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"root": self.root, "cgroup_root": self.cgroup_root, "holder_pid": self.holder_pid,
                "processes": self.processes, "sysctls": self.sysctls}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> NodeTraces:
        return cls(str(data["root"]), str(data["cgroup_root"]), int(data["holder_pid"]),  # type: ignore[call-overload]
                   [(str(n), int(p)) for n, p in data["processes"]],  # type: ignore[attr-defined]
                   [(str(n), str(v)) for n, v in data["sysctls"]])  # type: ignore[attr-defined]


def remove_node(traces: NodeTraces) -> None:
    """Stops every process of the node and removes its cgroups, directory and sysctl changes."""
    by_name = dict(traces.processes)
    if "kubelet" in by_name:
        # First, or it would restart the containers killed next.
        stop_group(by_name["kubelet"])
    remove_cgroup_root(traces.cgroup_root)
    for _, pgid in reversed(traces.processes):
        stop_group(pgid)
    if traces.holder_pid and alive(traces.holder_pid):
        # containerd's shims outlive containerd; they share the holder's mount namespace.
        for pid in _processes_in_mount_namespace(traces.holder_pid):
            kill(pid)
        stop_group(traces.holder_pid, grace=0)
    # Gone with the last process of the mount namespace: every mount the node made.
    remove_cgroup_root(traces.cgroup_root)
    shutil.rmtree(traces.root, ignore_errors=True)
    SysctlSnapshot(tuple(traces.sysctls)).restore()


@dataclass
class RealNode:
    """`with RealNode(plane, network) as node:` - a Ready node named `node.config.name`."""

    plane: LocalControlPlane
    network: NodeNetwork
    config: RealNodeConfig = field(default_factory=RealNodeConfig)
    layout: NodeLayout = field(init=False)
    images: tuple[BuiltImage, ...] = field(init=False, default=())
    startup_seconds: float = field(init=False, default=0.0)
    _processes: list[_Process] = field(init=False, default_factory=list)
    traces: NodeTraces | None = field(init=False, default=None)
    _holder: subprocess.Popen[bytes] | None = field(init=False, default=None)
    _sysctls: SysctlSnapshot | None = field(init=False, default=None)

    def __enter__(self) -> RealNode:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def root(self) -> Path:
        return self.layout.root

    def start(self) -> None:
        started = time.monotonic()
        missing = missing_node_pieces(self.config.bin_dir)
        if missing:
            raise StartupFailed("the real node cannot run here; missing: " + "; ".join(missing))
        self.images = ensure_images(self.config.bin_dir / "crane")
        root = Path(tempfile.mkdtemp(prefix="local-node-", dir=self.config.parent_dir))
        self.layout = NodeLayout(
            root=root, name=self.config.name, node_ip=self.network.config.node_ip,
            pod_cidr=self.network.config.pod_cidr, cgroup_root=f"/{self.network.namespace}",
            sandbox_image=image_by_name("pause").reference,
        )
        self.traces = NodeTraces(str(root), self.layout.cgroup_root)
        kubelet_kubeconfig, proxy_kubeconfig = self._write_files()
        self._sysctls = SysctlSnapshot.take()
        self.traces.sysctls = list(self._sysctls.values)
        create_cgroup_root(self.layout.cgroup_root)
        self._start_holder()

        self._spawn("containerd", ["containerd", f"--config={root / 'containerd.toml'}"])
        self._wait_containerd(started + self.config.startup_timeout)
        for tarball in (*(image.tarball for image in self.images), *self.config.extra_images):
            self._ctr("images", "import", str(tarball))

        labels = ",".join(f"{key}={value}" for key, value in self.config.labels)
        self._spawn("kubelet", [
            "kubelet", f"--config={root / 'kubelet.yaml'}", f"--kubeconfig={kubelet_kubeconfig}",
            f"--root-dir={self.layout.kubelet_dir}", f"--hostname-override={self.config.name}",
            f"--node-ip={self.layout.node_ip}", f"--node-labels={labels}",
        ])
        self._spawn("kube-proxy", ["kube-proxy", f"--config={root / 'kube-proxy.yaml'}"])
        self._wait_node_ready(started + self.config.startup_timeout)
        self.startup_seconds = time.monotonic() - started

    def _write_files(self) -> tuple[Path, Path]:
        layout, ca = self.layout, self.plane.ca
        pki = layout.root / "pki"
        pki.mkdir()
        for directory in ("logs", "run", "cni/net.d", "covered/var/lib", "covered/var/log", "covered/run"):
            (layout.root / directory).mkdir(parents=True)
        layout.resolv_conf.write_text("")
        # The control plane's CA, writing the node's certificates into the node's directory.
        node_ca = CertificateAuthority(pki, ca.pair)
        kubelet_client = node_ca.issue("kubelet", f"system:node:{layout.name}", organizations=("system:nodes",))
        serving = node_ca.issue("kubelet-serving", f"system:node:{layout.name}",
                                organizations=("system:nodes",), server_names=(layout.node_ip, layout.name))
        proxy_client = node_ca.issue("kube-proxy", "system:kube-proxy")
        kubeconfigs = []
        for name, pair in (("kubelet", kubelet_client), ("kube-proxy", proxy_client)):
            path = layout.root / f"{name}.kubeconfig"
            path.write_text(yaml.safe_dump(_kubeconfig(self.plane.server, ca.pair.cert, pair, name)))
            path.chmod(0o600)
            kubeconfigs.append(path)
        (layout.root / "containerd.toml").write_text(containerd_config(layout))
        (layout.cni_conf_dir / "10-node.conflist").write_text(cni_config(layout))
        (layout.root / "kubelet.yaml").write_text(
            kubelet_config(layout, ca=ca.pair.cert, serving_cert=serving.cert, serving_key=serving.key))
        (layout.root / "kube-proxy.yaml").write_text(kube_proxy_config(layout, kubeconfigs[1]))
        return kubeconfigs[0], kubeconfigs[1]

    def _start_holder(self) -> None:
        """A process that owns the node's mount namespace (inside its network namespace) for its lifetime."""
        covered = self.layout.root / "covered"
        binds = " && ".join(f"mount --bind {covered / d.lstrip('/')} {d}" for d in COVERED_DIRS)
        log = (self.layout.root / "logs" / "holder.log").open("wb")
        with log:
            self._holder = subprocess.Popen(
                # Not `ip netns exec`: it mounts a fresh /sys, which hides the cgroup
                # hierarchies the kubelet needs.
                ["nsenter", f"--net=/run/netns/{self.network.namespace}",
                 "unshare", "--mount", "--propagation", "private", "--",
                 "sh", "-c", f"{binds} && echo ready && exec sleep infinity"],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log, start_new_session=True,
            )
        assert self._holder.stdout is not None and self.traces is not None
        self.traces.holder_pid = self._holder.pid
        if self._holder.stdout.readline().strip() != b"ready":
            raise StartupFailed("the node's mount namespace could not be set up: "
                                + (self.layout.root / "logs" / "holder.log").read_text())

    def _spawn(self, name: str, command: Sequence[str]) -> None:
        assert self._holder is not None
        pinned = self.config.bin_dir / command[0]
        program = str(pinned) if pinned.exists() else shutil.which(command[0]) or command[0]
        log = self.layout.root / "logs" / f"{name}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                ["nsenter", f"--target={self._holder.pid}", "--mount", "--net", "--", program, *command[1:]],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, cwd=self.layout.root,
                start_new_session=True,
            )
        self._processes.append(_Process(name, popen, log))
        assert self.traces is not None
        self.traces.processes.append((name, popen.pid))

    def _ctr(self, *args: str) -> str:
        result = subprocess.run(["ctr", f"--address={self.layout.containerd_socket}", "--namespace=k8s.io", *args],
                                capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise StartupFailed(f"`ctr {' '.join(args)}` failed: {result.stderr.strip()}")
        return result.stdout

    def _check_alive(self) -> None:
        for process in self._processes:
            code = process.popen.poll()
            if code is not None:
                raise StartupFailed(f"{process.name} exited with status {code}; last lines of its log:\n{process.tail()}")

    def _wait_containerd(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            self._check_alive()
            if self.layout.containerd_socket.exists():
                try:
                    self._ctr("version")
                    return
                except StartupFailed:
                    pass
            time.sleep(0.05)
        raise StartupFailed("containerd did not answer in time; last lines of its log:\n"
                            + self._processes[0].tail())

    def _wait_node_ready(self, deadline: float) -> None:
        core = client.CoreV1Api(self.plane.api_client)
        while time.monotonic() < deadline:
            self._check_alive()
            nodes = core.list_node(field_selector=f"metadata.name={self.config.name}").items
            if nodes and any(c.type == "Ready" and c.status == "True" for c in nodes[0].status.conditions or []):
                return
            time.sleep(0.2)
        kubelet = next(p for p in self._processes if p.name == "kubelet")
        raise StartupFailed(f"node {self.config.name} was not Ready within {self.config.startup_timeout:.0f} s; "
                            f"last lines of the kubelet's log:\n{kubelet.tail()}")

    def stop(self) -> None:
        """Stops the node and removes every trace of it; safe to call on a half-started node."""
        if self.traces is not None:
            remove_node(self.traces)
        for process in self._processes:
            # Already stopped by remove_node(); this only collects the exit status.
            process.popen.poll()
        self._processes.clear()
        if self._holder is not None and self._holder.stdout is not None:
            self._holder.stdout.close()
        self._holder = None

    def save_traces(self, path: Path) -> None:
        assert self.traces is not None
        path.write_text(json.dumps(self.traces.to_json()))

    def leftovers(self) -> list[str]:
        """What of this node is still on the host: empty after a clean stop()."""
        found = []
        root = str(self.layout.root)
        if self.layout.root.exists():
            found.append(f"directory {root}")
        found += [f"process {pid}: {cmdline}" for pid, cmdline in _process_cmdlines() if root in cmdline]
        found += [f"mount {line.split()[4]}" for line in Path("/proc/self/mountinfo").read_text().splitlines()
                  if root in line]
        found += [f"cgroup {path}" for path in cgroup_leftovers(self.layout.cgroup_root)]
        if self._sysctls is not None:
            found += [f"sysctl {change}" for change in self._sysctls.changed()]
        return found


def _process_cmdlines() -> Iterable[tuple[int, str]]:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                yield int(entry.name), (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue


def _processes_in_mount_namespace(holder: int) -> list[int]:
    try:
        namespace = os.readlink(f"/proc/{holder}/ns/mnt")
    except OSError:
        return []
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != holder:
            try:
                if os.readlink(entry / "ns" / "mnt") == namespace:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids
