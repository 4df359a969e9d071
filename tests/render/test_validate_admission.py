"""Refused admission webhook values, and the neighbouring ones that must still render."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from manifests import Render

RenderError = Callable[..., str]


def cert_manager(issuer_ref: dict[str, Any], *, enabled: bool = True) -> dict[str, Any]:
    return {"controller": {"admissionWebhooks": {"certManager": {"enabled": enabled, "issuerRef": issuer_ref}}}}


def test_issuer_ref_without_name_is_refused(render_error: RenderError) -> None:
    message = render_error(cert_manager({"kind": "ClusterIssuer"}))
    assert "controller.admissionWebhooks.certManager.issuerRef.name: an issuerRef is given without the name" in message
    assert "Set issuerRef.name" in message


@pytest.mark.parametrize(
    "issuer_ref",
    [{"name": "corp-ca", "kind": "ClusterIssuer"}, {"name": "local-ca"}, {}],
    ids=["name-and-kind", "name-only", "empty"],
)
def test_usable_issuer_refs_render(render: Render, issuer_ref: dict[str, Any]) -> None:
    render(cert_manager(issuer_ref)).get("Certificate", "ingress-nginx-admission")


def test_issuer_ref_is_not_checked_when_cert_manager_is_off(render: Render) -> None:
    manifests = render(cert_manager({"kind": "ClusterIssuer"}, enabled=False))
    manifests.get("Job", "ingress-nginx-admission-create")


def test_issuer_ref_is_not_checked_when_webhook_is_off(render: Render) -> None:
    values = cert_manager({"kind": "ClusterIssuer"})
    values["controller"]["admissionWebhooks"]["enabled"] = False
    assert render(values).of_kind("ValidatingWebhookConfiguration") == []


def test_webhook_without_any_certificate_source_is_left_to_the_linter(render: Render) -> None:
    # Legal but not working without a Secret made by hand: the chart does not refuse it.
    manifests = render({"controller": {"admissionWebhooks": {"patch": {"enabled": False}}}})
    manifests.get("ValidatingWebhookConfiguration", "ingress-nginx-admission")
    assert manifests.of_kind("Job") == []
    assert manifests.of_kind("Certificate") == []


def test_cert_manager_with_patch_jobs_enabled_renders(render: Render) -> None:
    manifests = render({"controller": {"admissionWebhooks": {
        "certManager": {"enabled": True}, "patch": {"enabled": True},
    }}})
    manifests.get("Certificate", "ingress-nginx-admission")
    assert manifests.of_kind("Job") == []
