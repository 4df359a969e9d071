"""Where the data plane built by tools/dataplane lives: its file tree and its images.

The build itself is a shell recipe (tools/dataplane/); this module only asks the
recipe, in its `--locate` mode, for the cache paths of the current pins, so Python
and the recipe never disagree about the cache key.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
RECIPE = REPO_ROOT / "tools" / "dataplane"
# What the recipe's --locate mode exits with when the pinned build is not in the cache.
NOT_BUILT_EXIT = 3


class DataPlaneNotBuilt(RuntimeError):
    """The data plane (or its images) of the current pins is not in the cache, or
    cannot be built on this machine because its pinned sources are absent."""


@dataclass(frozen=True)
class DataPlane:
    """The built tree: `rootfs/` holds the controller image's files at their image paths."""

    tree: Path

    @property
    def rootfs(self) -> Path:
        return self.tree / "rootfs"

    @property
    def nginx(self) -> Path:
        return self.rootfs / "usr" / "local" / "nginx" / "sbin" / "nginx"

    @property
    def lua_lib_dir(self) -> Path:
        return self.rootfs / "usr" / "local" / "lib" / "lua"

    @property
    def controller(self) -> Path:
        return self.rootfs / "nginx-ingress-controller"

    @property
    def certgen(self) -> Path:
        return self.tree / "certgen-rootfs" / "kube-webhook-certgen"


@dataclass(frozen=True)
class ImageTarball:
    """An image tarball that `ctr -n k8s.io images import` loads, tagged `reference`."""

    name: str
    reference: str
    tarball: Path


def _locate(script: str) -> Path:
    # Without the pinned sources the recipe cannot even compute its cache key;
    # available.sh says so in the words `make dataplane` prints.
    sources = subprocess.run(["bash", str(RECIPE / "available.sh")], capture_output=True, text=True, check=False)
    if sources.returncode != 0:
        raise DataPlaneNotBuilt(sources.stderr.strip())
    result = subprocess.run(
        ["bash", str(RECIPE / script), "--locate"], capture_output=True, text=True, check=False
    )
    if result.returncode == NOT_BUILT_EXIT:
        raise DataPlaneNotBuilt(result.stderr.strip())
    if result.returncode != 0:
        raise RuntimeError(f"tools/dataplane/{script} --locate failed: {result.stderr.strip()}")
    return Path(result.stdout.strip().splitlines()[-1])


def locate_dataplane() -> DataPlane:
    """The tree of the current pins; DataPlaneNotBuilt names what to run when missing."""
    return DataPlane(_locate("dataplane.sh"))


def locate_images() -> tuple[ImageTarball, ...]:
    """The image tarballs of the current pins, from the recipe's index file."""
    index = _locate("images.sh")
    images = []
    for line in index.read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, reference, tarball = line.split("\t")
        images.append(ImageTarball(name, reference, Path(tarball)))
    return tuple(images)
