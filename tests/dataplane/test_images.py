"""The image tarballs: tagged as the chart renders its images, upstream's layout,
owners and file capabilities, and a root filesystem that runs on its own."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dataplane.support import ImageArchive, missing
from ingress_nginx_values.dataplane import ImageTarball
from manifests import Manifests
from paths import ROOT

IMAGES_TSV = ROOT / "tools" / "dataplane" / "images.tsv"
CAPABILITY = "SCHILY.xattr.security.capability"
WWW_DATA = (101, 82)


def _pinned_references() -> dict[str, str]:
    rows = [line.split("\t") for line in IMAGES_TSV.read_text().splitlines() if line and not line.startswith("#")]
    return {name: reference for name, reference in rows}


def test_image_references_are_what_the_chart_renders(render: Callable[..., Manifests]) -> None:
    manifests = render({})
    controller_image = manifests.controller()["spec"]["template"]["spec"]["containers"][0]["image"]
    certgen_images = {
        container["image"]
        for job in manifests.of_kind("Job")
        for container in job["spec"]["template"]["spec"]["containers"]
    }
    rendered = {"controller": controller_image.split("@")[0], "kube-webhook-certgen": {i.split("@")[0] for i in certgen_images}}
    pinned = _pinned_references()
    assert pinned["controller"] == rendered["controller"]
    assert {pinned["kube-webhook-certgen"]} == rendered["kube-webhook-certgen"]


@pytest.fixture(scope="module")
def controller(images: dict[str, ImageTarball]) -> ImageArchive:
    return ImageArchive(images["controller"].tarball)


@pytest.fixture(scope="module")
def certgen(images: dict[str, ImageTarball]) -> ImageArchive:
    return ImageArchive(images["kube-webhook-certgen"].tarball)


def test_index_lists_the_pinned_references(images: dict[str, ImageTarball]) -> None:
    assert {name: image.reference for name, image in images.items()} == _pinned_references()
    for image in images.values():
        assert image.tarball.is_file()


def test_tags_and_settings_follow_upstream(images: dict[str, ImageTarball], controller: ImageArchive, certgen: ImageArchive) -> None:
    assert controller.manifest["RepoTags"] == [images["controller"].reference]
    assert certgen.manifest["RepoTags"] == [images["kube-webhook-certgen"].reference]
    settings: dict[str, Any] = controller.config["config"]
    assert settings["Entrypoint"] == ["/usr/bin/dumb-init", "--"]
    assert settings["Cmd"] == ["/nginx-ingress-controller"]
    assert settings["User"] == "www-data"
    assert settings["WorkingDir"] == "/etc/nginx"
    env = dict(item.split("=", 1) for item in settings["Env"])
    assert "/usr/local/lib/lua/?.lua" in env["LUA_PATH"]
    assert (controller.config["os"], controller.config["architecture"]) == ("linux", "amd64")
    assert certgen.config["config"]["Entrypoint"] == ["/kube-webhook-certgen"]
    assert certgen.config["config"]["User"] == "65532:65532"


def test_controller_layout_owners_and_capabilities(controller: ImageArchive) -> None:
    for path in ("etc/nginx/template/nginx.tmpl", "etc/nginx/lua/balancer.lua", "etc/nginx/lua/lua_ingress.lua",
                 "usr/local/lib/lua/resty/chash.lua", "usr/local/lib/lua/librestychash.so",
                 "usr/local/lib/lua/5.1/cjson.so", "dbg", "wait-shutdown", "etc/passwd", "etc/nsswitch.conf"):
        controller.member(path)
    for directory in ("etc/ingress-controller/ssl", "etc/ingress-controller/auth", "etc/ingress-controller/geoip",
                      "etc/ingress-controller/telemetry", "tmp/nginx", "var/log/nginx", "var/lib/nginx/body"):
        member = controller.member(directory)
        assert member.isdir() and (member.uid, member.gid) == WWW_DATA, directory
    assert "www-data:x:101:82:" in controller.text("etc/passwd")
    for binary in ("nginx-ingress-controller", "usr/local/nginx/sbin/nginx", "usr/bin/dumb-init"):
        assert CAPABILITY in controller.member(binary).pax_headers, f"{binary} lacks cap_net_bind_service"
    assert controller.member("var/log/nginx/error.log").linkname == "/dev/stderr"


@pytest.mark.usefixtures("root_user")
def test_controller_rootfs_runs_on_its_own(controller: ImageArchive, tmp_path: Path) -> None:
    """No base image: the layer must carry every library its programs load."""
    controller.layer.extractall(tmp_path, filter="fully_trusted")
    nginx = subprocess.run(["chroot", str(tmp_path), "/usr/local/nginx/sbin/nginx", "-V"], capture_output=True, text=True, check=False)
    assert nginx.returncode == 0 and "nginx/1.27.1" in nginx.stderr, nginx.stderr
    luajit = subprocess.run(["chroot", str(tmp_path), "/usr/local/bin/luajit", "-e", "print(require('cjson').encode({1}))"],
                            capture_output=True, text=True, check=False)
    assert luajit.stdout.strip() == "[1]", luajit.stderr
    version = subprocess.run(["chroot", str(tmp_path), "/nginx-ingress-controller", "--version"],
                             capture_output=True, text=True, check=False)
    assert "v1.15.1" in version.stdout + version.stderr
    init = subprocess.run(["chroot", str(tmp_path), "/usr/bin/dumb-init", "--", "/usr/bin/diff", "--version"],
                          capture_output=True, text=True, check=False)
    assert init.returncode == 0, init.stderr


@pytest.fixture
def private_containerd(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A containerd of its own (socket, root and state in tmp_path, no CRI plugin):
    only image import and unpack, nothing that touches the host's network."""
    binaries = {name: shutil.which(name, path=f"{ROOT / '.tools' / 'bin'}:{os.environ['PATH']}") for name in ("containerd", "ctr")}
    absent = [name for name, found in binaries.items() if found is None]
    if absent:
        missing(f"{' and '.join(absent)} not installed: needed to prove the tarballs import")
    root = tmp_path / "containerd"
    socket = root / "containerd.sock"
    config = tmp_path / "config.toml"
    config.write_text(
        f'version = 2\nroot = "{root / "root"}"\nstate = "{root / "state"}"\n'
        f'disabled_plugins = ["io.containerd.grpc.v1.cri"]\n[grpc]\n  address = "{socket}"\n'
    )
    log = (tmp_path / "containerd.log").open("w")
    process = subprocess.Popen([str(binaries["containerd"]), "--config", str(config)], stdout=log, stderr=log, start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        while not socket.exists():
            assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "containerd.log").read_text()
            time.sleep(0.1)
        yield str(binaries["ctr"]), socket
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
        log.close()
        # The overlayfs snapshotter mounts nothing for import, but say so if it did.
        assert str(root) not in Path("/proc/self/mounts").read_text()


@pytest.mark.usefixtures("root_user")
def test_containerd_imports_the_tarballs_and_keeps_the_capability(
    images: dict[str, ImageTarball], private_containerd: tuple[str, Path], tmp_path: Path
) -> None:
    ctr, socket = private_containerd
    base = [ctr, "--address", str(socket), "--namespace", "k8s.io"]
    for image in images.values():
        subprocess.run([*base, "images", "import", str(image.tarball)], check=True, capture_output=True)
    listed = subprocess.run([*base, "images", "ls", "-q"], check=True, capture_output=True, text=True).stdout.split()
    assert sorted(listed) == sorted(image.reference for image in images.values())
    # The unpacked snapshot carries the file capability the kubelet's container needs.
    unpacked = list((tmp_path / "containerd" / "root").glob("io.containerd.snapshotter.v1.*/snapshots/*/fs/usr/local/nginx/sbin/nginx"))
    assert unpacked, "containerd did not unpack the controller image"
    caps = subprocess.run(["getcap", str(unpacked[0])], check=True, capture_output=True, text=True).stdout
    assert "cap_net_bind_service=ep" in caps
