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
    # The API server's external IP rules ("may not be unspecified", "loopback", "link-local", "link-local
    # multicast"; Go counts every ffx2::/16 as link-local multicast), checked on a server-side dry-run.
    ({"controller": {"service": {"externalIPs": ["192.0.2.7", "0.0.0.0"]}}},
     "controller.service.externalIPs[1]: 0.0.0.0 is the unspecified address"),
    ({"controller": {"service": {"internal": {"enabled": True, "externalIPs": ["0:0::0"]}}}},
     "controller.service.internal.externalIPs[0]: 0:0::0 is the unspecified address"),
    ({"controller": {"metrics": {"enabled": True, "service": {"externalIPs": ["127.8.0.1"]}}}},
     "controller.metrics.service.externalIPs[0]: 127.8.0.1 is in the loopback range"),
    ({"controller": {"admissionWebhooks": {"service": {"externalIPs": ["0:0:0:0:0:0:0:1"]}}}},
     "controller.admissionWebhooks.service.externalIPs[0]: 0:0:0:0:0:0:0:1 is in the loopback range"),
    ({"defaultBackend": {"enabled": True, "service": {"externalIPs": ["169.254.169.254"]}}},
     "defaultBackend.service.externalIPs[0]: 169.254.169.254 is in the link-local range"),
    ({"controller": {"service": {"externalIPs": ["FEBF::1"]}}}, "controller.service.externalIPs[0]: FEBF::1 is in the link-local range"),
    ({"controller": {"service": {"externalIPs": ["224.0.0.251"]}}},
     "controller.service.externalIPs[0]: 224.0.0.251 is in the link-local multicast range"),
    ({"controller": {"service": {"externalIPs": ["ff32::1"]}}}, "controller.service.externalIPs[0]: ff32::1 is in the link-local multicast range"),
    # "must not be an IPv4-mapped IPv6 address": the schema takes IPv6 in any spelling, the check the hex one.
    ({"controller": {"service": {"externalIPs": ["::ffff:c000:207"]}}},
     "controller.service.externalIPs[0]: ::ffff:c000:207 is an IPv4-mapped IPv6 address"),
    ({"controller": {"metrics": {"enabled": True, "service": {"clusterIP": "0:0:0:0:0:ffff:a60:1"}}}},
     "controller.metrics.service.clusterIP: 0:0:0:0:0:ffff:a60:1 is an IPv4-mapped IPv6 address"),
    ({"controller": {"service": {"clusterIP": "fd00::1", "clusterIPs": ["fd00::1", "::ffff:a60:5"], "ipFamilyPolicy": "RequireDualStack"}}},
     "controller.service.clusterIPs[1]: ::ffff:a60:5 is an IPv4-mapped IPv6 address"),
    # "must not have bits set beyond the prefix length"; the message offers the network address.
    ({"controller": {"service": {"loadBalancerSourceRanges": ["10.0.0.0/8", "172.16.255.0/12"]}}},
     "controller.service.loadBalancerSourceRanges[1]: 172.16.255.0/12 has bits set after its /12 prefix, which Kubernetes refuses. "
     "Write the range by its network address, 172.16.0.0/12."),
    ({"controller": {"service": {"internal": {"enabled": True, "loadBalancerSourceRanges": ["2001:db8::1/32"]}}}},
     "controller.service.internal.loadBalancerSourceRanges[0]: 2001:db8::1/32 has bits set after its /32 prefix, which Kubernetes "
     "refuses. Write the range by its network address, 2001:db8:0:0:0:0:0:0/32."),
    ({"defaultBackend": {"enabled": True, "service": {"type": "LoadBalancer", "loadBalancerSourceRanges": ["2001:db8:0:0:0:0:0:ff/121"]}}},
     "defaultBackend.service.loadBalancerSourceRanges[0]: 2001:db8:0:0:0:0:0:ff/121 has bits set after its /121 prefix, which "
     "Kubernetes refuses. Write the range by its network address, 2001:db8:0:0:0:0:0:80/121."),
    ({"controller": {"service": {"loadBalancerSourceRanges": ["0:0:0:0:0:ffff:a00:0/104"]}}},
     "controller.service.loadBalancerSourceRanges[0]: 0:0:0:0:0:ffff:a00:0 is an IPv4-mapped IPv6 address"),
    # "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified".
    ({"controller": {"service": {"ipFamilies": ["IPv4", "IPv6"]}}},
     'controller.service.ipFamilies: lists 2 entries, one per IP family, while controller.service.ipFamilyPolicy is "SingleStack"'),
    ({"controller": {"service": {"internal": {"enabled": True, "ipFamilies": ["IPv6", "IPv4"]}}}},
     'controller.service.internal.ipFamilies: lists 2 entries, one per IP family, while controller.service.internal.ipFamilyPolicy '
     'is "SingleStack", and Kubernetes gives a single-stack Service one family only. Set controller.service.internal.ipFamilyPolicy '
     "to PreferDualStack or RequireDualStack, or keep one entry in controller.service.internal.ipFamilies."),
    ({"controller": {"service": {"clusterIP": "10.96.0.50", "clusterIPs": ["10.96.0.50", "fd00::5"]}}},
     'controller.service.clusterIPs: lists 2 entries, one per IP family, while controller.service.ipFamilyPolicy is "SingleStack"'),
    ({"defaultBackend": {"enabled": True, "service": {"clusterIP": "10.96.0.40", "clusterIPs": ["10.96.0.40", "fd00:10:96::40"]}}},
     "defaultBackend.service.clusterIPs: lists 2 entries, and this Service is single-stack (the chart sets no ipFamilyPolicy on it), "
     "so Kubernetes takes one. Keep one entry in defaultBackend.service.clusterIPs."),
    # "may not be set to 'None' for LoadBalancer services" (and NodePort ones).
    ({"controller": {"service": {"clusterIP": "None", "clusterIPs": ["None"]}}},
     "controller.service.clusterIP: None makes a headless Service, which Kubernetes allows only of type ClusterIP, and this one is "
     "LoadBalancer. Set controller.service.type to ClusterIP, or leave controller.service.clusterIP empty."),
    ({"defaultBackend": {"enabled": True, "service": {"type": "NodePort", "clusterIP": "None"}}},
     "defaultBackend.service.clusterIP: None makes a headless Service, which Kubernetes allows only of type ClusterIP, and this one is NodePort."),
    # "may specify no more than one IP for each IP family", "'None' must be the first and only value".
    ({"controller": {"service": {"clusterIP": "fd00::5", "clusterIPs": ["fd00::5", "FD00::6"], "ipFamilyPolicy": "RequireDualStack"}}},
     "controller.service.clusterIPs: fd00::5 and FD00::6 are of one IP family, and Kubernetes takes one address per family."),
    ({"controller": {"service": {"internal": {"enabled": True, "type": "ClusterIP", "clusterIP": "None", "clusterIPs": ["None", "None"],
                                              "ipFamilyPolicy": "PreferDualStack"}}}},
     "controller.service.internal.clusterIPs: None must be its only entry"),
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
    {"controller": {"service": {"type": "ClusterIP", "clusterIP": "None", "clusterIPs": ["None"]}}},
    {"defaultBackend": {"enabled": True, "service": {"clusterIP": "None"}}},
    {"controller": {"service": {"clusterIPs": ["10.96.0.50"], "enabled": False}}},
    {"defaultBackend": {"enabled": True, "service": {"clusterIP": "10.96.0.70", "clusterIPs": ["10.96.0.70"]}}},
    # Next to each refused range: what the API server accepts (server-side dry-run).
    {"controller": {"service": {"externalIPs": ["192.0.2.7", "169.255.0.1", "128.0.0.1", "224.0.1.1", "::2", "::1:0", "fe7f::1",
                                                "fec0::1", "ff05::1", "::ffff:1", "1::ffff:a00:1"]}}},
    {"defaultBackend": {"enabled": True, "service": {"externalIPs": ["126.255.255.255", "2001:db8::1"]}}},
    {"controller": {"service": {"loadBalancerSourceRanges": ["0.0.0.0/0", "::/0", "172.16.0.0/12", "192.168.1.10/31",
                                                             "192.168.1.10/32", "fe80::/10", "2001:DB8::/32", "1:8000::/17",
                                                             "::ffff:0/112", "::1/128"]}}},
    {"controller": {"service": {"ipFamilyPolicy": "PreferDualStack", "ipFamilies": ["IPv4", "IPv6"],
                                "internal": {"enabled": True, "ipFamilyPolicy": "RequireDualStack", "ipFamilies": ["IPv6", "IPv4"]}}}},
    {"controller": {"service": {"enabled": False, "externalIPs": ["127.0.0.1"], "ipFamilies": ["IPv4", "IPv6"]}}},
], ids=lambda item: str(item)[:60])
def test_accepted(render, values):
    assert render(values).objects
