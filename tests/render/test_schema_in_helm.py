"""Helm 3 and Helm 4 enforce values.schema.json: typical mistakes are refused with
the key's path in the message, upstream values files are accepted."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml

from manifests import Manifests
from paths import SEED_VALUES as SEED

HELMS = ("helm3", "helm4")

# (values, the instance path Helm prints, a word of the message)
MISTAKES = [
    pytest.param({"controller": {"hostNetwrok": True}}, "/controller", "hostNetwrok", id="misspelt-key"),
    pytest.param({"controller": {"kind": "Daemonset"}}, "/controller/kind", "Deployment", id="kind-case"),
    pytest.param({"controller": {"service": {"type": "loadBalancer"}}}, "/controller/service/type", "LoadBalancer", id="service-type-case"),
    pytest.param({"controller": {"resources": {"requests": {"memory": "90MB"}}}}, "/controller/resources/requests/memory", "90MB", id="bad-quantity"),
    pytest.param({"controller": {"service": {"loadBalancerSourceRanges": ["10.0.0.0/33"]}}}, "/controller/service/loadBalancerSourceRanges/0", "10.0.0.0/33", id="bad-cidr"),
    pytest.param({"controller": {"ingressClassResource": {"controllerValue": "ingress-nginx"}}}, "/controller/ingressClassResource/controllerValue", "ingress-nginx", id="bad-controller-value"),
    pytest.param({"controller": {"service": {"ports": {"https": 70000}}}}, "/controller/service/ports/https", "65", id="port-70000"),
    pytest.param({"tcp": {"8080": "svc:8080"}}, "/tcp/8080", "svc:8080", id="tcp-without-namespace"),
    pytest.param({"controller": {"admissionWebhooks": {"service": {"clusterIP": "webhook"}}}},
                 "/controller/admissionWebhooks/service/clusterIP", "webhook", id="cluster-ip-not-an-address"),
    pytest.param({"defaultBackend": {"service": {"externalIPs": ["010.0.0.1"]}}},
                 "/defaultBackend/service/externalIPs/0", "010.0.0.1", id="external-ip-leading-zero"),
]


@pytest.mark.parametrize("helm", HELMS)
@pytest.mark.parametrize(("values", "path", "mentions"), MISTAKES)
def test_helm_refuses_mistake_with_its_path(
    render_error: Callable[..., str], helm: str, values: dict[str, Any], path: str, mentions: str
) -> None:
    message = render_error(values, helm=helm)
    assert "schema" in message, message
    assert f"'{path}'" in message, message
    assert mentions in message, message


@pytest.mark.parametrize("helm", HELMS)
def test_helm_accepts_the_seed_values_file(render: Callable[..., Manifests], helm: str) -> None:
    seed = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    render(seed, helm=helm)


@pytest.mark.parametrize("helm", HELMS)
def test_helm_accepts_upstream_idioms(render: Callable[..., Manifests], helm: str) -> None:
    render(
        {
            "controller": {
                "image": {"digest": None},
                "config": {"use-forwarded-headers": True, "worker-processes": 4},
                # Headless: the API server allows clusterIP None on a ClusterIP Service only.
                "service": {"targetPorts": {"http": "8080", "https": 8443}, "type": "ClusterIP", "clusterIP": "None"},
                "admissionWebhooks": {"service": {"clusterIP": "10.96.0.20"}},
            },
            "tcp": {"8080": "default/svc:8080"},
        },
        helm=helm,
    )
