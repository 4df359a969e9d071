"""The controller's ServiceAccount, RBAC and NetworkPolicy."""
from __future__ import annotations

from typing import Any

FULL = "ingress-nginx"
CONTROLLER = "ingress-nginx-controller"

Rule = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def rule(groups: list[str], resources: list[str], verbs: list[str], names: list[str] | None = None) -> Rule:
    return (tuple(groups), tuple(sorted(resources)), tuple(sorted(verbs)), tuple(names or ()))


def rules_of(obj: dict[str, Any]) -> list[Rule]:
    return sorted(
        rule(r["apiGroups"], r["resources"], r["verbs"], r.get("resourceNames")) for r in obj["rules"]
    )


# behaviour.md, "RBAC of the controller".
CLUSTER_RULES = sorted([
    rule([""], ["configmaps", "endpoints", "nodes", "pods", "secrets", "namespaces"], ["list", "watch"]),
    rule(["coordination.k8s.io"], ["leases"], ["list", "watch"]),
    rule([""], ["nodes"], ["get"]),
    rule([""], ["services"], ["get", "list", "watch"]),
    rule(["networking.k8s.io"], ["ingresses"], ["get", "list", "watch"]),
    rule([""], ["events"], ["create", "patch"]),
    rule(["networking.k8s.io"], ["ingresses/status"], ["update"]),
    rule(["networking.k8s.io"], ["ingressclasses"], ["get", "list", "watch"]),
    rule(["discovery.k8s.io"], ["endpointslices"], ["list", "watch", "get"]),
])


def role_rules(lease: str) -> list[Rule]:
    return [
        rule([""], ["namespaces"], ["get"]),
        rule([""], ["configmaps", "pods", "secrets", "endpoints"], ["get", "list", "watch"]),
        rule([""], ["services"], ["get", "list", "watch"]),
        rule(["networking.k8s.io"], ["ingresses"], ["get", "list", "watch"]),
        rule(["networking.k8s.io"], ["ingresses/status"], ["update"]),
        rule(["networking.k8s.io"], ["ingressclasses"], ["get", "list", "watch"]),
        rule(["coordination.k8s.io"], ["leases"], ["get", "update"], [lease]),
        rule(["coordination.k8s.io"], ["leases"], ["create"]),
        rule([""], ["events"], ["create", "patch"]),
        rule(["discovery.k8s.io"], ["endpointslices"], ["list", "watch", "get"]),
    ]


def test_cluster_role_rules(render):
    cluster_role = render().get("ClusterRole", FULL)
    assert rules_of(cluster_role) == CLUSTER_RULES
    # Upstream's cluster-wide RBAC objects carry no component label; ours match them.
    assert "app.kubernetes.io/component" not in cluster_role["metadata"]["labels"]


def test_role_rules_with_default_election_lease(render):
    role = render().get("Role", FULL)
    assert role["metadata"]["namespace"] == "ingress-nginx"
    assert rules_of(role) == sorted(role_rules("ingress-nginx-leader"))


def test_role_names_a_custom_election_lease(render):
    role = render({"controller": {"electionID": "my-lease"}}).get("Role", FULL)
    assert rules_of(role) == sorted(role_rules("my-lease"))


def test_bindings_point_at_the_service_account(render):
    manifests = render({"serviceAccount": {"name": "edge"}}, namespace="web")
    for kind, role_kind in (("ClusterRoleBinding", "ClusterRole"), ("RoleBinding", "Role")):
        binding = manifests.get(kind, FULL)
        assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": FULL}
        assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "edge", "namespace": "web"}]
    assert manifests.get("RoleBinding", FULL)["metadata"]["namespace"] == "web"


def test_scoped_rbac_keeps_only_the_role(render):
    manifests = render({"rbac": {"scope": True}, "controller": {"scope": {"enabled": True}}})
    assert manifests.find("ClusterRole", FULL) is None
    assert manifests.find("ClusterRoleBinding", FULL) is None
    # The Role is upstream's: leader election needs get/update/create on its Lease only.
    assert rules_of(manifests.get("Role", FULL)) == sorted(role_rules("ingress-nginx-leader"))


def test_scoped_controller_may_read_its_namespace(render):
    cluster_role = render({"controller": {"scope": {"enabled": True, "namespace": "apps"}}}).get("ClusterRole", FULL)
    assert rule([""], ["namespaces"], ["get"], ["apps"]) in rules_of(cluster_role)


def test_rbac_create_false(render):
    kinds = render({"rbac": {"create": False}}).index()
    assert not [item for item in kinds if item[0] in ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")
                and item[1] == FULL]


def test_controller_labels_on_rbac(render):
    manifests = render({"controller": {"labels": {"team": "edge"}}})
    for kind in ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "ServiceAccount"):
        assert manifests.get(kind, FULL)["metadata"]["labels"]["team"] == "edge", kind


def test_service_account(render):
    values = {"serviceAccount": {"annotations": {"eks.amazonaws.com/role-arn": "arn:x"},
                                 "automountServiceAccountToken": False}}
    account = render(values).get("ServiceAccount", FULL)
    assert account["metadata"]["namespace"] == "ingress-nginx"
    assert account["metadata"]["annotations"] == {"eks.amazonaws.com/role-arn": "arn:x"}
    assert account["automountServiceAccountToken"] is False
    assert account["metadata"]["labels"]["app.kubernetes.io/component"] == "controller"


def test_service_account_name_override(render):
    assert render({"serviceAccount": {"name": "edge"}}).find("ServiceAccount", "edge") is not None


def test_existing_service_account(render):
    manifests = render({"serviceAccount": {"create": False, "name": "given"}})
    assert [name for kind, name in manifests.index() if kind == "ServiceAccount" and name in (FULL, "given")] == []
    assert manifests.get("RoleBinding", FULL)["subjects"][0]["name"] == "given"


def test_network_policy(render):
    values = {
        "tcp": {"2222": "git/ssh:22"},
        "udp": {"53": "kube-system/dns:53"},
        "controller": {"networkPolicy": {"enabled": True}, "metrics": {"enabled": True}},
    }
    policy = render(values).get("NetworkPolicy", CONTROLLER)
    assert policy["spec"]["podSelector"]["matchLabels"] == {
        "app.kubernetes.io/name": "ingress-nginx",
        "app.kubernetes.io/instance": "ingress-nginx",
        "app.kubernetes.io/component": "controller",
    }
    ports = {(port["protocol"], port["port"]) for port in policy["spec"]["ingress"][0]["ports"]}
    assert ports == {("TCP", 80), ("TCP", 443), ("TCP", 10254), ("TCP", 8443), ("TCP", 2222), ("UDP", 53)}
    assert policy["spec"]["policyTypes"] == ["Ingress", "Egress"]


def test_network_policy_leaves_out_disabled_listeners(render):
    values = {"controller": {"networkPolicy": {"enabled": True}, "admissionWebhooks": {"enabled": False}}}
    ports = {port["port"] for port in render(values).get("NetworkPolicy", CONTROLLER)["spec"]["ingress"][0]["ports"]}
    assert ports == {80, 443}


def test_network_policy_limits_webhook_and_metrics_sources(render):
    webhook_from = [{"ipBlock": {"cidr": "10.0.0.0/24"}}]
    metrics_from = [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}]
    values = {"controller": {"metrics": {"enabled": True},
                             "networkPolicy": {"enabled": True, "webhookFrom": webhook_from, "metricsFrom": metrics_from}}}
    rules = render(values).get("NetworkPolicy", CONTROLLER)["spec"]["ingress"]
    assert {port["port"] for port in rules[0]["ports"]} == {80, 443}
    assert "from" not in rules[0]
    assert rules[1:] == [
        {"from": metrics_from, "ports": [{"protocol": "TCP", "port": 10254}]},
        {"from": webhook_from, "ports": [{"protocol": "TCP", "port": 8443}]},
    ]


def test_network_policy_sources_need_their_listener(render):
    values = {"controller": {"admissionWebhooks": {"enabled": False},
                             "networkPolicy": {"enabled": True, "webhookFrom": [{"ipBlock": {"cidr": "10.0.0.0/24"}}],
                                               "metricsFrom": [{"podSelector": {}}]}}}
    rules = render(values).get("NetworkPolicy", CONTROLLER)["spec"]["ingress"]
    assert [{port["port"] for port in rule["ports"]} for rule in rules] == [{80, 443}]


def test_network_policy_off_by_default(render):
    assert render().find("NetworkPolicy", CONTROLLER) is None


def test_helm4_renders_the_same_rbac(render):
    for kind in ("ClusterRole", "Role"):
        assert rules_of(render(helm="helm4").get(kind, FULL)) == rules_of(render().get(kind, FULL))
