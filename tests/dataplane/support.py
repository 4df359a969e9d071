"""Shared by the data plane tier: what to do when a piece is absent, and reading an image tarball."""
from __future__ import annotations

import io
import json
import os
import tarfile
from pathlib import Path
from typing import NoReturn

import pytest


def missing(what: str) -> NoReturn:
    """Fails under CI=true (nothing may skip there), skips otherwise, naming `what`."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} (CI=true: the data plane tier must run)")
    pytest.skip(what)


def pinned_sources(repo_root: Path) -> str:
    """The text of ../shared/third_party/SOURCES.tsv, which the data plane is built from."""
    sources = repo_root.parent / "shared" / "third_party" / "SOURCES.tsv"
    if not sources.is_file():
        missing(f"{sources} is absent: the data plane's pinned sources live beside the clone")
    return sources.read_text()


class ImageArchive:
    """A docker-format image tarball as crane writes it: manifest, config, one layer."""

    def __init__(self, path: Path) -> None:
        self._outer = tarfile.open(path)
        self.manifest = json.loads(self._read(self._outer, "manifest.json"))[0]
        self.config = json.loads(self._read(self._outer, self.manifest["Config"]))
        (layer_name,) = self.manifest["Layers"]
        self.layer = tarfile.open(fileobj=io.BytesIO(self._read(self._outer, layer_name)))
        self.members = {member.name.removeprefix("./"): member for member in self.layer.getmembers()}

    @staticmethod
    def _read(archive: tarfile.TarFile, name: str) -> bytes:
        extracted = archive.extractfile(name)
        assert extracted is not None, name
        return extracted.read()

    def text(self, path: str) -> str:
        return self._read(self.layer, self.member(path).name).decode()

    def member(self, path: str) -> tarfile.TarInfo:
        assert path in self.members, f"{path} is not in the image"
        return self.members[path]
