"""What the e2e tier changes when it runs profiles side by side (tests/e2e/service_wave.py).

The e2e tier proves the members on a real node; these check, without one, that the
split and the overrides are what its docstring says, so a new profile lands in the
right group and keeps its own values.
"""
from __future__ import annotations

from e2e.service_wave import beside_others, profile_member, service_profiles
from profiles import holds_host_ports, load_profile, own_class, profile_names


def test_profiles_split_by_whether_they_hold_the_node_ports() -> None:
    host_port = sorted(set(profile_names()) - set(service_profiles()))
    assert host_port == ["daemonset-hostport", "daemonset-prod", "local-kind"]
    assert all(holds_host_ports(load_profile(name)) for name in host_port)


def test_default_ingress_class_becomes_the_release_name_and_webhook_its_namespace() -> None:
    member = profile_member("deployment-nodeport")
    controller = member.values["controller"]
    assert controller["ingressClass"] == "deployment-nodeport"
    assert controller["ingressClassResource"]["name"] == "deployment-nodeport"
    assert controller["ingressClassResource"]["controllerValue"] == "k8s.io/ingress-nginx-deployment-nodeport"
    assert controller["admissionWebhooks"]["namespaceSelector"] == {
        "matchLabels": {"kubernetes.io/metadata.name": "profile-deployment-nodeport"}}
    # Everything else is the profile's own.
    assert controller["service"] == load_profile("deployment-nodeport")["controller"]["service"]


def test_a_profile_with_its_own_class_keeps_it() -> None:
    values = beside_others(load_profile("second-controller"), "second-controller", "profile-second-controller")
    assert values["controller"]["ingressClassResource"]["name"] == "nginx-internal"
    assert values["controller"]["ingressClassResource"]["controllerValue"] == "k8s.io/ingress-nginx-internal"
    assert values["controller"]["ingressClass"] == "nginx-internal"


def test_own_class_leaves_a_named_class_and_renames_the_default_one() -> None:
    named = load_profile("second-controller")
    assert own_class(named, "r") is named
    controller = own_class({"controller": {"kind": "DaemonSet"}}, "r")["controller"]
    assert controller == {"kind": "DaemonSet", "ingressClass": "r",
                          "ingressClassResource": {"name": "r", "controllerValue": "k8s.io/ingress-nginx-r"}}
