"""The local node's images carry the references the chart renders with the local
install overrides, and those overrides change nothing but image digests, pull
policies and the default backend's name."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ingress_nginx_values.cluster.images import chart_overrides, image_by_name
from manifests import Manifests, container

BACKEND = ("Deployment", "ingress-nginx-defaultbackend")


def _images(manifests: Manifests) -> set[str]:
    return {
        container["image"]
        for obj in manifests.objects if obj["kind"] in ("Deployment", "DaemonSet", "Job")
        for container in obj["spec"]["template"]["spec"]["containers"]
    }


def _local(render: Callable[..., Manifests]) -> Manifests:
    overrides = chart_overrides()
    backend: dict[str, Any] = overrides["defaultBackend"]  # type: ignore[assignment]
    return render({**overrides, "defaultBackend": {"enabled": True, **backend}})


def test_default_backend_image_is_what_the_chart_renders_locally(render: Callable[..., Manifests]) -> None:
    backend = container(_local(render).get(*BACKEND), "ingress-nginx-default-backend")
    assert backend["image"] == image_by_name("defaultbackend").reference


def test_local_overrides_drop_only_digests(render: Callable[..., Manifests]) -> None:
    """Every other image keeps its reference; the default backend goes by the node's own name,
    as the chart pins registry.k8s.io/defaultbackend-amd64:1.5 to the published image's digest."""
    chart = render({"defaultBackend": {"enabled": True}})
    chart_backend = container(chart.get(*BACKEND), "ingress-nginx-default-backend")["image"]
    assert "@sha256:" in chart_backend
    local = _images(_local(render))
    assert all("@" not in image for image in local)
    others = {image.split("@", 1)[0] for image in _images(chart) - {chart_backend}}
    assert local == others | {image_by_name("defaultbackend").reference}
