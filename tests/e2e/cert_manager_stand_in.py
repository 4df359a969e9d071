"""What cert-manager and its cainjector would do for a release's admission webhook.

One node runs no operators, so cert-manager's kinds are stub CRDs (stored, nothing
acts on them). This issues the admission Certificate's Secret from a CA of our own
and injects that CA into the release's webhook, so the controller serves TLS and
the API server trusts it, as with the real operator.
"""
from __future__ import annotations

import base64
from pathlib import Path

from kubernetes import client

from ingress_nginx_values.cluster.certs import CertificateAuthority


def _encoded(path: Path) -> str:
    return base64.b64encode(path.read_bytes()).decode()


def issue_admission_certificate(api: client.ApiClient, namespace: str, release: str, workdir: Path) -> None:
    certificates = client.CustomObjectsApi(api).list_namespaced_custom_object(
        "cert-manager.io", "v1", namespace, "certificates")["items"]
    admission = next(c["spec"] for c in certificates if c["spec"].get("dnsNames"))
    names = tuple(admission["dnsNames"])
    authority = CertificateAuthority.create(workdir, "stand-in-for-cert-manager")
    leaf = authority.issue("admission", names[0], server_names=names)
    client.CoreV1Api(api).create_namespaced_secret(namespace, client.V1Secret(
        metadata=client.V1ObjectMeta(name=admission["secretName"]), type="kubernetes.io/tls",
        data={"ca.crt": _encoded(authority.pair.cert), "tls.crt": _encoded(leaf.cert), "tls.key": _encoded(leaf.key)}))
    admissions = client.AdmissionregistrationV1Api(api)
    for webhook in admissions.list_validating_webhook_configuration(
            label_selector=f"app.kubernetes.io/instance={release}").items:
        assert "cert-manager.io/inject-ca-from" in (webhook.metadata.annotations or {}), webhook.metadata.name
        for hook in webhook.webhooks:
            hook.client_config.ca_bundle = _encoded(authority.pair.cert)
        admissions.replace_validating_webhook_configuration(webhook.metadata.name, webhook)
