"""The controller's main, internal, metrics and admission Services."""
from __future__ import annotations

from typing import Any

import pytest
from upstream_facts import CONTROLLER_SELECTOR as SELECTOR

FULL = "ingress-nginx-controller"


def ports_by_name(service: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {port["name"]: port for port in service["spec"]["ports"]}


def test_default_main_service(render):
    service = render().get("Service", FULL)
    assert service["metadata"]["namespace"] == "ingress-nginx"
    assert service["metadata"]["labels"]["app.kubernetes.io/component"] == "controller"
    assert service["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "Helm"
    assert service["spec"]["type"] == "LoadBalancer"
    assert service["spec"]["selector"] == SELECTOR
    assert service["spec"]["ipFamilyPolicy"] == "SingleStack"
    assert service["spec"]["ipFamilies"] == ["IPv4"]
    assert service["spec"]["ports"] == [
        {"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http", "appProtocol": "http"},
        {"name": "https", "port": 443, "protocol": "TCP", "targetPort": "https", "appProtocol": "https"},
    ]
    assert "annotations" not in service["metadata"]


def test_default_renders_no_internal_or_metrics_service(render):
    names = {obj["metadata"]["name"] for obj in render().of_kind("Service")}
    assert names == {FULL, f"{FULL}-admission"}


@pytest.mark.parametrize("service_type", ["LoadBalancer", "NodePort", "ClusterIP"])
def test_fixed_http_node_ports_only_where_the_type_takes_them(render, service_type):
    values = {"controller": {"service": {"type": service_type, "nodePorts": {"http": 30080, "https": "30443"}}}}
    ports = ports_by_name(render(values).get("Service", FULL))
    assert render(values).get("Service", FULL)["spec"]["type"] == service_type
    if service_type == "ClusterIP":
        assert "nodePort" not in ports["http"] and "nodePort" not in ports["https"]
    else:
        assert ports["http"]["nodePort"] == 30080
        assert ports["https"]["nodePort"] == 30443


def test_every_spec_field_is_passed_through(render):
    values = {"controller": {"service": {
        "annotations": {"example.com/flag": "true", "example.com/name": "lb"},
        "labels": {"team": "edge"},
        "external": {"enabled": True, "labels": {"exposure": "public"}},
        "clusterIP": "10.0.0.10",
        "clusterIPs": ["10.0.0.10"],
        "externalIPs": ["192.0.2.1"],
        "loadBalancerIP": "198.51.100.7",
        "loadBalancerSourceRanges": ["203.0.113.0/24"],
        "loadBalancerClass": "example.com/lb",
        "externalTrafficPolicy": "Local",
        "healthCheckNodePort": 32000,
        "sessionAffinity": "ClientIP",
        "trafficDistribution": "PreferClose",
        "allocateLoadBalancerNodePorts": False,
        "ipFamilyPolicy": "PreferDualStack",
        "ipFamilies": ["IPv4", "IPv6"],
    }}}
    service = render(values).get("Service", FULL)
    spec = service["spec"]
    assert service["metadata"]["annotations"] == {"example.com/flag": "true", "example.com/name": "lb"}
    assert service["metadata"]["labels"]["team"] == "edge"
    assert service["metadata"]["labels"]["exposure"] == "public"
    assert spec["clusterIP"] == "10.0.0.10"
    assert spec["clusterIPs"] == ["10.0.0.10"]
    assert spec["externalIPs"] == ["192.0.2.1"]
    assert spec["loadBalancerIP"] == "198.51.100.7"
    assert spec["loadBalancerSourceRanges"] == ["203.0.113.0/24"]
    assert spec["loadBalancerClass"] == "example.com/lb"
    assert spec["externalTrafficPolicy"] == "Local"
    assert spec["healthCheckNodePort"] == 32000
    assert spec["sessionAffinity"] == "ClientIP"
    assert spec["trafficDistribution"] == "PreferClose"
    assert spec["allocateLoadBalancerNodePorts"] is False
    assert spec["ipFamilyPolicy"] == "PreferDualStack"
    assert spec["ipFamilies"] == ["IPv4", "IPv6"]


def test_unset_optional_fields_are_left_out(render):
    spec = render().get("Service", FULL)["spec"]
    for field in ("clusterIP", "externalIPs", "loadBalancerIP", "loadBalancerSourceRanges", "loadBalancerClass",
                  "externalTrafficPolicy", "healthCheckNodePort", "sessionAffinity", "trafficDistribution",
                  "allocateLoadBalancerNodePorts"):
        assert field not in spec, field


def test_http_https_switches_ports_and_app_protocol(render):
    values = {"controller": {"service": {
        "enableHttp": False, "appProtocol": False,
        "ports": {"https": 8443}, "targetPorts": {"https": "http"},
    }}}
    assert render(values).get("Service", FULL)["spec"]["ports"] == [
        {"name": "https", "port": 8443, "protocol": "TCP", "targetPort": "http"},
    ]


@pytest.mark.parametrize("prefix", ["", "edge"])
def test_tcp_udp_entries(render, prefix):
    values = {
        "portNamePrefix": prefix,
        "tcp": {"2222": "git/ssh:22", "9000": "app/api:9000"},
        "udp": {"53": "kube-system/dns:53"},
        "controller": {"service": {"type": "NodePort", "nodePorts": {"tcp": {"2222": 30222}, "udp": {"53": "30053"}}}},
    }
    ports = ports_by_name(render(values).get("Service", FULL))
    lead = f"{prefix}-" if prefix else ""
    assert ports[f"{lead}2222-tcp"] == {
        "name": f"{lead}2222-tcp", "port": 2222, "protocol": "TCP", "targetPort": f"{lead}2222-tcp", "nodePort": 30222,
    }
    assert ports[f"{lead}9000-tcp"] == {
        "name": f"{lead}9000-tcp", "port": 9000, "protocol": "TCP", "targetPort": f"{lead}9000-tcp",
    }
    assert ports[f"{lead}53-udp"] == {
        "name": f"{lead}53-udp", "port": 53, "protocol": "UDP", "targetPort": f"{lead}53-udp", "nodePort": 30053,
    }


def test_tcp_target_names_match_the_container_ports(render):
    manifests = render({"portNamePrefix": "p", "tcp": {"2222": "git/ssh:22"}, "udp": {"53": "kube-system/dns:53"}})
    container_ports = {
        port["name"]
        for container in manifests.controller()["spec"]["template"]["spec"]["containers"]
        for port in container.get("ports", [])
    }
    targets = {port["targetPort"] for port in manifests.get("Service", FULL)["spec"]["ports"]}
    assert targets <= container_ports


def test_service_disabled_renders_neither_controller_service(render):
    values = {"controller": {"service": {"enabled": False, "internal": {"enabled": True}}}}
    names = {obj["metadata"]["name"] for obj in render(values).of_kind("Service")}
    assert names == {f"{FULL}-admission"}


def test_internal_only(render):
    values = {"controller": {"service": {"external": {"enabled": False}, "internal": {"enabled": True}}}}
    names = {obj["metadata"]["name"] for obj in render(values).of_kind("Service")}
    assert names == {f"{FULL}-internal", f"{FULL}-admission"}


def test_internal_service_falls_back_to_the_external_values(render):
    values = {"controller": {"service": {
        "type": "NodePort",
        "labels": {"team": "edge"},
        "ports": {"http": 8080, "https": 8443},
        "internal": {
            "enabled": True,
            "labels": {"exposure": "private"},
            "annotations": {"example.com/internal": "true"},
            "ports": {"https": 9443},
            "nodePorts": {"http": 31080},
            "loadBalancerIP": "",
        },
    }}}
    service = render(values).get("Service", f"{FULL}-internal")
    assert service["spec"]["type"] == "NodePort"
    assert service["spec"]["selector"] == SELECTOR
    assert service["metadata"]["labels"]["team"] == "edge"
    assert service["metadata"]["labels"]["exposure"] == "private"
    assert service["metadata"]["annotations"] == {"example.com/internal": "true"}
    ports = ports_by_name(service)
    assert ports["http"]["port"] == 8080 and ports["http"]["nodePort"] == 31080
    assert ports["https"]["port"] == 9443 and "nodePort" not in ports["https"]
    assert ports["https"]["targetPort"] == "https"


def test_internal_service_own_type_and_fields(render):
    values = {"controller": {"service": {"internal": {
        "enabled": True, "type": "LoadBalancer", "loadBalancerClass": "internal/lb",
        "targetPorts": {"http": "https"}, "appProtocol": False, "ipFamilies": ["IPv6"],
    }}}}
    service = render(values).get("Service", f"{FULL}-internal")
    assert service["spec"]["type"] == "LoadBalancer"
    assert service["spec"]["loadBalancerClass"] == "internal/lb"
    assert service["spec"]["ipFamilies"] == ["IPv6"]
    ports = ports_by_name(service)
    assert ports["http"]["targetPort"] == "https"
    assert "appProtocol" not in ports["http"]


def test_metrics_service(render):
    values = {"controller": {"metrics": {"enabled": True, "portName": "prom", "service": {
        "type": "NodePort", "nodePort": 31254, "servicePort": 9913,
        "annotations": {"example.com/scrape": "true"}, "labels": {"scrape": "yes"},
        "externalIPs": ["192.0.2.9"],
    }}}}
    service = render(values).get("Service", f"{FULL}-metrics")
    assert service["metadata"]["labels"]["scrape"] == "yes"
    assert service["metadata"]["labels"]["app.kubernetes.io/component"] == "controller"
    assert service["metadata"]["annotations"] == {"example.com/scrape": "true"}
    assert service["spec"]["selector"] == SELECTOR
    assert service["spec"]["externalIPs"] == ["192.0.2.9"]
    assert service["spec"]["ports"] == [
        {"name": "prom", "port": 9913, "protocol": "TCP", "targetPort": "prom", "nodePort": 31254},
    ]


def test_metrics_service_node_port_left_out_for_cluster_ip(render):
    values = {"controller": {"metrics": {"enabled": True, "service": {"nodePort": 31254}}}}
    service = render(values).get("Service", f"{FULL}-metrics")
    assert service["spec"]["type"] == "ClusterIP"
    assert "nodePort" not in service["spec"]["ports"][0]


def test_metrics_service_switch(render):
    values = {"controller": {"metrics": {"enabled": True, "service": {"enabled": False}}}}
    assert render(values).find("Service", f"{FULL}-metrics") is None


def test_admission_service(render):
    values = {"controller": {"labels": {"team": "edge"}, "admissionWebhooks": {"service": {
        "servicePort": 8443, "annotations": {"example.com/a": "b"},
    }}}}
    service = render(values).get("Service", f"{FULL}-admission")
    assert service["spec"]["type"] == "ClusterIP"
    assert service["spec"]["selector"] == SELECTOR
    assert service["metadata"]["labels"]["team"] == "edge"
    assert service["metadata"]["annotations"] == {"example.com/a": "b"}
    assert service["spec"]["ports"] == [
        {"name": "https-webhook", "port": 8443, "targetPort": "webhook", "appProtocol": "https"},
    ]


def test_admission_service_follows_the_webhook_switch(render):
    values = {"controller": {"admissionWebhooks": {"enabled": False}}}
    assert render(values).find("Service", f"{FULL}-admission") is None


def test_null_values_do_not_crash(render):
    values = {"tcp": None, "udp": None, "controller": {"service": {
        "nodePorts": None, "annotations": None, "labels": None, "internal": {"enabled": True, "ports": None, "nodePorts": None},
    }}}
    ports = ports_by_name(render(values).get("Service", f"{FULL}-internal"))
    assert ports["http"]["port"] == 80


def test_helm4_renders_the_same_services(render):
    values = {"tcp": {"2222": "git/ssh:22"}, "controller": {"metrics": {"enabled": True}, "service": {"internal": {"enabled": True}}}}
    three = {obj["metadata"]["name"]: obj for obj in render(values).of_kind("Service")}
    four = {obj["metadata"]["name"]: obj for obj in render(values, helm="helm4").of_kind("Service")}
    assert three.keys() == four.keys()
    for name in three:
        assert three[name]["spec"] == four[name]["spec"], name
