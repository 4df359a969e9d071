"""values.yaml and values.schema.json agree, and the schema refuses typical mistakes."""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
import yaml

from ingress_nginx_values.schema_build import generate
from ingress_nginx_values.values_loading import coalesce_with_defaults
from ingress_nginx_values.values_annotations import parse_annotations
from paths import SEED_VALUES as SEED
from paths import ROOT

CHART = ROOT / "charts" / "ingress-nginx"


@pytest.fixture(scope="module")
def values_text() -> str:
    return (CHART / "values.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def values(values_text: str) -> dict[str, Any]:
    return yaml.safe_load(values_text)


@pytest.fixture(scope="module")
def defaults(values_text: str) -> dict[str, Any]:
    """Helm validates user values merged over the defaults (a null deletes the key), so these tests do too."""
    return yaml.safe_load(values_text)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads((CHART / "values.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> jsonschema.protocols.Validator:
    return jsonschema.Draft202012Validator(schema)


def chart_nodes(schema: dict[str, Any], values: dict[str, Any], path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], dict[str, Any] | None, Any]]:
    """(path, schema node or None, default) for every key of values.yaml, descending
    into the chart's own objects (those whose schema lists their keys)."""
    properties = schema.get("properties", {})
    for key, default in values.items():
        node = properties.get(str(key))
        yield path + (str(key),), node, default
        if node is not None and isinstance(default, dict) and default and "properties" in node:
            yield from chart_nodes(node, default, path + (str(key),))


def owned_objects(node: dict[str, Any], path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """Every object node of the schema generated from a values.yaml map."""
    yield path, node
    for key, child in node.get("properties", {}).items():
        if isinstance(child.get("default"), dict) and child["default"] and "properties" in child:
            yield from owned_objects(child, path + (key,))


def test_committed_schema_is_the_generated_one() -> None:
    committed = (CHART / "values.schema.json").read_text(encoding="utf-8")
    assert committed == generate(CHART), "values.schema.json is stale: run `make schema`"


def test_schema_is_valid_draft_2020_12(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_has_no_remote_references(schema: dict[str, Any]) -> None:
    text = json.dumps(schema)
    refs = {part.split('"')[0] for part in text.split('"$ref": "')[1:]}
    assert refs and all(ref.startswith("#/$defs/") for ref in refs)
    missing = {ref for ref in refs if ref.removeprefix("#/$defs/") not in schema["$defs"]}
    assert not missing


def test_every_values_key_has_type_description_and_default(schema: dict[str, Any], values: dict[str, Any]) -> None:
    problems = []
    for path, node, default in chart_nodes(schema, values):
        dotted = ".".join(path)
        if node is None:
            problems.append(f"{dotted}: no schema property")
            continue
        if "type" not in node:
            problems.append(f"{dotted}: no type")
        if not node.get("description"):
            problems.append(f"{dotted}: no description")
        if "default" not in node or node["default"] != default:
            problems.append(f"{dotted}: schema default {node.get('default')!r} != values.yaml {default!r}")
    assert not problems, "\n".join(problems)


def test_every_schema_property_is_a_values_key_or_a_declared_option(
    schema: dict[str, Any], values: dict[str, Any], values_text: str
) -> None:
    annotations = parse_annotations(values_text)
    problems = []
    for path, node in owned_objects(schema):
        default: Any = values
        for key in path:
            default = default[key]
        declared_options = set(annotations[path].schema.get("properties", {})) if path else set()
        for key in node["properties"]:
            if key not in default and key not in declared_options:
                problems.append(".".join(path + (key,)))
    assert not problems, f"schema properties missing from values.yaml: {problems}"


def test_every_chart_object_refuses_unknown_keys(schema: dict[str, Any]) -> None:
    """Closed, or open only to typed entries (e.g. extra container ports); `global`
    alone stays open because parent charts put their own keys there."""
    open_objects = {
        ".".join(path) for path, node in owned_objects(schema)
        if not (node.get("additionalProperties") is False or isinstance(node.get("additionalProperties"), dict))
    }
    assert open_objects == {"global", "global.image"}


def test_defaults_validate(validator: jsonschema.protocols.Validator, values: dict[str, Any]) -> None:
    assert [error.message for error in validator.iter_errors(values)] == []


MISTAKES = [
    pytest.param({"controller": {"hostNetwrok": True}}, ("controller",), "hostNetwrok", id="misspelt-key"),
    pytest.param({"hostNetwork": True}, (), "hostNetwork", id="misplaced-key"),
    pytest.param({"controller": {"kind": "Daemonset"}}, ("controller", "kind"), "Daemonset", id="kind-case"),
    pytest.param({"controller": {"service": {"type": "loadBalancer"}}}, ("controller", "service", "type"), "loadBalancer", id="service-type-case"),
    pytest.param({"controller": {"service": {"externalTrafficPolicy": "local"}}}, ("controller", "service", "externalTrafficPolicy"), "local", id="traffic-policy"),
    pytest.param({"controller": {"service": {"ipFamilies": ["IPv5"]}}}, ("controller", "service", "ipFamilies", 0), "IPv5", id="ip-family"),
    pytest.param({"controller": {"image": {"pullPolicy": "always"}}}, ("controller", "image", "pullPolicy"), "always", id="pull-policy"),
    pytest.param({"controller": {"admissionWebhooks": {"failurePolicy": "fail"}}}, ("controller", "admissionWebhooks", "failurePolicy"), "fail", id="failure-policy"),
    pytest.param({"controller": {"dnsPolicy": "HostNetwork"}}, ("controller", "dnsPolicy"), "HostNetwork", id="dns-policy"),
    pytest.param({"controller": {"image": {"seccompProfile": {"type": "runtimeDefault"}}}}, ("controller", "image", "seccompProfile", "type"), "runtimeDefault", id="seccomp-type"),
    pytest.param({"controller": {"resources": {"requests": {"memory": "90MB"}}}}, ("controller", "resources", "requests", "memory"), "90MB", id="bad-quantity"),
    pytest.param({"controller": {"resources": {"limits": {"cpu": "one"}}}}, ("controller", "resources", "limits", "cpu"), "one", id="bad-cpu"),
    pytest.param({"controller": {"service": {"loadBalancerSourceRanges": ["10.0.0.0"]}}}, ("controller", "service", "loadBalancerSourceRanges", 0), "10.0.0.0", id="cidr-without-prefix"),
    pytest.param({"controller": {"service": {"loadBalancerSourceRanges": ["300.1.1.0/24"]}}}, ("controller", "service", "loadBalancerSourceRanges", 0), "300.1.1.0/24", id="bad-cidr"),
    # The API server: "must be a valid CIDR value", "must not have an IPv4-mapped IPv6 address".
    pytest.param({"controller": {"service": {"loadBalancerSourceRanges": ["1:::2/64"]}}}, ("controller", "service", "loadBalancerSourceRanges", 0), "1:::2/64", id="cidr-ipv6-syntax"),
    pytest.param({"controller": {"service": {"internal": {"loadBalancerSourceRanges": ["2001:db8:0:0:0:0:0:0:0/64"]}}}},
                 ("controller", "service", "internal", "loadBalancerSourceRanges", 0), "2001:db8:0:0:0:0:0:0:0/64", id="cidr-ipv6-nine-groups"),
    pytest.param({"defaultBackend": {"service": {"loadBalancerSourceRanges": ["::ffff:10.0.0.0/104"]}}},
                 ("defaultBackend", "service", "loadBalancerSourceRanges", 0), "::ffff:10.0.0.0/104", id="cidr-ipv4-in-ipv6"),
    pytest.param({"controller": {"service": {"loadBalancerSourceRanges": ["10.0.0.0/64"]}}}, ("controller", "service", "loadBalancerSourceRanges", 0), "10.0.0.0/64", id="cidr-ipv4-long-prefix"),
    pytest.param({"controller": {"ingressClassResource": {"controllerValue": "ingress-nginx"}}}, ("controller", "ingressClassResource", "controllerValue"), "ingress-nginx", id="controller-value-without-domain"),
    pytest.param({"controller": {"service": {"ports": {"http": 70000}}}}, ("controller", "service", "ports", "http"), "70000", id="port-70000"),
    pytest.param({"controller": {"service": {"nodePorts": {"http": 70000}}}}, ("controller", "service", "nodePorts", "http"), "70000", id="node-port-range"),
    pytest.param({"controller": {"replicaCount": -1}}, ("controller", "replicaCount"), "-1", id="negative-replicas"),
    pytest.param({"controller": {"autoscaling": {"minReplicas": 0}}}, ("controller", "autoscaling", "minReplicas"), "0", id="hpa-min-zero"),
    pytest.param({"tcp": {"8080": "svc:8080"}}, ("tcp", "8080"), "svc:8080", id="tcp-without-namespace"),
    pytest.param({"tcp": {"http": "default/svc:80"}}, ("tcp",), "http", id="tcp-key-not-a-port"),
    pytest.param({"controller": {"extraArgs": {"--v": "2"}}}, ("controller", "extraArgs"), "--v", id="extra-arg-with-dashes"),
    pytest.param({"controller": {"tolerations": [{"keyy": "a"}]}}, ("controller", "tolerations", 0), "keyy", id="kubernetes-object-unknown-field"),
    pytest.param({"controller": {"startupProbe": {"httpGet": {"port": 10254, "pat": "/"}}}}, ("controller", "startupProbe", "httpGet"), "pat", id="probe-unknown-field"),
    pytest.param({"controller": {"podLabels": {"team": 7}}}, ("controller", "podLabels", "team"), "7", id="label-not-a-string"),
    # The API server refuses each of these Service addresses ("must be a valid IP address", "leading 0s", "IPv4-mapped").
    pytest.param({"controller": {"admissionWebhooks": {"service": {"clusterIP": "webhook"}}}}, ("controller", "admissionWebhooks", "service", "clusterIP"), "webhook", id="webhook-cluster-ip"),
    pytest.param({"controller": {"metrics": {"service": {"clusterIP": "none"}}}}, ("controller", "metrics", "service", "clusterIP"), "none", id="metrics-cluster-ip-case"),
    pytest.param({"controller": {"service": {"clusterIP": "010.96.0.10"}}}, ("controller", "service", "clusterIP"), "010.96.0.10", id="cluster-ip-leading-zero"),
    pytest.param({"controller": {"service": {"internal": {"clusterIP": "fd00::1%eth0"}}}}, ("controller", "service", "internal", "clusterIP"), "fd00::1%eth0", id="cluster-ip-zone"),
    pytest.param({"defaultBackend": {"service": {"clusterIP": "10.96.0.256"}}}, ("defaultBackend", "service", "clusterIP"), "10.96.0.256", id="backend-cluster-ip"),
    pytest.param({"controller": {"service": {"clusterIPs": [""]}}}, ("controller", "service", "clusterIPs", 0), "''", id="cluster-ips-empty-entry"),
    pytest.param({"controller": {"service": {"externalIPs": ["::ffff:10.0.0.1"]}}}, ("controller", "service", "externalIPs", 0), "::ffff:10.0.0.1", id="external-ip-mapped"),
    pytest.param({"controller": {"metrics": {"service": {"externalIPs": ["None"]}}}}, ("controller", "metrics", "service", "externalIPs", 0), "None", id="external-ip-none"),
    # Found by the mutations tier's server-side dry-run: "command: Required value", "Unsupported value",
    # "name part must consist of alphanumeric characters". (A probe's handler count is the chart's check,
    # templates/_validate-containers.tpl, tested in tests/render/test_validate_workload.py.)
    pytest.param({"controller": {"lifecycle": {"preStop": {"exec": {"command": None}}}}}, ("controller", "lifecycle", "preStop", "exec"), "command", id="exec-without-command"),
    pytest.param({"controller": {"admissionWebhooks": {"createSecretJob": {"securityContext": {"seccompProfile": {"type": "Bad_Name."}}}}}},
                 ("controller", "admissionWebhooks", "createSecretJob", "securityContext", "seccompProfile", "type"), "Bad_Name.", id="job-seccomp-type"),
    pytest.param({"controller": {"service": {"loadBalancerClass": "Bad_Name."}}}, ("controller", "service", "loadBalancerClass"), "Bad_Name.", id="load-balancer-class"),
]


@pytest.mark.parametrize(("values", "path", "mentions"), MISTAKES)
def test_mistake_is_refused_at_its_path(
    validator: jsonschema.protocols.Validator,
    defaults: dict[str, Any],
    values: dict[str, Any],
    path: tuple[Any, ...],
    mentions: str,
) -> None:
    errors = list(validator.iter_errors(coalesce_with_defaults(defaults, values)))
    at_path = [error for error in errors if tuple(error.absolute_path) == path]
    assert at_path, f"no error at {path}; got {[(tuple(e.absolute_path), e.message) for e in errors]}"
    assert any(mentions in error.message for error in at_path), [error.message for error in at_path]


IDIOMS = [
    pytest.param({"controller": {"image": {"digest": None}, "admissionWebhooks": {"patch": {"image": {"digest": None}}}}}, id="null-digests"),
    pytest.param({"controller": {"config": {"use-forwarded-headers": True, "worker-processes": 4, "ssl-protocols": "TLSv1.3", "proxy-body-size": None}}}, id="config-bool-int"),
    pytest.param({"controller": {"service": {"targetPorts": {"http": "8080", "https": 8443}}}}, id="string-target-ports"),
    pytest.param({"controller": {"service": {"internal": {"enabled": True, "ports": {"http": 8080}, "targetPorts": {"https": "https"}}}}}, id="internal-ports"),
    pytest.param({"tcp": {"8080": "default/svc:8080", "9000": "ns/svc:9000:PROXY", "9001": "ns/svc:http::PROXY"}, "udp": {"53": "kube-system/kube-dns:53"}}, id="tcp-udp"),
    pytest.param({"controller": {"service": {"nodePorts": {"http": 30080, "https": "30443", "tcp": {"8080": 32000}}}}}, id="node-ports"),
    pytest.param({"controller": {"minAvailable": "50%", "maxUnavailable": 0}, "defaultBackend": {"maxUnavailable": "25%"}}, id="int-or-string-budgets"),
    pytest.param({"controller": {"autoscaling": {"targetCPUUtilizationPercentage": "", "targetMemoryUtilizationPercentage": None}}}, id="drop-hpa-metric"),
    pytest.param({"controller": {"kind": None, "service": {"type": None, "loadBalancerSourceRanges": None}}}, id="null-leaves"),
    pytest.param({"controller": {"image": {"registry": "mirror.example", "repository": "mirror.example/controller", "tag": 1.5}}}, id="image-overrides"),
    pytest.param({"controller": {"livenessProbe": {"httpGet": {"port": "metrics"}}, "startupProbe": {"tcpSocket": {"port": 10254}}}}, id="probe-ports"),
    pytest.param({"controller": {"resources": {"requests": {"cpu": 0.5, "memory": "1.5Gi"}, "limits": {"cpu": "2", "memory": "512M"}}}}, id="quantities"),
    pytest.param({"controller": {"service": {"loadBalancerSourceRanges": ["10.0.0.0/8", "192.168.1.10/32", "2001:db8::/32", "::/0", "fe80::/10",
                                                                         "2001:DB8:0:0:0:0:0:80/121", "::1/128", "0.0.0.0/0"]}}}, id="cidrs"),
    pytest.param({"controller": {"ingressClassResource": {"controllerValue": "example.com/ingress-nginx-internal"}}}, id="controller-value"),
    pytest.param({"controller": {"hostname": "edge-1", "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}}}, id="hostname-strategy"),
    pytest.param({"global": {"imageRegistry": "shared-by-parent"}}, id="parent-chart-globals"),
    pytest.param({"controller": {"service": {"clusterIP": "None", "clusterIPs": ["None"], "internal": {"clusterIP": "10.96.0.30"}},
                                 "admissionWebhooks": {"service": {"clusterIP": "fd00:10:96::1", "externalIPs": ["192.0.2.7", "2001:DB8::7"]}},
                                 "metrics": {"service": {"clusterIP": ""}}},
                  "defaultBackend": {"service": {"clusterIP": "10.96.0.40", "clusterIPs": ["10.96.0.40", "fd00:10:96::40"]}}}, id="service-addresses"),
    pytest.param({"controller": {"livenessProbe": {"httpGet": None, "tcpSocket": {"port": 10254}}, "readinessProbe": {"httpGet": None, "exec": {"command": ["true"]}},
                                 "startupProbe": {"grpc": {"port": 10254}}, "service": {"loadBalancerClass": "example.com/lb", "internal": {"loadBalancerClass": "internal"}}}},
                 id="probe-handlers-and-classes"),
]


@pytest.mark.parametrize("values", IDIOMS)
def test_upstream_idiom_is_accepted(
    validator: jsonschema.protocols.Validator, defaults: dict[str, Any], values: dict[str, Any]
) -> None:
    merged = coalesce_with_defaults(defaults, values)
    assert [(tuple(e.absolute_path), e.message) for e in validator.iter_errors(merged)] == []


def test_seed_values_file_is_accepted(validator: jsonschema.protocols.Validator, defaults: dict[str, Any]) -> None:
    seed = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    assert seed["controller"]["image"]["digest"] is None
    merged = coalesce_with_defaults(defaults, seed)
    assert [(tuple(e.absolute_path), e.message) for e in validator.iter_errors(merged)] == []
