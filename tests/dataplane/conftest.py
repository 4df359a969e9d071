"""The data plane tier: the nginx, Lua libraries, controller binaries and images
that tools/dataplane builds from the pinned sources (`make dataplane`).

When they are not built the tests skip naming what is missing; under CI=true
they fail instead, because CI builds them first.
"""
from __future__ import annotations

import os

import pytest

from dataplane.support import missing
from ingress_nginx_values.dataplane import DataPlane, DataPlaneNotBuilt, ImageTarball, locate_dataplane, locate_images


@pytest.fixture(scope="session")
def dataplane() -> DataPlane:
    try:
        return locate_dataplane()
    except DataPlaneNotBuilt as not_built:
        missing(str(not_built))


@pytest.fixture(scope="session")
def images(dataplane: DataPlane) -> dict[str, ImageTarball]:
    try:
        return {image.name: image for image in locate_images()}
    except DataPlaneNotBuilt as not_built:
        missing(str(not_built))


@pytest.fixture(scope="session")
def root_user() -> None:
    if os.geteuid() != 0:
        missing("running an image's root filesystem needs root (chroot)")
