"""The controller ConfigMap, the tcp/udp and headers ConfigMaps and the dhparam Secret."""
from __future__ import annotations


import pytest

from manifests import Manifests, Render



def controller_config(manifests: Manifests) -> dict[str, str]:
    return manifests.get("ConfigMap", "ingress-nginx-controller")["data"]


@pytest.mark.parametrize("helm", ["helm3", "helm4"])
def test_default_controller_configmap(render: Render, helm: str) -> None:
    manifests = render({}, helm=helm)
    config_map = manifests.get("ConfigMap", "ingress-nginx-controller")
    assert config_map["metadata"]["namespace"] == "ingress-nginx"
    assert config_map["metadata"]["labels"]["app.kubernetes.io/component"] == "controller"
    assert "annotations" not in config_map["metadata"]
    # Upstream writes allow-snippet-annotations only when it is on.
    assert not config_map.get("data")
    names = {name for kind, name in manifests.index() if kind in ("ConfigMap", "Secret")}
    for absent in ("ingress-nginx-tcp", "ingress-nginx-udp", "ingress-nginx-custom-add-headers",
                   "ingress-nginx-custom-proxy-headers"):
        assert absent not in names
    assert manifests.find("Secret", "ingress-nginx-controller") is None


@pytest.mark.parametrize("helm", ["helm3", "helm4"])
def test_config_values_become_strings(render: Render, helm: str) -> None:
    values = {
        "controller": {
            "allowSnippetAnnotations": True,
            "config": {
                "use-forwarded-headers": True,
                "enable-brotli": False,
                "worker-processes": 4,
                "proxy-body-size": "8m",
                "max-worker-connections": 1000000,
                "ratio": 0.5,
                "server-name": "{{ .Release.Name }}.example.com",
            },
            "configAnnotations": {"owner": "edge"},
        }
    }
    config_map = render(values, helm=helm).get("ConfigMap", "ingress-nginx-controller")
    assert config_map["data"] == {
        "allow-snippet-annotations": "true",
        "use-forwarded-headers": "true",
        "enable-brotli": "false",
        "worker-processes": "4",
        "proxy-body-size": "8m",
        "max-worker-connections": "1000000",
        "ratio": "0.5",
        "server-name": "ingress-nginx.example.com",
    }
    assert config_map["metadata"]["annotations"] == {"owner": "edge"}


def test_headers_configmaps_and_references(render: Render) -> None:
    values = {
        "controller": {
            "addHeaders": {"X-Frame-Options": "DENY"},
            "proxySetHeaders": {"X-Request-Start": "t=${msec}", "X-Count": "3"},
        }
    }
    manifests = render(values, namespace="edge")
    assert controller_config(manifests)["add-headers"] == "edge/ingress-nginx-custom-add-headers"
    assert controller_config(manifests)["proxy-set-headers"] == "edge/ingress-nginx-custom-proxy-headers"
    add = manifests.get("ConfigMap", "ingress-nginx-custom-add-headers")
    assert add["data"] == {"X-Frame-Options": "DENY"}
    assert add["metadata"]["namespace"] == "edge"
    proxy = manifests.get("ConfigMap", "ingress-nginx-custom-proxy-headers")
    assert proxy["data"] == {"X-Request-Start": "t=${msec}", "X-Count": "3"}


def test_dhparam_secret(render: Render) -> None:
    manifests = render({"dhParam": "LS0tLS1CRUdJTg=="})
    assert controller_config(manifests)["ssl-dh-param"] == "ingress-nginx/ingress-nginx-controller"
    secret = manifests.get("Secret", "ingress-nginx-controller")
    assert secret["data"] == {"dhparam.pem": "LS0tLS1CRUdJTg=="}
    assert secret["metadata"]["namespace"] == "ingress-nginx"


@pytest.mark.parametrize(
    ("protocol", "entries"),
    [
        ("tcp", {"9000": "apps/db:5432", "9001": "apps/cache:6379:PROXY"}),
        ("udp", {"53": "kube-system/dns:53", "5353": "apps/mdns:5353"}),
    ],
)
def test_stream_configmap(render: Render, protocol: str, entries: dict[str, str]) -> None:
    values = {protocol: entries, "controller": {protocol: {"annotations": {"note": "streams"}}}}
    config_map = render(values).get("ConfigMap", f"ingress-nginx-{protocol}")
    assert config_map["data"] == entries
    assert config_map["metadata"]["namespace"] == "ingress-nginx"
    assert config_map["metadata"]["annotations"] == {"note": "streams"}
    assert config_map["metadata"]["labels"]["app.kubernetes.io/component"] == "controller"


@pytest.mark.parametrize("protocol", ["tcp", "udp"])
def test_stream_configmap_namespace(render: Render, protocol: str) -> None:
    values = {protocol: {"53": "kube-system/dns:53"}, "controller": {protocol: {"configMapNamespace": "streams"}}}
    config_map = render(values).get("ConfigMap", f"ingress-nginx-{protocol}")
    assert config_map["metadata"]["namespace"] == "streams"
    assert "annotations" not in config_map["metadata"]
