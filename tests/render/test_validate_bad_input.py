"""Every example of bad input from issue 9: refused by Helm at its values path, never a template trace."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from manifests import Manifests

TRACE_MARKERS = ("nil pointer", "error calling", "executing \"", "<.Values")


def assert_refused_at(message: str, pointer: str, key: str | None = None) -> None:
    """Helm names a value as `at '/a/b'` and an unknown or missing key as `at '/a': ... 'key'`."""
    for marker in TRACE_MARKERS:
        assert marker not in message, f"a template trace instead of a refusal:\n{message}"
    lines = [line for line in message.splitlines() if f"at '{pointer}'" in line]
    assert lines, f"Helm did not refuse at {pointer}:\n{message}"
    if key is not None:
        assert any(f"'{key}'" in line for line in lines), f"Helm did not name {key!r} at {pointer}:\n{message}"


def assert_fails_naming(message: str, path: str) -> None:
    for marker in TRACE_MARKERS:
        assert marker not in message, f"a template trace instead of a refusal:\n{message}"
    assert f"): {path}: " in message, f"the chart's refusal does not start with {path}:\n{message}"


@pytest.mark.parametrize(
    ("values", "pointer", "key"),
    [
        ({"controller": {"extraArgs": {"--foo": "bar"}}}, "/controller/extraArgs", "--foo"),
        ({"tcp": {"ssh": "git/ssh:22"}}, "/tcp", "ssh"),
        ({"udp": {"dns": "kube-system/dns:53"}}, "/udp", "dns"),
        ({"controller": {"service": {"nodePorts": {"tcp": {"x": 30000}}}}}, "/controller/service/nodePorts/tcp", "x"),
        ({"defaultBackend": {"extraArgs": {"-bad": "1"}}}, "/defaultBackend/extraArgs", "-bad"),
    ],
    ids=["extraArgs-dashes", "tcp-name", "udp-name", "nodePorts-tcp-name", "backend-extraArgs"],
)
def test_key_pattern_is_refused_at_its_own_path(
    render_error: Callable[..., str], values: dict[str, Any], pointer: str, key: str
) -> None:
    # propertyNames made Helm name a random other path; patternProperties names this one.
    assert_refused_at(render_error(values), pointer, key)


@pytest.mark.parametrize(
    ("values", "pointer", "key"),
    [
        ({"controller": {"admissionWebhooks": {"patch": {"image": None}}}}, "/controller/admissionWebhooks/patch", "image"),
        ({"controller": {"service": None}}, "/controller", "service"),
        ({"controller": {"hostPort": None}}, "/controller", "hostPort"),
        ({"controller": {"autoscaling": None}}, "/controller", "autoscaling"),
        ({"controller": {"containerPort": None}}, "/controller", "containerPort"),
        ({"defaultBackend": {"image": None}}, "/defaultBackend", "image"),
    ],
    ids=["patch-image", "service", "hostPort", "autoscaling", "containerPort", "backend-image"],
)
def test_null_for_a_chart_object_is_refused_at_its_path(
    render_error: Callable[..., str], values: dict[str, Any], pointer: str, key: str
) -> None:
    assert_refused_at(render_error(values), pointer, key)


def test_null_leaf_still_drops_the_default(render: Callable[..., Manifests]) -> None:
    pod = render({"controller": {"image": {"digest": None}, "nodeSelector": None}}).controller()["spec"]["template"]["spec"]
    assert "@sha256" not in pod["containers"][0]["image"]
    assert "nodeSelector" not in pod


@pytest.mark.parametrize(
    ("values", "pointer", "key"),
    [
        ({"controller": {"containerPort": {"extra_port": 8080}}}, "/controller/containerPort", "extra_port"),
        ({"nameOverride": "a.b"}, "/nameOverride", None),
        ({"fullnameOverride": "UPPER"}, "/fullnameOverride", None),
        ({"serviceAccount": {"name": "SA_Name"}}, "/serviceAccount/name", None),
        ({"controller": {"priorityClassName": "sys tem"}}, "/controller/priorityClassName", None),
        ({"commonLabels": {"not a key": "x"}}, "/commonLabels", "not a key"),
        ({"controller": {"podLabels": {"team": "has space"}}}, "/controller/podLabels/team", None),
        ({"controller": {"replicaCount": 2**31}}, "/controller/replicaCount", None),
        ({"controller": {"containerSecurityContext": {"runAsUser": -1}}}, "/controller/containerSecurityContext/runAsUser", None),
        (
            {"controller": {"topologySpreadConstraints": [{"maxSkew": 0, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"}]}},
            "/controller/topologySpreadConstraints/0/maxSkew",
            None,
        ),
        ({"controller": {"maxUnavailable": "150%"}}, "/controller/maxUnavailable", None),
        ({"controller": {"config": {"annotations-risk-level": "critical"}}}, "/controller/config/annotations-risk-level", None),
        # Found by the mutations corpus after issue 9's list.
        ({"controller": {"metrics": {"serviceMonitor": {"namespace": "Monitoring"}}}},
         "/controller/metrics/serviceMonitor/namespace", None),
        ({"controller": {"scope": {"namespace": "team_a"}}}, "/controller/scope/namespace", None),
        ({"controller": {"admissionWebhooks": {"patch": {"runtimeClassName": "gVisor"}}}},
         "/controller/admissionWebhooks/patch/runtimeClassName", None),
    ],
    ids=[
        "port-name", "nameOverride-dot", "fullnameOverride-upper", "serviceAccount-name", "priorityClassName",
        "label-key", "label-value", "int32", "runAsUser", "maxSkew", "percent", "risk-level-case",
        "serviceMonitor-namespace", "scope-namespace", "certgen-runtimeClassName",
    ],
)
def test_value_the_api_server_refuses_is_refused_at_its_path(
    render_error: Callable[..., str], values: dict[str, Any], pointer: str, key: str | None
) -> None:
    assert_refused_at(render_error(values), pointer, key)


@pytest.mark.parametrize(
    ("values", "path"),
    [
        ({"controller": {"labels": {"app.kubernetes.io/component": "edge"}}}, "controller.labels"),
        ({"commonLabels": {"app.kubernetes.io/name": "edge"}}, "commonLabels"),
        ({"controller": {"podLabels": {"app.kubernetes.io/instance": "other"}}}, "controller.podLabels"),
        ({"controller": {"customTemplate": {"configMapName": "nginx-template"}}}, "controller.customTemplate.configMapKey"),
        ({"controller": {"customTemplate": {"configMapKey": "nginx.tmpl"}}}, "controller.customTemplate.configMapName"),
        ({"controller": {"config": {"allow-snippet-annotations": "true"}}}, "controller.config.allow-snippet-annotations"),
        ({"controller": {"config": {"add-headers": "ns/cm"}}}, "controller.config.add-headers"),
        # Found by the mutations corpus (a null for every key) after issue 9's list.
        ({"controller": {"containerName": None}}, "controller.containerName"),
        ({"controller": {"image": {"tag": ""}}}, "controller.image.tag"),
        ({"controller": {"image": {"image": None}}}, "controller.image.image"),
        ({"defaultBackend": {"enabled": True, "image": {"tag": None}}}, "defaultBackend.image.tag"),
        ({"controller": {"extraModules": [{"name": "m", "image": {"registry": "r.example", "image": "m", "tag": ""}}]}},
         "controller.extraModules[0].image.tag"),
        ({"controller": {"admissionWebhooks": {"createSecretJob": {"name": None}}}},
         "controller.admissionWebhooks.createSecretJob.name"),
        ({"controller": {"admissionWebhooks": {"createSecretJob": {"name": "patch"}}}},
         "controller.admissionWebhooks.patchWebhookJob.name"),
    ],
    ids=["selector-in-controller-labels", "selector-in-commonLabels", "selector-in-podLabels",
         "template-name-without-key", "template-key-without-name", "snippet-switch", "add-headers",
         "containerName-null", "image-tag-empty", "image-name-null", "backend-tag-null", "module-tag-empty",
         "certgen-job-name-null", "certgen-job-names-equal"],
)
def test_chart_refuses_naming_the_value(render_error: Callable[..., str], values: dict[str, Any], path: str) -> None:
    assert_fails_naming(render_error(values), path)


def test_snippet_message_points_to_the_chart_key(render_error: Callable[..., str]) -> None:
    message = render_error({"controller": {"config": {"allow-snippet-annotations": "true"}}})
    assert "set controller.allowSnippetAnnotations instead" in message


@pytest.mark.parametrize("length", [29, 40, 53])
def test_release_name_too_long_for_the_admission_service(render_error: Callable[..., str], length: int) -> None:
    message = render_error({}, release="r" * length)
    assert_fails_naming(message, "fullnameOverride")
    assert "-admission" in message and "at most 42 characters" in message


def test_longest_release_name_that_fits(render: Callable[..., Manifests]) -> None:
    names = [name for kind, name in render({}, release="r" * 28).index() if kind == "Service"]
    assert names and all(len(name) <= 63 for name in names)


def test_release_name_that_is_no_dns_label(render_error: Callable[..., str]) -> None:
    assert_fails_naming(render_error({}, release="1st"), "fullnameOverride")


def test_short_fullname_override_rescues_a_long_release(render: Callable[..., Manifests]) -> None:
    names = [name for kind, name in render({"fullnameOverride": "edge"}, release="r" * 53).index() if kind == "Service"]
    assert "edge-controller-admission" in names


@pytest.mark.parametrize(
    "values",
    [
        {"controller": {"config": {"annotations-risk-level": "High", "strict-validate-path-type": True}}},
        {"controller": {"labels": {"team": "edge"}, "podLabels": {"example.com/tier": "front"}}},
        {"controller": {"customTemplate": {"configMapName": "nginx-template", "configMapKey": "nginx.tmpl"}}},
        {"controller": {"containerPort": {"http": 80, "https": 443, "proxy-http": 8080}}},
        {"controller": {"maxUnavailable": "100%"}},
        {"controller": {"scope": {"enabled": True, "namespace": "team-a"}, "runtimeClassName": "gvisor.example.com"}},
        {"controller": {"image": {"repository": "mirror.example.com/ingress/controller", "image": None}}},
    ],
    ids=["security-config", "own-labels", "custom-template", "extra-port-name", "percent-100", "names", "repository-only"],
)
def test_valid_neighbours_still_render(render: Callable[..., Manifests], values: dict[str, Any]) -> None:
    assert render(values).objects
