"""The values.yaml comment reader and the schema generator, on small samples."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ingress_nginx_values.kubernetes_definitions import KubernetesDefinitions
from ingress_nginx_values.schema_build import SchemaBuildError, build_schema, main
from ingress_nginx_values.values_annotations import AnnotationError, parse_annotations

SAMPLE = """\
# File header, separated by a blank line: belongs to no key.

# -- The workload.
workload:
  # -- Kind of workload,
  # spread over two lines.
  # @schema {"enum": ["Deployment", "DaemonSet"]}
  kind: Deployment
  # -- Families, in order.
  # @schema {"items": {"type": "string"}}
  # @schema {"maxItems": 2}
  families:
    - IPv4
  # -- A default list of maps; its item keys are not chart keys.
  # @schema {"items": {"type": "object"}}
  rules:
    - name: first
      value: 1
  # -- Comes after the list.
  "quoted.key": 3
# -- Back at the top level.
top: ""
"""


def test_reader_maps_each_key_path_to_its_comments() -> None:
    annotations = parse_annotations(SAMPLE)
    assert set(annotations) == {
        ("workload",), ("workload", "kind"), ("workload", "families"), ("workload", "rules"),
        ("workload", "quoted.key"), ("top",),
    }
    kind = annotations[("workload", "kind")]
    assert kind.description == "Kind of workload, spread over two lines."
    assert kind.schema == {"enum": ["Deployment", "DaemonSet"]}
    assert kind.line == 8
    assert annotations[("workload", "families")].schema == {"items": {"type": "string"}, "maxItems": 2}
    assert annotations[("top",)].description == "Back at the top level."


MULTI_LINE = """\
# -- A map of annotations.
# @schema
#   {
#     "type": "object",
#     "additionalProperties": {"type": "string"}
#   }
# @schema {"maxProperties": 3}
annotations: {}
# -- A port.
# @schema
#   {"minimum": 1,
#    "maximum": 65535}
port: 80
"""


def test_reader_accepts_multi_line_schema_hints() -> None:
    annotations = parse_annotations(MULTI_LINE)
    assert annotations[("annotations",)].schema == {
        "type": "object", "additionalProperties": {"type": "string"}, "maxProperties": 3,
    }
    assert annotations[("port",)].schema == {"minimum": 1, "maximum": 65535}
    assert annotations[("port",)].description == "A port."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("key: 1\n", "line 1: key needs a `# -- description`", id="no-comment"),
        pytest.param("# -- Text.\n# @schema\n#   {\"enum\": [1,\n#   }\nkey: 1\n", "line 2: @schema of key is not JSON",
                     id="bad-multi-line-json"),
        pytest.param("# -- Parent.\na:\n\n  # -- Child.\n  b: 1\n  c: 2\n", "line 6: a.c needs", id="blank-line-then-key"),
        pytest.param("# plain comment\nkey: 1\n", "key needs a `# -- description`", id="no-description-marker"),
        pytest.param("# -- Text.\n# @schema {\"enum\": [1,}\nkey: 1\n", "line 2: @schema of key is not JSON", id="bad-json"),
        pytest.param("# -- Text.\n# @schema [1]\nkey: 1\n", "must be a JSON object", id="json-not-object"),
        pytest.param("# -- One.\n# -- Two.\nkey: 1\n", "second `# --` description", id="two-descriptions"),
        pytest.param("# -- One.\nkey: 1\n# -- Again.\nkey: 2\n", "line 4: key is declared twice", id="duplicate"),
    ],
)
def test_reader_refuses_layout_it_cannot_read(text: str, message: str) -> None:
    with pytest.raises(AnnotationError) as caught:
        parse_annotations(text)
    assert message in str(caught.value)


def test_generator_infers_types_adds_null_and_closes_chart_objects() -> None:
    schema = build_schema(SAMPLE, KubernetesDefinitions(definitions={}))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    workload = schema["properties"]["workload"]
    assert workload["type"] == "object"
    assert workload["additionalProperties"] is False
    assert workload["default"]["kind"] == "Deployment"
    kind = workload["properties"]["kind"]
    assert kind["type"] == ["string", "null"]
    assert kind["enum"] == ["Deployment", "DaemonSet", None]
    assert kind["default"] == "Deployment"
    assert workload["properties"]["families"] == {
        "description": "Families, in order.", "default": ["IPv4"], "type": ["array", "null"],
        "items": {"type": "string"}, "maxItems": 2,
    }
    assert workload["properties"]["quoted.key"]["type"] == ["integer", "null"]
    assert "$defs" not in schema


def test_generator_inlines_only_the_referenced_kubernetes_definitions() -> None:
    definitions = KubernetesDefinitions(definitions={
        "io.k8s.api.core.v1.Probe": {"type": "object", "properties": {"httpGet": {"$ref": "#/$defs/io.k8s.api.core.v1.HTTPGetAction"}}},
        "io.k8s.api.core.v1.HTTPGetAction": {"type": "object", "properties": {"port": {"$ref": "#/$defs/io.k8s.apimachinery.pkg.util.intstr.IntOrString"}}},
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {"oneOf": [{"type": ["string", "null"]}, {"type": ["integer", "null"]}]},
        "io.k8s.api.core.v1.Toleration": {"type": "object"},
    })
    text = (
        "# -- Probe.\n"
        "# @schema {\"$ref\": \"#/$defs/io.k8s.api.core.v1.Probe\"}\n"
        "probe:\n"
        "  # -- Kubernetes field, documented but not a chart key.\n"
        "  httpGet:\n"
        "    # -- Port.\n"
        "    port: 80\n"
    )
    schema = build_schema(text, definitions)
    probe = schema["properties"]["probe"]
    assert "properties" not in probe, "a pass-through object is validated by its Kubernetes definition"
    assert probe["default"] == {"httpGet": {"port": 80}}
    assert probe["type"] == ["object", "null"]
    assert set(schema["$defs"]) == {
        "io.k8s.api.core.v1.Probe", "io.k8s.api.core.v1.HTTPGetAction", "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
    }
    assert schema["$defs"]["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]["type"] == ["integer", "string", "null"]


def test_optional_properties_join_the_keys_of_a_chart_object() -> None:
    text = (
        "# -- Image.\n"
        "# @schema {\"properties\": {\"registry\": {\"type\": [\"string\", \"null\"], \"description\": \"Registry.\"}}}\n"
        "image:\n"
        "  # -- Name.\n"
        "  image: controller\n"
    )
    image = build_schema(text)["properties"]["image"]
    assert sorted(image["properties"]) == ["image", "registry"]
    assert image["additionalProperties"] is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("# -- Labels.\nlabels: {}\n", "labels: a map needs a `# @schema` line", id="shapeless-map"),
        pytest.param("# -- Items.\nitems: []\n", "items: a list needs", id="list-without-items"),
        pytest.param("# -- Unset.\nflag: null\n", "flag: the default is null", id="null-without-type"),
        pytest.param(
            "# -- Image.\n# @schema {\"properties\": {\"tag\": {\"type\": \"string\"}}}\nimage:\n  # -- Tag.\n  tag: v1\n",
            "already keys in values.yaml", id="optional-clashes-with-key",
        ),
    ],
)
def test_generator_refuses_keys_it_cannot_type(text: str, message: str) -> None:
    with pytest.raises(SchemaBuildError) as caught:
        build_schema(text, KubernetesDefinitions(definitions={}))
    assert message in str(caught.value)


def test_quantity_definition_carries_the_api_server_grammar() -> None:
    closure = KubernetesDefinitions.load().closure(["io.k8s.api.core.v1.ResourceRequirements"])
    quantity: dict[str, Any] = closure["io.k8s.apimachinery.pkg.api.resource.Quantity"]
    assert "pattern" in quantity and "oneOf" not in quantity


def test_api_server_rules_close_profile_types_and_require_exec_commands() -> None:
    closure = KubernetesDefinitions.load().closure(["io.k8s.api.core.v1.SecurityContext", "io.k8s.api.core.v1.Probe"])
    for name in ("io.k8s.api.core.v1.SeccompProfile", "io.k8s.api.core.v1.AppArmorProfile"):
        assert closure[name]["properties"]["type"]["enum"] == ["Localhost", "RuntimeDefault", "Unconfined"]
        assert "description" in closure[name]["properties"]["type"]
        assert closure[name]["required"] == ["type"]
    assert closure["io.k8s.api.core.v1.ExecAction"]["required"] == ["command"]
    assert closure["io.k8s.api.core.v1.ExecAction"]["properties"]["command"]["minItems"] == 1


def test_check_mode_reports_a_stale_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "values.yaml").write_text("# -- Name.\nname: x\n", encoding="utf-8")
    assert main([str(tmp_path), "--check"]) == 1
    assert "run `make schema`" in capsys.readouterr().err
    assert main([str(tmp_path)]) == 0
    assert main([str(tmp_path), "--check"]) == 0
