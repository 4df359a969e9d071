"""Refused default backend values, and the neighbouring ones that must still render."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from manifests import Render

RenderError = Callable[..., str]

NAME = "ingress-nginx-defaultbackend"


def backend(enabled: bool = True, **values: Any) -> dict[str, Any]:
    return {"defaultBackend": {"enabled": enabled, **values}}


def test_min_replicas_above_max_is_refused(render_error: RenderError) -> None:
    message = render_error(backend(autoscaling={"enabled": True, "minReplicas": 4, "maxReplicas": 3}))
    assert (
        "defaultBackend.autoscaling.minReplicas: 4 is greater than defaultBackend.autoscaling.maxReplicas (3), "
        "which the HorizontalPodAutoscaler refuses. Lower minReplicas or raise maxReplicas."
    ) in message


def test_min_replicas_equal_to_max_renders(render: Render) -> None:
    hpa = render(backend(autoscaling={"enabled": True, "minReplicas": 3, "maxReplicas": 3})).get(
        "HorizontalPodAutoscaler", NAME)
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (3, 3)


@pytest.mark.parametrize(
    "values",
    [
        backend(autoscaling={"enabled": False, "minReplicas": 4, "maxReplicas": 3}),
        backend(enabled=False, autoscaling={"enabled": True, "minReplicas": 4, "maxReplicas": 3}),
    ],
    ids=["autoscaling-off", "backend-off"],
)
def test_unused_autoscaling_bounds_are_not_checked(render: Render, values: dict[str, Any]) -> None:
    assert render(values).find("HorizontalPodAutoscaler", NAME) is None


def test_extra_config_map_with_empty_name_is_refused(render_error: RenderError) -> None:
    message = render_error(backend(extraConfigMaps=[{"name": "pages"}, {"name": "", "data": {"a": "b"}}]))
    assert (
        "defaultBackend.extraConfigMaps[1].name: the item has no name, and a ConfigMap cannot be created "
        "without one. Give every item of defaultBackend.extraConfigMaps a name."
    ) in message


def test_extra_config_map_without_name_is_refused(render_error: RenderError) -> None:
    # The schema requires the key and may answer first; the template check backs it up.
    message = render_error(backend(extraConfigMaps=[{"data": {"a": "b"}}]))
    assert "extraConfigMaps" in message
    assert "name" in message


def test_named_extra_config_maps_render(render: Render) -> None:
    manifests = render(backend(extraConfigMaps=[{"name": "pages"}, {"name": "more", "data": {"a": "b"}}]))
    manifests.get("ConfigMap", "pages")
    manifests.get("ConfigMap", "more")


def test_extra_config_maps_are_not_checked_when_backend_is_off(render: Render) -> None:
    manifests = render(backend(enabled=False, extraConfigMaps=[{"name": "", "data": {"a": "b"}}]))
    assert all(
        obj["metadata"]["labels"].get("app.kubernetes.io/component") != "default-backend"
        for obj in manifests.of_kind("ConfigMap")
    )
