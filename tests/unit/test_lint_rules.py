"""Each semantic rule: the bad combination is reported at its path, the good one is not."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ingress_nginx_values.findings import dotted
from ingress_nginx_values.lint import chart_defaults
from ingress_nginx_values.lint_rules import RULES, RuleContext, RuleFinding, second_controller_conflict
from ingress_nginx_values.values_loading import MergedValues, coalesce_with_defaults


@pytest.fixture(scope="module")
def defaults(chart_dir: Path) -> dict[str, Any]:
    return chart_defaults(chart_dir)


def context(defaults: dict[str, Any], user: dict[str, Any], release: str = "ingress-nginx") -> RuleContext:
    merged = MergedValues()
    merged.add(user, "values.yaml")
    return RuleContext(coalesce_with_defaults(defaults, merged.values), merged, defaults, release)


def findings(defaults: dict[str, Any], user: dict[str, Any], rule: str) -> list[RuleFinding]:
    ctx = context(defaults, user)
    found = [item for check in RULES for item in check(ctx)]
    found += [item for _, item in second_controller_conflict([ctx])]
    return [item for item in found if item.rule == rule]


def one(defaults: dict[str, Any], user: dict[str, Any], rule: str, severity: str, path: str) -> RuleFinding:
    found = findings(defaults, user, rule)
    assert [(dotted(item.path), item.severity) for item in found] == [(path, severity)]
    return found[0]


def test_chart_defaults_raise_no_finding(defaults: dict[str, Any]) -> None:
    ctx = context(defaults, {})
    assert [item for check in RULES for item in check(ctx)] == []
    assert list(second_controller_conflict([ctx])) == []


HOST = {"controller": {"hostNetwork": True, "kind": "DaemonSet", "service": {"enabled": False}, "publishService": {"enabled": False}}}


def test_host_network_without_host_net_dns_policy(defaults: dict[str, Any]) -> None:
    found = one(defaults, HOST, "host-network-dns-policy", "warning", "controller.dnsPolicy")
    assert "ClusterFirstWithHostNet" in found.message


def test_host_network_with_host_net_dns_policy(defaults: dict[str, Any]) -> None:
    values = {"controller": {**HOST["controller"], "dnsPolicy": "ClusterFirstWithHostNet"}}
    assert findings(defaults, values, "host-network-dns-policy") == []


def test_host_port_alone_keeps_pod_dns(defaults: dict[str, Any]) -> None:
    assert findings(defaults, {"controller": {"hostPort": {"enabled": True}}}, "host-network-dns-policy") == []


def test_publish_service_without_service(defaults: dict[str, Any]) -> None:
    found = one(defaults, {"controller": {"service": {"enabled": False}}}, "publish-service-without-service", "warning", "controller.publishService.enabled")
    assert "controller.publishService.enabled: false" in found.message


@pytest.mark.parametrize(
    "controller",
    [
        {"service": {"enabled": False}, "publishService": {"enabled": False}},
        {"service": {"enabled": False}, "publishService": {"pathOverride": "edge/lb"}},
        {"service": {"enabled": True}},
    ],
)
def test_publish_service_with_a_service_to_publish(defaults: dict[str, Any], controller: dict) -> None:
    assert findings(defaults, {"controller": controller}, "publish-service-without-service") == []


def test_snippets_without_critical_risk_level(defaults: dict[str, Any]) -> None:
    found = one(
        defaults, {"controller": {"allowSnippetAnnotations": True}}, "snippet-annotations-risk-level", "warning",
        "controller.config.annotations-risk-level",
    )
    assert "Critical" in found.message


@pytest.mark.parametrize("quoted", ["true", "True"])
def test_quoted_true_allows_snippets(defaults: dict[str, Any], quoted: str) -> None:
    one(defaults, {"controller": {"allowSnippetAnnotations": quoted}}, "snippet-annotations-risk-level", "warning",
        "controller.config.annotations-risk-level")


@pytest.mark.parametrize("quoted", ["false", "False"])
def test_quoted_false_means_false(defaults: dict[str, Any], quoted: str) -> None:
    assert findings(defaults, {"controller": {"allowSnippetAnnotations": quoted}}, "snippet-annotations-risk-level") == []


def test_snippets_with_critical_risk_level(defaults: dict[str, Any]) -> None:
    values = {"controller": {"allowSnippetAnnotations": True, "config": {"annotations-risk-level": "Critical"}}}
    assert findings(defaults, values, "snippet-annotations-risk-level") == []


@pytest.mark.parametrize(
    ("values", "path"),
    [
        ({"controller": {"tolerations": [{"key": "x"}, {"key": "node-role.kubernetes.io/master", "effect": "NoSchedule"}]}}, "controller.tolerations[1].key"),
        ({"defaultBackend": {"nodeSelector": {"node-role.kubernetes.io/master": ""}}}, 'defaultBackend.nodeSelector["node-role.kubernetes.io/master"]'),
        ({"controller": {"admissionWebhooks": {"patch": {"tolerations": [{"key": "node-role.kubernetes.io/master"}]}}}}, "controller.admissionWebhooks.patch.tolerations[0].key"),
    ],
)
def test_master_node_role(defaults: dict[str, Any], values: dict, path: str) -> None:
    found = one(defaults, values, "deprecated-master-node-role", "warning", path)
    assert "node-role.kubernetes.io/control-plane" in found.message


def test_control_plane_node_role(defaults: dict[str, Any]) -> None:
    values = {"controller": {"tolerations": [{"key": "node-role.kubernetes.io/control-plane"}], "nodeSelector": {"node-role.kubernetes.io/control-plane": ""}}}
    assert findings(defaults, values, "deprecated-master-node-role") == []


@pytest.mark.parametrize(
    ("values", "path"),
    [
        ({"controller": {"replicaCount": 2, "minAvailable": 2}}, "controller.minAvailable"),
        ({"controller": {"replicaCount": 3, "minAvailable": "100%"}}, "controller.minAvailable"),
        ({"controller": {"autoscaling": {"enabled": True, "minReplicas": 2}, "minAvailable": 2}}, "controller.minAvailable"),
        ({"controller": {"replicaCount": 3, "maxUnavailable": 0}}, "controller.maxUnavailable"),
        ({"defaultBackend": {"enabled": True, "replicaCount": 2, "minAvailable": 2}}, "defaultBackend.minAvailable"),
    ],
)
def test_pdb_that_blocks_every_drain(defaults: dict[str, Any], values: dict, path: str) -> None:
    one(defaults, values, "pdb-blocks-drain", "warning", path)


@pytest.mark.parametrize(
    "values",
    [
        {"controller": {"replicaCount": 3, "minAvailable": 2}},
        {"controller": {"replicaCount": 2, "minAvailable": "50%"}},
        {"controller": {"replicaCount": 1, "minAvailable": 1}},
        {"controller": {"replicaCount": 2, "minAvailable": 2, "maxUnavailable": 1}},
        {"controller": {"kind": "DaemonSet", "minAvailable": 5}},
        {"defaultBackend": {"enabled": False, "replicaCount": 2, "minAvailable": 2}},
    ],
)
def test_pdb_that_lets_a_drain_through(defaults: dict[str, Any], values: dict) -> None:
    assert findings(defaults, values, "pdb-blocks-drain") == []


@pytest.mark.parametrize(
    "controller",
    [
        {"hostNetwork": True},
        {"hostPort": {"enabled": True}},
        {"hostPort": {"enabled": True}, "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}},
    ],
)
def test_host_ports_with_a_surging_rollout(defaults: dict[str, Any], controller: dict) -> None:
    found = one(defaults, {"controller": controller}, "host-port-rolling-update", "warning", "controller.updateStrategy")
    assert "maxSurge: 0" in found.message


@pytest.mark.parametrize(
    "controller",
    [
        {"hostPort": {"enabled": True}, "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}}},
        {"hostNetwork": True, "updateStrategy": {"type": "Recreate"}},
        {"hostNetwork": True, "kind": "DaemonSet"},
        {"updateStrategy": {}},
    ],
)
def test_host_ports_with_a_safe_rollout(defaults: dict[str, Any], controller: dict) -> None:
    assert findings(defaults, {"controller": controller}, "host-port-rolling-update") == []


@pytest.mark.parametrize(
    ("values", "path"),
    [
        ({"controller": {"image": {"registry": "mirror.example.com"}}}, "controller.image.digest"),
        ({"controller": {"image": {"repository": "mirror.example.com/nginx"}}}, "controller.image.digest"),
        ({"controller": {"image": {"chroot": True, "tag": "v1.14.0"}}}, "controller.image.digestChroot"),
        ({"controller": {"admissionWebhooks": {"patch": {"image": {"registry": "mirror.example.com"}}}}}, "controller.admissionWebhooks.patch.image.digest"),
    ],
)
def test_image_moved_but_upstream_digest_kept(defaults: dict[str, Any], values: dict, path: str) -> None:
    found = one(defaults, values, "image-override-keeps-digest", "warning", path)
    assert f'{path}: ""' in found.message


def test_global_registry_moves_every_image_that_keeps_its_digest(defaults: dict[str, Any]) -> None:
    found = findings(defaults, {"global": {"image": {"registry": "mirror.example.com"}}}, "image-override-keeps-digest")
    assert [dotted(item.path) for item in found] == ["controller.image.digest", "controller.admissionWebhooks.patch.image.digest"]
    assert all("global.image.registry" in item.message for item in found)


@pytest.mark.parametrize(
    "values",
    [
        {"controller": {"image": {"registry": "mirror.example.com", "digest": None}}},
        {"controller": {"image": {"registry": "mirror.example.com", "digest": ""}}},
        {"controller": {"image": {"registry": "mirror.example.com", "digest": "sha256:" + "a" * 64}}},
        {"controller": {"image": {"registry": "registry.k8s.io"}}},
        {"controller": {"admissionWebhooks": {"enabled": False, "patch": {"image": {"registry": "mirror.example.com"}}}}},
    ],
)
def test_image_moved_with_its_own_digest(defaults: dict[str, Any], values: dict) -> None:
    assert findings(defaults, values, "image-override-keeps-digest") == []


@pytest.mark.parametrize(("key", "path"), [("serviceMonitor", "controller.metrics.serviceMonitor.enabled"), ("prometheusRule", "controller.metrics.prometheusRule.enabled")])
def test_monitoring_without_metrics(defaults: dict[str, Any], key: str, path: str) -> None:
    one(defaults, {"controller": {"metrics": {key: {"enabled": True}}}}, "monitoring-without-metrics", "warning", path)


def test_monitoring_with_metrics(defaults: dict[str, Any]) -> None:
    values = {"controller": {"metrics": {"enabled": True, "serviceMonitor": {"enabled": True}, "prometheusRule": {"enabled": True}}}}
    assert findings(defaults, values, "monitoring-without-metrics") == []


def test_webhook_without_certificates(defaults: dict[str, Any]) -> None:
    values = {"controller": {"admissionWebhooks": {"patch": {"enabled": False}}}}
    one(defaults, values, "webhook-without-certificates", "warning", "controller.admissionWebhooks.patch.enabled")


@pytest.mark.parametrize(
    "hooks",
    [
        {"patch": {"enabled": False}, "certManager": {"enabled": True}},
        {"patch": {"enabled": False}, "enabled": False},
        {},
    ],
)
def test_webhook_with_certificates(defaults: dict[str, Any], hooks: dict) -> None:
    assert findings(defaults, {"controller": {"admissionWebhooks": hooks}}, "webhook-without-certificates") == []


@pytest.mark.parametrize(
    ("values", "key", "instead"),
    [
        ({"controller": {"extraArgs": {"publish-service": "x/y"}}}, "publish-service", "controller.publishService.pathOverride"),
        ({"controller": {"extraArgs": {"election-id": "x"}}}, "election-id", "controller.electionID"),
        ({"controller": {"extraArgs": {"tcp-services-configmap": "a/b"}}, "tcp": {"22": "a/b:22"}}, "tcp-services-configmap", "tcp"),
        ({"controller": {"extraArgs": {"watch-namespace": "a"}, "scope": {"enabled": True}}}, "watch-namespace", "controller.scope.namespace"),
        ({"controller": {"extraArgs": {"default-backend-service": "a/b"}}, "defaultBackend": {"enabled": True}}, "default-backend-service", "defaultBackend"),
        ({"controller": {"extraArgs": {"validating-webhook": ":9443"}}}, "validating-webhook", "controller.admissionWebhooks.port"),
        ({"controller": {"extraArgs": {"enable-metrics": "true"}, "metrics": {"enabled": True}}}, "enable-metrics", "controller.metrics.enabled"),
    ],
)
def test_extra_args_repeat_a_chart_flag(defaults: dict[str, Any], values: dict, key: str, instead: str) -> None:
    found = one(defaults, values, "extra-args-duplicate-flag", "warning", f"controller.extraArgs.{key}")
    assert f"set {instead}" in found.message


@pytest.mark.parametrize(
    "values",
    [
        {"controller": {"extraArgs": {"tcp-services-configmap": "a/b"}}},
        {"controller": {"extraArgs": {"watch-namespace": "a"}}},
        {"controller": {"extraArgs": {"default-backend-service": "a/b"}}},
        {"controller": {"extraArgs": {"enable-metrics": "true"}}},
        {"controller": {"extraArgs": {"validating-webhook": ":9443"}, "admissionWebhooks": {"enabled": False}}},
        {"controller": {"extraArgs": {"v": "2", "enable-ssl-passthrough": ""}}},
    ],
)
def test_extra_args_the_chart_does_not_set(defaults: dict[str, Any], values: dict) -> None:
    assert findings(defaults, values, "extra-args-duplicate-flag") == []


def test_load_balancer_with_host_network(defaults: dict[str, Any]) -> None:
    values = {"controller": {"hostNetwork": True, "dnsPolicy": "ClusterFirstWithHostNet"}}
    one(defaults, values, "load-balancer-with-host-network", "warning", "controller.service.type")


@pytest.mark.parametrize(
    "controller",
    [
        {"hostNetwork": True, "service": {"type": "ClusterIP"}},
        {"hostNetwork": True, "service": {"enabled": False}},
        {"service": {"type": "LoadBalancer"}},
    ],
)
def test_host_network_without_a_load_balancer(defaults: dict[str, Any], controller: dict) -> None:
    assert findings(defaults, {"controller": controller}, "load-balancer-with-host-network") == []


def cross(defaults: dict[str, Any], *releases: tuple[str, dict]) -> list[tuple[str, str, str]]:
    contexts = [context(defaults, values, name) for name, values in releases]
    return [(contexts[index].release, dotted(item.path), item.severity) for index, item in second_controller_conflict(contexts)]


def test_second_release_sharing_the_ingress_class(defaults: dict[str, Any]) -> None:
    internal = {"controller": {"ingressClassResource": {"controllerValue": "k8s.io/internal"}, "ingressClass": "internal"}}
    assert cross(defaults, ("public", {}), ("internal", internal)) == [
        ("internal", "controller.ingressClassResource.name", "error")
    ]


def test_second_release_sharing_the_election_id(defaults: dict[str, Any]) -> None:
    first = {"controller": {"electionID": "leader"}}
    second = {"controller": {"electionID": "leader", "ingressClass": "b", "ingressClassResource": {"name": "b", "controllerValue": "k8s.io/b"}}}
    assert cross(defaults, ("a", first), ("b", second)) == [("b", "controller.electionID", "error")]


def test_second_release_with_its_own_identity(defaults: dict[str, Any]) -> None:
    second = {"controller": {"ingressClass": "b", "ingressClassResource": {"name": "b", "controllerValue": "k8s.io/b"}}}
    assert cross(defaults, ("a", {}), ("b", second)) == []


def test_file_that_renames_only_the_class_conflicts_with_a_default_release(defaults: dict[str, Any]) -> None:
    values = {"controller": {"ingressClassResource": {"name": "internal"}, "ingressClass": "internal"}}
    found = findings(defaults, values, "second-controller-conflict")
    assert [(dotted(item.path), item.severity) for item in found] == [
        ("controller.ingressClassResource.controllerValue", "warning")
    ]


def test_file_that_renames_every_identity_is_a_clean_second_controller(defaults: dict[str, Any]) -> None:
    values = {"controller": {"ingressClassResource": {"name": "internal", "controllerValue": "k8s.io/internal"}, "ingressClass": "internal"}}
    assert findings(defaults, values, "second-controller-conflict") == []


@pytest.mark.parametrize(
    ("values", "path"),
    [
        ({"controller": {"service": {"type": "NodePort", "nodePorts": {"http": 40080}}}}, "controller.service.nodePorts.http"),
        ({"controller": {"service": {"internal": {"enabled": True, "nodePorts": {"https": "8443"}}}}},
         "controller.service.internal.nodePorts.https"),
        ({"controller": {"service": {"nodePorts": {"tcp": {"9000": 40900}}}}, "tcp": {"9000": "a/b:9000"}},
         "controller.service.nodePorts.tcp.9000"),
        ({"controller": {"metrics": {"enabled": True, "service": {"type": "NodePort", "nodePort": 29999}}}},
         "controller.metrics.service.nodePort"),
    ],
)
def test_node_port_outside_the_default_range_warns(defaults: dict[str, Any], values: dict[str, Any], path: str) -> None:
    found = one(defaults, values, "node-port-outside-default-range", "warning", path)
    assert "--service-node-port-range" in found.message


@pytest.mark.parametrize("port", [30000, 32767, "31080", ""])
def test_node_port_inside_the_default_range_is_quiet(defaults: dict[str, Any], port: object) -> None:
    values = {"controller": {"service": {"type": "NodePort", "nodePorts": {"http": port}}}}
    assert findings(defaults, values, "node-port-outside-default-range") == []


def test_host_network_exposes_webhook_and_metrics_ports(defaults: dict[str, Any]) -> None:
    found = one(defaults, HOST, "host-network-exposes-internal-ports", "warning", "controller.hostNetwork")
    assert "10254" in found.message and "8443" in found.message


def test_host_network_without_webhook_still_exposes_metrics(defaults: dict[str, Any]) -> None:
    values = {"controller": {**HOST["controller"], "admissionWebhooks": {"enabled": False}}}
    found = one(defaults, values, "host-network-exposes-internal-ports", "warning", "controller.hostNetwork")
    assert "10254" in found.message and "8443" not in found.message


def test_pod_network_exposes_nothing_on_the_node(defaults: dict[str, Any]) -> None:
    assert findings(defaults, {"controller": {"hostPort": {"enabled": True}}}, "host-network-exposes-internal-ports") == []
