"""A real Kubernetes control plane on loopback, without containers.

etcd, kube-apiserver, kube-controller-manager and kube-scheduler run as plain
processes from .tools/bin (built by `make tools`); kwok stands in for kubelets, so
workloads get scheduled, become Ready and fill EndpointSlices, and Jobs complete,
while no image is ever pulled. Everything lives in one temporary directory and
every process in its own process group, so a failed test cannot leave anything
running behind.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import yaml
from kubernetes import client, config

from .certs import CertificateAuthority, KeyPair, service_account_keys
from .kwok import STAGES, FakeNodes, NodeSpec, default_nodes
from .loadbalancer import FakeLoadBalancers

REPO_ROOT = Path(__file__).resolve().parents[3]
BINARIES = ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok")


class BinariesMissing(RuntimeError):
    """Some control-plane binary has not been built."""


class StartupFailed(RuntimeError):
    """A component exited or never became healthy; the message carries its log tail."""


@dataclass(frozen=True)
class LocalControlPlaneConfig:
    bin_dir: Path = REPO_ROOT / ".tools" / "bin"
    nodes: tuple[NodeSpec, ...] = field(default_factory=default_nodes)
    service_cidr: str = "10.96.0.0/16"
    pod_cidr: str = "10.244.0.0/16"
    # Address kwok reports for every node; hostNetwork pods get it too.
    node_ip: str = "10.89.0.1"
    startup_timeout: float = 90.0
    # Keep the processes and the directory after the `with` block (the demo's KEEP=1).
    keep: bool = False
    # Where the directory is made; a fresh temporary one when None.
    parent_dir: Path | None = None
    # The API server listens (and advertises itself to pods) on this address only. A
    # real node in its own network namespace cannot reach loopback, so it passes the
    # host side of its link (cluster/node_network.py) here.
    bind_address: str = "127.0.0.1"


def missing_binaries(bin_dir: Path) -> list[str]:
    return [name for name in BINARIES if not os.access(bin_dir / name, os.X_OK)]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _kubeconfig(server: str, ca: Path, user: KeyPair, name: str) -> dict[str, object]:
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "local", "cluster": {"server": server, "certificate-authority": str(ca)}}],
        "users": [{"name": name, "user": {"client-certificate": str(user.cert), "client-key": str(user.key)}}],
        "contexts": [{"name": "local", "context": {"cluster": "local", "user": name}}],
        "current-context": "local",
    }


@dataclass
class _Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def tail(self, lines: int = 25) -> str:
        try:
            text = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(text[-lines:])

    def stop(self, grace: float = 5.0) -> None:
        if self.popen.poll() is not None:
            return
        try:
            os.killpg(self.popen.pid, signal.SIGTERM)
            self.popen.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()
        except ProcessLookupError:
            pass


@dataclass
class LocalControlPlane:
    """`with LocalControlPlane() as cp:` gives `cp.kubeconfig`, `cp.api_client` and `cp.nodes`."""

    config: LocalControlPlaneConfig = field(default_factory=LocalControlPlaneConfig)
    workdir: Path = field(init=False)
    kubeconfig: Path = field(init=False)
    server: str = field(init=False)
    startup_seconds: float = field(init=False, default=0.0)
    _processes: list[_Process] = field(init=False, default_factory=list)
    _api_client: client.ApiClient | None = field(init=False, default=None)
    _load_balancers: FakeLoadBalancers | None = field(init=False, default=None)
    # Issues the real node's certificates (cluster/node.py).
    ca: CertificateAuthority = field(init=False)

    def __enter__(self) -> LocalControlPlane:
        try:
            self.start()
        except BaseException:
            self.stop(force=True)
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def api_client(self) -> client.ApiClient:
        if self._api_client is None:
            self._api_client = config.new_client_from_config(config_file=str(self.kubeconfig))
        return self._api_client

    @property
    def nodes(self) -> FakeNodes:
        return FakeNodes(client.CoreV1Api(self.api_client))

    def process_ids(self) -> dict[str, int]:
        return {p.name: p.popen.pid for p in self._processes if p.popen.poll() is None}

    def start(self) -> None:
        started = time.monotonic()
        missing = missing_binaries(self.config.bin_dir)
        if missing:
            raise BinariesMissing(
                f"not built in {self.config.bin_dir}: {', '.join(missing)} (run `make tools`)"
            )
        self.workdir = Path(tempfile.mkdtemp(prefix="local-control-plane-", dir=self.config.parent_dir))
        pki = self.workdir / "pki"
        (self.workdir / "logs").mkdir()

        etcd_port, etcd_peer_port = _free_port(), _free_port()
        self._spawn("etcd", [
            "--name=local", f"--data-dir={self.workdir / 'etcd'}",
            f"--listen-client-urls=http://127.0.0.1:{etcd_port}",
            f"--advertise-client-urls=http://127.0.0.1:{etcd_port}",
            f"--listen-peer-urls=http://127.0.0.1:{etcd_peer_port}",
            f"--initial-advertise-peer-urls=http://127.0.0.1:{etcd_peer_port}",
            f"--initial-cluster=local=http://127.0.0.1:{etcd_peer_port}",
            # Nothing here must survive a crash, and fsync dominates etcd's latency.
            "--unsafe-no-fsync", "--log-level=warn",
        ])

        ca = self.ca = CertificateAuthority.create(pki)
        service_ip = self.config.service_cidr.split("/")[0].rsplit(".", 1)[0] + ".1"
        serving = ca.issue("apiserver", "kube-apiserver", server_names=(
            *dict.fromkeys(("127.0.0.1", self.config.bind_address)), "localhost", service_ip, "kubernetes", "kubernetes.default",
            "kubernetes.default.svc", "kubernetes.default.svc.cluster.local",
        ))
        admin = ca.issue("admin", "local-admin", organizations=("system:masters",))
        controller_manager = ca.issue("controller-manager", "system:kube-controller-manager")
        scheduler = ca.issue("scheduler", "system:kube-scheduler")
        accounts = service_account_keys(pki)
        # `kubectl logs/exec` through the API server to a real kubelet.
        kubelet_client = ca.issue("apiserver-kubelet-client", "kube-apiserver-kubelet-client",
                                  organizations=("system:masters",))

        api_port = _free_port()
        self.server = f"https://{self.config.bind_address}:{api_port}"
        self.kubeconfig = self._write_kubeconfig("admin", admin, ca)
        self._spawn("kube-apiserver", [
            f"--etcd-servers=http://127.0.0.1:{etcd_port}",
            f"--bind-address={self.config.bind_address}", f"--advertise-address={self.config.bind_address}",
            f"--secure-port={api_port}",
            f"--cert-dir={self.workdir / 'apiserver'}",
            f"--tls-cert-file={serving.cert}", f"--tls-private-key-file={serving.key}",
            f"--client-ca-file={ca.pair.cert}",
            f"--service-cluster-ip-range={self.config.service_cidr}",
            "--authorization-mode=Node,RBAC",
            "--enable-admission-plugins=NodeRestriction,PodSecurity,MutatingAdmissionWebhook,ValidatingAdmissionWebhook",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            f"--service-account-key-file={accounts.cert}",
            f"--service-account-signing-key-file={accounts.key}",
            # hostNetwork pods (the DaemonSet profiles) must be admitted.
            "--allow-privileged=true",
            f"--kubelet-client-certificate={kubelet_client.cert}", f"--kubelet-client-key={kubelet_client.key}",
            f"--kubelet-certificate-authority={ca.pair.cert}",
            # The node's address as it registered it: resolving its host name would
            # ask the machine's DNS, a lookup that leaves the machine.
            "--kubelet-preferred-address-types=InternalIP",
        ])

        # The other components retry until the API server answers, so they start now.
        self._spawn("kube-controller-manager", [
            f"--kubeconfig={self._write_kubeconfig('controller-manager', controller_manager, ca)}",
            "--bind-address=127.0.0.1", f"--secure-port={_free_port()}",
            f"--cert-dir={self.workdir / 'controller-manager'}",
            "--leader-elect=false",
            # Each controller acts as its own ServiceAccount, as in a real cluster,
            # which is why the ServiceAccount signing key must be known here.
            "--use-service-account-credentials=true",
            f"--service-account-private-key-file={accounts.key}",
            f"--root-ca-file={ca.pair.cert}",
            f"--cluster-signing-cert-file={ca.pair.cert}", f"--cluster-signing-key-file={ca.pair.key}",
            f"--service-cluster-ip-range={self.config.service_cidr}",
            # An autoscaled Deployment renders no replicas and waits for the HPA
            # controller to raise it to minReplicas; every 15 s (the default) makes
            # each such install wait that long, and a handful of HPAs costs nothing.
            "--horizontal-pod-autoscaler-sync-period=2s",
        ])
        self._spawn("kube-scheduler", [
            f"--kubeconfig={self._write_kubeconfig('scheduler', scheduler, ca)}",
            "--bind-address=127.0.0.1", f"--secure-port={_free_port()}",
            f"--cert-dir={self.workdir / 'scheduler'}",
            "--leader-elect=false",
        ])
        stages = self.workdir / "kwok-stages.yaml"
        stages.write_text(STAGES)
        self._spawn("kwok", [
            f"--kubeconfig={self.kubeconfig}", f"--config={stages}",
            "--manage-all-nodes=false",
            "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
            f"--cidr={self.config.pod_cidr}", f"--node-ip={self.config.node_ip}",
        ])

        deadline = started + self.config.startup_timeout
        self._wait_readyz(ca.pair.cert, admin, deadline)
        self.nodes.add_all(self.config.nodes)
        self._load_balancers = FakeLoadBalancers(client.CoreV1Api(self.api_client))
        self._load_balancers.start()
        self._wait_default_service_account(deadline)
        self.startup_seconds = time.monotonic() - started

    def stop(self, *, force: bool = False) -> None:
        """Stops every process and removes the directory, unless the config says keep."""
        if self.config.keep and not force:
            return
        if self._load_balancers is not None:
            self._load_balancers.stop()
            self._load_balancers = None
        for process in reversed(self._processes):
            process.stop()
        self._processes.clear()
        if self._api_client is not None:
            self._api_client.close()
            self._api_client = None
        workdir = getattr(self, "workdir", None)
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)

    def _write_kubeconfig(self, name: str, user: KeyPair, ca: CertificateAuthority) -> Path:
        path = self.workdir / f"{name}.kubeconfig"
        path.write_text(yaml.safe_dump(_kubeconfig(self.server, ca.pair.cert, user, name)))
        path.chmod(0o600)
        return path

    def _spawn(self, name: str, args: Sequence[str]) -> None:
        log = self.workdir / "logs" / f"{name}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                [str(self.config.bin_dir / name), *args],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                cwd=self.workdir,
                # Its own process group: stop() signals the whole group.
                start_new_session=True,
            )
        self._processes.append(_Process(name, popen, log))

    def _check_alive(self) -> None:
        for process in self._processes:
            code = process.popen.poll()
            if code is not None:
                raise StartupFailed(f"{process.name} exited with status {code}; last lines of its log:\n{process.tail()}")

    def _wait_readyz(self, ca: Path, user: KeyPair, deadline: float) -> None:
        context = ssl.create_default_context(cafile=str(ca))
        context.load_cert_chain(str(user.cert), str(user.key))
        last_error = ""
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                with urllib.request.urlopen(f"{self.server}/readyz", context=context, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError) as error:
                last_error = str(error)
            time.sleep(0.2)
        raise StartupFailed(
            f"kube-apiserver was not ready within {self.config.startup_timeout:.0f} s ({last_error}); "
            f"last lines of its log:\n{self._process('kube-apiserver').tail()}"
        )

    def _wait_default_service_account(self, deadline: float) -> None:
        """Pods need the namespace's `default` ServiceAccount, which the controller manager creates."""
        core = client.CoreV1Api(self.api_client)
        while time.monotonic() < deadline:
            self._check_alive()
            if any(sa.metadata.name == "default" for sa in core.list_namespaced_service_account("default").items):
                return
            time.sleep(0.2)
        raise StartupFailed(
            "kube-controller-manager created no `default` ServiceAccount in time; last lines of its log:\n"
            + self._process("kube-controller-manager").tail()
        )

    def _process(self, name: str) -> _Process:
        return next(p for p in self._processes if p.name == name)
