"""Arguments of the controller container: upstream 4.15.1's order and conditions."""
from __future__ import annotations

from typing import Any

import pytest

from manifests import Manifests, Render, container



def args_of(manifests: Manifests) -> list[str]:
    return container(manifests.controller(), "controller")["args"]


DEFAULT_ARGS = [
    "/nginx-ingress-controller",
    "--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller",
    "--election-id=ingress-nginx-leader",
    "--controller-class=k8s.io/ingress-nginx",
    "--ingress-class=nginx",
    "--configmap=$(POD_NAMESPACE)/ingress-nginx-controller",
    "--validating-webhook=:8443",
    "--validating-webhook-certificate=/usr/local/certificates/cert",
    "--validating-webhook-key=/usr/local/certificates/key",
]

EVERYTHING_ON: dict[str, Any] = {
    "controller": {
        "enableAnnotationValidations": False,
        "hostNetwork": True,
        "reportNodeInternalIp": True,
        "scope": {"enabled": True, "namespace": "apps"},
        "configMapNamespace": "conf",
        "tcp": {"configMapNamespace": "streams"},
        "maxmindLicenseKey": "LICENSE",
        "healthCheckHost": "127.0.0.1",
        "healthCheckPath": "/ready",
        "ingressClassByName": True,
        "watchIngressWithoutClass": True,
        "metrics": {"enabled": True},
        "enableTopologyAwareRouting": True,
        "disableLeaderElection": True,
        "electionTTL": "30s",
        "electionID": "my-lease",
        "publishService": {"pathOverride": "edge/lb"},
        "ingressClassResource": {"controllerValue": "example.com/edge"},
        "ingressClass": "edge",
        "admissionWebhooks": {"port": 9443, "certificate": "/c/cert", "key": "/c/key"},
        "extraArgs": {"v": 3, "enable-ssl-passthrough": ""},
    },
    "defaultBackend": {"enabled": True},
    "tcp": {"9000": "apps/db:5432"},
    "udp": {"5353": "apps/dns:53"},
}

EVERYTHING_ON_ARGS = [
    "/nginx-ingress-controller",
    "--enable-annotation-validation=false",
    "--default-backend-service=$(POD_NAMESPACE)/ingress-nginx-defaultbackend",
    "--publish-service=edge/lb",
    "--election-id=my-lease",
    "--controller-class=example.com/edge",
    "--ingress-class=edge",
    "--configmap=conf/ingress-nginx-controller",
    "--tcp-services-configmap=streams/ingress-nginx-tcp",
    "--udp-services-configmap=$(POD_NAMESPACE)/ingress-nginx-udp",
    "--watch-namespace=apps",
    "--report-node-internal-ip-address=true",
    "--validating-webhook=:9443",
    "--validating-webhook-certificate=/c/cert",
    "--validating-webhook-key=/c/key",
    "--maxmind-license-key=LICENSE",
    "--healthz-host=127.0.0.1",
    "--health-check-path=/ready",
    "--ingress-class-by-name=true",
    "--watch-ingress-without-class=true",
    "--enable-metrics=true",
    "--enable-topology-aware-routing=true",
    "--disable-leader-election=true",
    "--election-ttl=30s",
    "--enable-ssl-passthrough",
    "--v=3",
]


@pytest.mark.parametrize("helm", ["helm3", "helm4"])
def test_default_arguments(render: Render, helm: str) -> None:
    assert args_of(render({}, helm=helm)) == DEFAULT_ARGS


@pytest.mark.parametrize("helm", ["helm3", "helm4"])
def test_every_conditional_argument_in_order(render: Render, helm: str) -> None:
    assert args_of(render(EVERYTHING_ON, helm=helm)) == EVERYTHING_ON_ARGS


def test_daemonset_gets_the_same_arguments(render: Render) -> None:
    values = {**EVERYTHING_ON, "controller": {**EVERYTHING_ON["controller"], "kind": "DaemonSet"}}
    assert args_of(render(values)) == EVERYTHING_ON_ARGS


def test_names_follow_release_and_overrides(render: Render) -> None:
    args = args_of(render({"fullnameOverride": "edge", "defaultBackend": {"enabled": True}}, release="r1"))
    assert "--default-backend-service=$(POD_NAMESPACE)/edge-defaultbackend" in args
    assert "--election-id=edge-leader" in args
    assert "--configmap=$(POD_NAMESPACE)/edge-controller" in args


def test_publish_service_points_at_internal_service_when_only_it_exists(render: Render) -> None:
    values = {"controller": {"service": {"external": {"enabled": False}, "internal": {"enabled": True}}}}
    assert "--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller-internal" in args_of(render(values))


@pytest.mark.parametrize(
    "controller",
    [
        {"publishService": {"enabled": False}},
        {"service": {"enabled": False}},
        {"service": {"external": {"enabled": False}}},
    ],
)
def test_no_publish_service_without_a_service_to_publish(render: Render, controller: dict[str, Any]) -> None:
    assert not [a for a in args_of(render({"controller": controller})) if a.startswith("--publish-service")]


def test_namespace_selector_only_without_scope(render: Render) -> None:
    args = args_of(render({"controller": {"scope": {"namespaceSelector": "team=edge"}}}))
    assert "--watch-namespace-selector=team=edge" in args
    scoped = args_of(render({"controller": {"scope": {"enabled": True, "namespaceSelector": "team=edge"}}}))
    assert "--watch-namespace=$(POD_NAMESPACE)" in scoped
    assert not [a for a in scoped if a.startswith("--watch-namespace-selector")]


def test_node_internal_ip_needs_host_network(render: Render) -> None:
    args = args_of(render({"controller": {"reportNodeInternalIp": True}}))
    assert "--report-node-internal-ip-address=true" not in args


def test_no_webhook_arguments_without_webhook(render: Render) -> None:
    args = args_of(render({"controller": {"admissionWebhooks": {"enabled": False}}}))
    assert not [a for a in args if a.startswith("--validating-webhook")]


def test_empty_ingress_class_is_left_out(render: Render) -> None:
    args = args_of(render({"controller": {"ingressClass": ""}}))
    assert not [a for a in args if a.startswith("--ingress-class=")]


def test_extra_args_false_empty_null_and_numbers(render: Render) -> None:
    values = {
        "controller": {
            "extraArgs": {
                "zeta": "value",
                "enable-ssl-passthrough": "",
                "update-status": False,
                "alpha": None,
                "sync-rate-limit": 1000000,
                "shutdown-grace-period": 15,
            }
        }
    }
    tail = args_of(render(values))[len(DEFAULT_ARGS):]
    assert tail == [
        "--alpha",
        "--enable-ssl-passthrough",
        "--shutdown-grace-period=15",
        "--sync-rate-limit=1000000",
        "--update-status=false",
        "--zeta=value",
    ]


def test_extra_args_list_repeats_the_flag(render: Render) -> None:
    values = {"controller": {"extraArgs": {"default-ssl-certificate": ["ns/one", "ns/two"], "v": 2}}}
    assert args_of(render(values))[len(DEFAULT_ARGS):] == [
        "--default-ssl-certificate=ns/one",
        "--default-ssl-certificate=ns/two",
        "--v=2",
    ]


def test_extra_args_true_is_explicit(render: Render) -> None:
    assert args_of(render({"controller": {"extraArgs": {"enable-ssl-passthrough": True}}}))[-1] == (
        "--enable-ssl-passthrough=true"
    )
