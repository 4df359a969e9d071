"""The real controller, from its image's root filesystem, against the local control
plane: it renders its own nginx.tmpl, starts nginx with that configuration (Lua and
all), answers /healthz and serves the default server's 404.

No node runs here, so no Service can route (the API server refuses loopback
endpoints); routing is the real-node e2e tier's job. The controller runs as
www-data (uid 101) under chroot in a mount namespace of its own, on free loopback
ports, so it touches nothing of the host.
"""
from __future__ import annotations

import base64
import os
import shlex
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import yaml
from kubernetes import client

from dataplane.support import ImageArchive, missing
from ingress_nginx_values.cluster.local import BinariesMissing, LocalControlPlane
from ingress_nginx_values.dataplane import ImageTarball

NAMESPACE = "ingress-nginx"
POD = "ingress-nginx-controller-dataplane"
WWW_DATA = "101:82"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Ports:
    http: int
    https: int
    default_server: int
    healthz: int
    status: int
    stream: int
    profiler: int

    @classmethod
    def free(cls) -> Ports:
        return cls(*(_free_port() for _ in range(7)))

    def flags(self) -> list[str]:
        return [
            f"--http-port={self.http}", f"--https-port={self.https}",
            f"--default-server-port={self.default_server}", f"--healthz-port={self.healthz}",
            f"--status-port={self.status}", f"--stream-port={self.stream}",
            f"--profiler-port={self.profiler}",
        ]


def _inline_kubeconfig(path: Path) -> str:
    """The admin kubeconfig with its files inlined: the chroot cannot see them."""
    kubeconfig = yaml.safe_load(path.read_text())
    for cluster in kubeconfig["clusters"]:
        cluster["cluster"]["certificate-authority-data"] = base64.b64encode(
            Path(cluster["cluster"].pop("certificate-authority")).read_bytes()).decode()
    for user in kubeconfig["users"]:
        for field in ("client-certificate", "client-key"):
            user["user"][f"{field}-data"] = base64.b64encode(Path(user["user"].pop(field)).read_bytes()).decode()
    return yaml.safe_dump(kubeconfig)


@pytest.fixture(scope="module")
def control_plane() -> Iterator[LocalControlPlane]:
    try:
        with LocalControlPlane() as plane:
            yield plane
    except BinariesMissing as absent:
        missing(f"the local control plane: {absent}")


def _controller_pid(unshare_pid: int) -> int | None:
    children = Path(f"/proc/{unshare_pid}/task/{unshare_pid}/children")
    pids = children.read_text().split() if children.exists() else []
    return int(pids[0]) if pids else None


def _processes_inside(rootfs: Path) -> list[int]:
    inside = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if os.readlink(proc / "root") == str(rootfs):
                    inside.append(int(proc.name))
            except OSError:
                continue
    return inside


@dataclass(frozen=True)
class RunningController:
    ports: Ports
    rootfs: Path
    log: Path


@pytest.fixture(scope="module")
def running_controller(
    control_plane: LocalControlPlane, images: dict[str, ImageTarball], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningController]:
    if os.geteuid() != 0:
        missing("running the controller under chroot in its own mount namespace needs root")
    core = client.CoreV1Api(control_plane.api_client)
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=NAMESPACE)))
    # The controller reads its own Pod (POD_NAME/POD_NAMESPACE) for its labels.
    deadline = time.monotonic() + 30
    while not core.list_namespaced_service_account(NAMESPACE, field_selector="metadata.name=default").items:
        assert time.monotonic() < deadline, "no default ServiceAccount in the namespace"
        time.sleep(0.2)
    core.create_namespaced_pod(NAMESPACE, client.V1Pod(
        metadata=client.V1ObjectMeta(name=POD, labels={"app.kubernetes.io/name": "ingress-nginx"}),
        spec=client.V1PodSpec(containers=[client.V1Container(name="controller", image=images["controller"].reference)]),
    ))

    image = ImageArchive(images["controller"].tarball)
    work = tmp_path_factory.mktemp("controller")
    rootfs = work / "rootfs"
    image.layer.extractall(rootfs, filter="fully_trusted")
    (rootfs / "kubeconfig").write_text(_inline_kubeconfig(control_plane.kubeconfig))
    (rootfs / "kubeconfig").chmod(0o644)
    # The controller's Lua code reads the resolver from here; nothing is resolved through it.
    (rootfs / "etc" / "resolv.conf").write_text("nameserver 127.0.0.1\n")
    for mountpoint in ("proc", "dev"):
        (rootfs / mountpoint).mkdir(exist_ok=True)
    # nginx (as www-data) reopens /dev/stdout, i.e. this file: it must be www-data's.
    log = work / "controller.log"
    log.touch()
    os.chown(log, 101, 82)

    settings = image.config["config"]
    ports = Ports.free()
    command = [
        *settings["Cmd"], "--kubeconfig=/kubeconfig", *ports.flags(),
        f"--election-id={POD}", "--controller-class=k8s.io/ingress-nginx", "--ingress-class=nginx",
        f"--watch-namespace={NAMESPACE}", "--update-status=false", "--enable-metrics=true",
        "--post-shutdown-grace-period=0",
    ]
    # The mounts live in the new mount namespace only and vanish with it.
    environment = [*settings["Env"], f"POD_NAME={POD}", f"POD_NAMESPACE={NAMESPACE}"]
    script = (
        f"mount -t proc proc {shlex.quote(str(rootfs / 'proc'))} && mount --rbind /dev {shlex.quote(str(rootfs / 'dev'))} && "
        f"exec env -i {shlex.join(environment)} chroot --userspec={WWW_DATA} {shlex.quote(str(rootfs))} {shlex.join(command)}"
    )
    with log.open("ab") as out:
        unshare = subprocess.Popen(["unshare", "--mount", "--fork", "sh", "-c", script],
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    running = RunningController(ports, rootfs, log)
    try:
        yield running
    finally:
        controller = _controller_pid(unshare.pid)
        if controller is not None:
            # The controller stops nginx itself on SIGTERM.
            os.kill(controller, signal.SIGTERM)
        try:
            unshare.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(unshare.pid, signal.SIGKILL)
            unshare.wait(timeout=10)
        leftovers = _processes_inside(rootfs)
        for pid in leftovers:
            os.kill(pid, signal.SIGKILL)
        assert not leftovers, f"processes outlived the controller: {leftovers}"


def _wait_healthy(running: RunningController, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{running.ports.healthz}/healthz", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"/healthz never answered 200; controller log:\n{running.log.read_text()[-4000:]}")


def test_controller_renders_its_template_and_nginx_serves(running_controller: RunningController) -> None:
    _wait_healthy(running_controller)
    generated = (running_controller.rootfs / "etc" / "nginx" / "nginx.conf").read_text()
    # The controller's own template: its Lua code runs at init and balances upstreams.
    assert "init_by_lua_file /etc/nginx/lua/ngx_conf_init.lua;" in generated
    assert "balancer_by_lua_file /etc/nginx/lua/nginx/ngx_conf_balancer.lua;" in generated
    assert f"listen {running_controller.ports.http} default_server" in generated
    # Until the controller has posted its backends to nginx's Lua (status port), nginx
    # answers 503; then the default server's 404 (no Ingress exists).
    deadline = time.monotonic() + 60
    while (status := requests.get(f"http://127.0.0.1:{running_controller.ports.http}/", timeout=5).status_code) != 404:
        assert status == 503 and time.monotonic() < deadline, f"HTTP {status}; log:\n{running_controller.log.read_text()[-4000:]}"
        time.sleep(0.5)
    metrics = requests.get(f"http://127.0.0.1:{running_controller.ports.healthz}/metrics", timeout=5).text
    assert "nginx_ingress_controller_" in metrics
