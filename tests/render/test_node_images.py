"""The local node's images carry the references the chart renders, and the local
install overrides change nothing but image digests and pull policies."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ingress_nginx_values.cluster.images import chart_overrides, image_by_name
from manifests import Manifests


def _images(manifests: Manifests) -> set[str]:
    return {
        container["image"]
        for obj in manifests.objects if obj["kind"] in ("Deployment", "DaemonSet", "Job")
        for container in obj["spec"]["template"]["spec"]["containers"]
    }


def test_default_backend_image_is_what_the_chart_renders(render: Callable[..., Manifests]) -> None:
    assert image_by_name("defaultbackend").reference in _images(render({"defaultBackend": {"enabled": True}}))


def test_local_overrides_drop_only_digests(render: Callable[..., Manifests]) -> None:
    values: dict[str, Any] = {"defaultBackend": {"enabled": True}}
    upstream = _images(render(values))
    local = _images(render({**values, **chart_overrides(), "defaultBackend": {
        "enabled": True, **chart_overrides()["defaultBackend"]}}))  # type: ignore[dict-item]
    assert local == {image.split("@", 1)[0] for image in upstream}
    assert all("@" not in image for image in local)
