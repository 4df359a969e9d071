"""cert-manager instead of the certgen Jobs for the admission webhook certificate."""
from __future__ import annotations

from typing import Any

from manifests import Render


INJECT = "cert-manager.io/inject-ca-from"
LEGACY_INJECT = "certmanager.k8s.io/inject-ca-from"
CERTGEN = (
    ("Job", "ingress-nginx-admission-create"),
    ("Job", "ingress-nginx-admission-patch"),
    ("ServiceAccount", "ingress-nginx-admission"),
    ("Role", "ingress-nginx-admission"),
    ("RoleBinding", "ingress-nginx-admission"),
    ("ClusterRole", "ingress-nginx-admission"),
    ("ClusterRoleBinding", "ingress-nginx-admission"),
    ("NetworkPolicy", "ingress-nginx-admission"),
)


def cert_manager(values: dict[str, Any] | None = None, **webhooks: Any) -> dict[str, Any]:
    return {"controller": {"admissionWebhooks": {
        "certManager": {"enabled": True, **(values or {})},
        "patch": {"networkPolicy": {"enabled": True}},
        **webhooks,
    }}}


def test_no_certgen_objects(render: Render) -> None:
    manifests = render(cert_manager())
    for kind, name in CERTGEN:
        assert manifests.find(kind, name) is None, kind
    assert manifests.of_kind("Job") == []


def test_own_ca_chain(render: Render) -> None:
    manifests = render(cert_manager())
    self_signed = manifests.get("Issuer", "ingress-nginx-self-signed-issuer")
    assert self_signed["apiVersion"] == "cert-manager.io/v1"
    assert self_signed["metadata"]["namespace"] == "ingress-nginx"
    assert self_signed["spec"] == {"selfSigned": {}}
    root = manifests.get("Certificate", "ingress-nginx-root-cert")
    assert root["spec"]["secretName"] == "ingress-nginx-root-cert"
    assert root["spec"]["isCA"] is True
    assert root["spec"]["duration"] == "43800h0m0s"
    assert root["spec"]["issuerRef"]["name"] == "ingress-nginx-self-signed-issuer"
    assert "revisionHistoryLimit" not in root["spec"]
    root_issuer = manifests.get("Issuer", "ingress-nginx-root-issuer")
    assert root_issuer["spec"] == {"ca": {"secretName": "ingress-nginx-root-cert"}}


def test_serving_certificate(render: Render) -> None:
    serving = render(cert_manager()).get("Certificate", "ingress-nginx-admission")
    assert serving["metadata"]["namespace"] == "ingress-nginx"
    spec = serving["spec"]
    # The Secret the controller pod mounts.
    assert spec["secretName"] == "ingress-nginx-admission"
    assert spec["duration"] == "8760h0m0s"
    assert spec["issuerRef"]["name"] == "ingress-nginx-root-issuer"
    assert spec["dnsNames"] == [
        "ingress-nginx-controller-admission",
        "ingress-nginx-controller-admission.ingress-nginx",
        "ingress-nginx-controller-admission.ingress-nginx.svc",
    ]
    assert "revisionHistoryLimit" not in spec


def test_webhook_gets_ca_injection_annotation(render: Render) -> None:
    config = render(cert_manager()).get("ValidatingWebhookConfiguration", "ingress-nginx-admission")
    # Both keys, the pre-1.0 one too, as upstream writes them.
    assert config["metadata"]["annotations"] == {
        INJECT: "ingress-nginx/ingress-nginx-admission", LEGACY_INJECT: "ingress-nginx/ingress-nginx-admission",
    }
    assert config["webhooks"][0]["clientConfig"]["service"]["name"] == "ingress-nginx-controller-admission"


def test_annotation_joins_user_annotations_and_user_value_wins(render: Render) -> None:
    joined = render(cert_manager(annotations={"example.com/a": "b"}))
    assert joined.get("ValidatingWebhookConfiguration", "ingress-nginx-admission")["metadata"]["annotations"] == {
        "example.com/a": "b", INJECT: "ingress-nginx/ingress-nginx-admission",
        LEGACY_INJECT: "ingress-nginx/ingress-nginx-admission",
    }
    own = render(cert_manager(annotations={INJECT: "certs/shared"}))
    config = own.get("ValidatingWebhookConfiguration", "ingress-nginx-admission")
    assert config["metadata"]["annotations"] == {INJECT: "certs/shared"}


def test_durations_and_revision_history(render: Render) -> None:
    manifests = render(cert_manager({
        "rootCert": {"duration": "87600h", "revisionHistoryLimit": 2},
        "admissionCert": {"duration": "720h", "revisionHistoryLimit": 5},
    }))
    root = manifests.get("Certificate", "ingress-nginx-root-cert")["spec"]
    assert (root["duration"], root["revisionHistoryLimit"]) == ("87600h", 2)
    serving = manifests.get("Certificate", "ingress-nginx-admission")["spec"]
    assert (serving["duration"], serving["revisionHistoryLimit"]) == ("720h", 5)


def test_own_issuer_replaces_the_ca_chain(render: Render) -> None:
    manifests = render(cert_manager({"issuerRef": {"name": "corp-ca", "kind": "ClusterIssuer"}}))
    assert manifests.of_kind("Issuer") == []
    assert manifests.find("Certificate", "ingress-nginx-root-cert") is None
    serving = manifests.get("Certificate", "ingress-nginx-admission")
    assert serving["spec"]["issuerRef"] == {"name": "corp-ca", "kind": "ClusterIssuer"}


def test_names_follow_release_namespace_and_override(render: Render) -> None:
    manifests = render({"namespaceOverride": "certs", **cert_manager()}, release="edge", namespace="web")
    serving = manifests.get("Certificate", "edge-ingress-nginx-admission")
    assert serving["metadata"]["namespace"] == "certs"
    assert serving["spec"]["dnsNames"][2] == "edge-ingress-nginx-controller-admission.certs.svc"
    config = manifests.get("ValidatingWebhookConfiguration", "edge-ingress-nginx-admission")
    assert config["metadata"]["annotations"][INJECT] == "certs/edge-ingress-nginx-admission"


def test_with_patch_disabled_too(render: Render) -> None:
    manifests = render(cert_manager(patch={"enabled": False}))
    manifests.get("Certificate", "ingress-nginx-admission")
    assert manifests.of_kind("Job") == []


def test_nothing_when_webhook_disabled(render: Render) -> None:
    manifests = render(cert_manager(enabled=False))
    assert manifests.of_kind("Certificate") == []
    assert manifests.of_kind("Issuer") == []
    assert manifests.of_kind("ValidatingWebhookConfiguration") == []


def test_helm4_renders_the_same(render: Render) -> None:
    helm3 = render(cert_manager())
    helm4 = render(cert_manager(), helm="helm4")
    for kind in ("Certificate", "Issuer", "ValidatingWebhookConfiguration"):
        assert helm4.of_kind(kind) == helm3.of_kind(kind), kind
