"""The real node's own images: Go programs of tools/images built onto an empty base.

Each image is an image tarball cached outside the clone under
`${XDG_CACHE_HOME:-~/.cache}/ingress-nginx-chart/images/<name>-<key>.tar`, the key
being a hash of the sources, the Go version and the crane pin, so a second clone
on the same machine reuses it. crane needs a registry to set an image's entrypoint
(`crane mutate`), so a throwaway in-memory one (`crane registry serve`) listens
on loopback for the length of a build.
"""
from __future__ import annotations

import hashlib
import io
import os
import socket
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..dataplane import DataPlaneNotBuilt, locate_images
REPO_ROOT = Path(__file__).resolve().parents[3]
SOURCES = REPO_ROOT / "tools" / "images"
VERSIONS = REPO_ROOT / "tools" / "versions.env"


class ImageBuildFailed(RuntimeError):
    """go or crane failed; the message carries their output."""


@dataclass(frozen=True)
class NodeImage:
    name: str
    reference: str
    binary: str


@dataclass(frozen=True)
class BuiltImage:
    image: NodeImage
    tarball: Path


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ingress-nginx-chart" / "images"


def node_images(sources: Path = SOURCES) -> tuple[NodeImage, ...]:
    table = yaml.safe_load((sources / "images.yaml").read_text())
    return tuple(NodeImage(name, entry["reference"], entry["binary"]) for name, entry in table.items())


def image_by_name(name: str, sources: Path = SOURCES) -> NodeImage:
    return next(image for image in node_images(sources) if image.name == name)


def _run(args: list[str], **kwargs: object) -> str:
    result = subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        raise ImageBuildFailed(f"`{' '.join(args)}` failed:\n{result.stdout}{result.stderr}")
    return str(result.stdout)


def source_key(sources: Path = SOURCES) -> str:
    digest = hashlib.sha256()
    # What goes into the images only: other files beside them (chart overrides) may change freely.
    inputs = [p for p in sources.rglob("*") if p.suffix == ".go" or p.name in ("go.mod", "go.sum", "images.yaml")]
    for path in sorted(inputs):
        digest.update(str(path.relative_to(sources)).encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(_run(["go", "env", "GOVERSION"]).encode())
    crane_pin = [line for line in VERSIONS.read_text().splitlines() if line.startswith("crane ")]
    digest.update("\n".join(crane_pin).encode())
    return digest.hexdigest()[:16]


def _layer(binary: Path, path_in_image: str) -> bytes:
    """One layer holding the program; fixed owner and time make it reproducible."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as layer:
        info = tarfile.TarInfo(path_in_image.lstrip("/"))
        info.size = binary.stat().st_size
        info.mode = 0o755
        with binary.open("rb") as data:
            layer.addfile(info, data)
    return buffer.getvalue()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _loopback_registry(crane: Path) -> Iterator[str]:
    port = _free_port()
    address = f"127.0.0.1:{port}"
    with subprocess.Popen([str(crane), "registry", "serve", "--address", address],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as server:
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise ImageBuildFailed(f"`crane registry serve` did not listen on {address}") from None
                    time.sleep(0.05)
            yield address
        finally:
            server.terminate()


def ensure_images(crane: Path, *, sources: Path = SOURCES, cache: Path | None = None) -> tuple[BuiltImage, ...]:
    """Every node image as a tarball, built only when its cached tarball is missing."""
    cache = cache or cache_dir()
    key = source_key(sources)
    built = tuple(BuiltImage(image, cache / f"{image.name}-{key}.tar") for image in node_images(sources))
    missing = [b for b in built if not b.tarball.is_file()]
    if not missing:
        return built
    cache.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CGO_ENABLED": "0"}
    with tempfile.TemporaryDirectory(prefix="node-images-") as scratch, _loopback_registry(crane) as registry:
        for item in missing:
            workdir = Path(scratch) / item.image.name
            workdir.mkdir()
            binary = workdir / "program"
            _run(["go", "build", "-trimpath", "-ldflags=-s -w", "-o", str(binary), f"./{item.image.name}"],
                 cwd=sources, env=env)
            layer = workdir / "layer.tar"
            layer.write_bytes(_layer(binary, item.image.binary))
            staged = f"{registry}/{item.image.name}:{key}"
            _run([str(crane), "append", "--oci-empty-base", "-f", str(layer), "-t", staged])
            partial = item.tarball.with_suffix(".partial")
            _run([str(crane), "mutate", staged, f"--entrypoint={item.image.binary}",
                  "--set-platform=linux/amd64", "-t", item.image.reference, "-o", str(partial)])
            # Renamed only when complete, so a killed build never leaves a bad cache entry.
            partial.rename(item.tarball)
    return built


# The data plane's images, built by tools/dataplane (`make dataplane`).
DATAPLANE_IMAGES = ("controller", "kube-webhook-certgen")


def dataplane_tarballs() -> dict[str, Path]:
    """The data plane images of this checkout's pins, by name; empty when not built or unavailable.

    Asked of the recipe, not picked from whatever the per-machine cache holds, so a
    clone without the pinned sources does not run images another clone built.
    """
    try:
        images = locate_images()
    except DataPlaneNotBuilt:
        return {}
    return {image.name: image.tarball for image in images
            if image.name in DATAPLANE_IMAGES and image.tarball.is_file()}


def missing_dataplane() -> list[str]:
    """What keeps the data plane's images from the node, each said once; empty when they are there."""
    try:
        images = {image.name: image.tarball for image in locate_images()}
    except DataPlaneNotBuilt as not_built:
        return [str(not_built)]
    return [f"the data plane's {name} image (not in {images.get(name, 'the recipe index')}; run make dataplane)"
            for name in DATAPLANE_IMAGES if name not in images or not images[name].is_file()]


def chart_overrides(sources: Path = SOURCES) -> dict[str, object]:
    """What every install on the local node adds: no digests, pull policies, the default backend's local name."""
    loaded: dict[str, object] = yaml.safe_load((sources / "chart-overrides.yaml").read_text())
    return loaded
