"""The exposure checks: each refusal, and the nearest values that pass.

The values schema already refuses some of these combinations (a tcp key that is
not a number, an empty or repeated class name). The chart's own check must still
hold for `--skip-schema-validation`, so each refusal is asserted twice: through
the render fixture (schema or template, whichever speaks first, must name the
values path) and with the schema skipped (the template's own message).
"""
from __future__ import annotations

import json
import shutil
import subprocess
from functools import lru_cache
from typing import Any

import pytest
from paths import ROOT

CHART = ROOT / "charts" / "ingress-nginx"


@lru_cache(maxsize=None)
def _template_error(values_json: str) -> str:
    helm = shutil.which("helm", path=str(ROOT / ".tools" / "bin"))
    if helm is None:
        pytest.fail("helm is not installed: run `make tools`")
    result = subprocess.run(
        [helm, "template", "ingress-nginx", str(CHART), "--namespace", "ingress-nginx",
         "--skip-schema-validation", "--values", "-"],
        input=values_json, capture_output=True, text=True, check=False,
    )
    assert result.returncode != 0, "helm template rendered; expected the chart to refuse"
    return result.stderr


def template_error(values: dict[str, Any]) -> str:
    return _template_error(json.dumps(values, sort_keys=True))


@pytest.mark.parametrize(("values", "message"), [
    ({"tcp": {"80": "a/b:80"}, "controller": {"service": {"enableHttp": False}}},
     "tcp.80: port 80/TCP is already used by controller.containerPort.http"),
    ({"tcp": {"443": "a/b:80"}}, "tcp.443: port 443/TCP is already used by "),
    ({"tcp": {"8080": "a/b:80"}, "controller": {"service": {"ports": {"http": 8080}}}},
     "tcp.8080: port 8080/TCP is already used by controller.service.ports.http"),
    ({"tcp": {"9443": "a/b:80"}, "controller": {"service": {"internal": {"enabled": True, "ports": {"https": 9443}}}}},
     "tcp.9443: port 9443/TCP is already used by controller.service.internal.ports.https"),
    ({"tcp": {"10254": "a/b:80"}}, "tcp.10254: port 10254/TCP is already used by controller.metrics.port"),
    ({"tcp": {"8443": "a/b:80"}}, "tcp.8443: port 8443/TCP is already used by controller.admissionWebhooks.port"),
    ({"tcp": {"8080": "a/b:80"}, "controller": {"hostPort": {"enabled": True, "ports": {"http": 8080}}}},
     "tcp.8080: port 8080/TCP is already used by controller.hostPort.ports.http"),
    ({"udp": {"53": "a/b:53", "053": "c/d:53"}}, "udp.53: port 53/UDP is already used by udp.053"),
    ({"tcp": {"http": "a/b:80"}}, "tcp.http:"),
    ({"udp": {"70000": "a/b:80"}}, "udp.70000:"),
    ({"tcp": {"2222": "a/b:22"}, "controller": {"service": {"type": "ClusterIP", "nodePorts": {"tcp": {"2222": 30222}}}}},
     "controller.service.nodePorts.tcp.2222: a ClusterIP Service cannot have node ports"),
    ({"udp": {"53": "a/b:53"}, "controller": {"service": {"internal": {"enabled": True, "type": "ClusterIP",
                                                                          "nodePorts": {"udp": {"53": 30053}}}}}},
     "controller.service.internal.nodePorts.udp.53: a ClusterIP Service cannot have node ports"),
    ({"controller": {"service": {"type": "NodePort", "loadBalancerSourceRanges": ["10.0.0.0/8"]}}},
     "controller.service.loadBalancerSourceRanges: Kubernetes accepts source ranges only on a LoadBalancer Service"),
    ({"controller": {"metrics": {"enabled": True, "service": {"loadBalancerSourceRanges": ["10.0.0.0/8"]}}}},
     "controller.metrics.service.loadBalancerSourceRanges:"),
    ({"controller": {"admissionWebhooks": {"service": {"loadBalancerSourceRanges": ["10.0.0.0/8"]}}}},
     "controller.admissionWebhooks.service.loadBalancerSourceRanges:"),
    ({"controller": {"service": {"type": "ClusterIP", "loadBalancerClass": "example.com/lb"}}},
     "controller.service.loadBalancerClass:"),
    ({"controller": {"service": {"healthCheckNodePort": 32000}}}, "controller.service.healthCheckNodePort:"),
    ({"controller": {"service": {"enableHttp": False, "enableHttps": False}}}, "controller.service.enableHttp:"),
    ({"controller": {"ingressClassResource": {"name": ""}}}, "controller.ingressClassResource.name: is empty"),
    ({"controller": {"ingressClassResource": {"aliases": ["nginx"]}}},
     'controller.ingressClassResource.aliases: "nginx" is the class name itself'),
    ({"controller": {"ingressClassResource": {"aliases": ["web", "web"]}}},
     'controller.ingressClassResource.aliases: "web" is listed more than once'),
    ({"controller": {"ingressClassResource": {"aliases": [""]}}}, "controller.ingressClassResource.aliases: contains an empty name"),
    ({"rbac": {"scope": True}}, "rbac.scope: is true while controller.scope.enabled is false"),
    # The API server: "spec.clusterIPs: must be empty when `clusterIP` is not specified" / "first value must match `clusterIP`".
    ({"controller": {"service": {"clusterIPs": ["10.96.0.50"]}}},
     "controller.service.clusterIPs: is set while controller.service.clusterIP is empty"),
    ({"controller": {"service": {"internal": {"enabled": True, "clusterIP": "10.96.0.51", "clusterIPs": ["10.96.0.50"]}}}},
     "controller.service.internal.clusterIPs: its first entry 10.96.0.50 differs from controller.service.internal.clusterIP (10.96.0.51)"),
    ({"defaultBackend": {"enabled": True, "service": {"clusterIPs": ["None"]}}},
     "defaultBackend.service.clusterIPs: is set while defaultBackend.service.clusterIP is empty"),
], ids=lambda item: str(item)[:60] if isinstance(item, dict) else None)
def test_refused(render_error, values, message):
    path = message.split(":", 1)[0]
    assert path.split(".")[-1] in render_error(values)
    assert message in template_error(values)


@pytest.mark.parametrize("values", [
    {"tcp": {"8080": "a/b:80"}, "udp": {"8080": "c/d:80"}},
    {"tcp": {"53": "a/b:53"}, "udp": {"53": "c/d:53"}},
    {"tcp": {"8443": "a/b:80"}, "controller": {"admissionWebhooks": {"enabled": False}}},
    {"tcp": {"8080": "a/b:80"}, "controller": {"service": {"enabled": False}, "hostPort": {"enabled": False, "ports": {"http": 8080}}}},
    {"tcp": {"2222": "a/b:22"}, "controller": {"service": {"type": "NodePort", "nodePorts": {"tcp": {"2222": 30222}}}}},
    {"controller": {"service": {"type": "ClusterIP", "nodePorts": {"tcp": {"2222": 30222}, "http": 30080}}}},
    {"tcp": {"2222": "a/b:22"}, "controller": {"service": {"type": "ClusterIP", "internal": {"enabled": True, "type": "NodePort",
                                                                                              "nodePorts": {"tcp": {"2222": 30222}}}}}},
    {"controller": {"service": {"loadBalancerSourceRanges": ["10.0.0.0/8"], "loadBalancerClass": "example.com/lb"}}},
    {"controller": {"service": {"type": "NodePort", "loadBalancerSourceRanges": ["10.0.0.0/8"], "external": {"enabled": False}}}},
    {"controller": {"service": {"externalTrafficPolicy": "Local", "healthCheckNodePort": 32000}}},
    {"controller": {"service": {"enableHttp": False, "enableHttps": False}}, "tcp": {"2222": "a/b:22"}},
    {"controller": {"service": {"enabled": False, "enableHttp": False, "enableHttps": False}}},
    {"controller": {"ingressClassResource": {"aliases": ["web", "www"]}}},
    {"rbac": {"scope": True}, "controller": {"scope": {"enabled": True}}},
    {"rbac": {"scope": True, "create": False}},
    {"controller": {"service": {"clusterIP": "10.96.0.50", "clusterIPs": ["10.96.0.50", "fd00:10:96::50"],
                                "ipFamilyPolicy": "RequireDualStack"}}},
    {"controller": {"service": {"clusterIP": "None", "clusterIPs": ["None"]}}},
    {"controller": {"service": {"clusterIPs": ["10.96.0.50"], "enabled": False}}},
    {"defaultBackend": {"enabled": True, "service": {"clusterIP": "10.96.0.70", "clusterIPs": ["10.96.0.70"]}}},
], ids=lambda item: str(item)[:60])
def test_accepted(render, values):
    assert render(values).objects
