"""`explain` reads a key's type, default, allowed values, range and description from the schema."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from ingress_nginx_values.cli import main
from ingress_nginx_values.explain import UnknownPath, explain
from ingress_nginx_values.values_schema import ValuesSchema

SCHEMA = ValuesSchema(
    {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "$defs": {"port": {"type": "integer", "minimum": 1, "maximum": 65535}},
        "properties": {
            "controller": {
                "type": "object",
                "properties": {
                    "kind": {"type": "string", "enum": ["Deployment", "DaemonSet"], "description": "Workload kind."},
                    "port": {"$ref": "#/$defs/port", "description": "Port."},
                    "tolerations": {"type": "array", "items": {"type": "object", "properties": {"key": {"type": "string", "pattern": "^[a-z./-]+$"}}}},
                },
            },
            "tcp": {"type": "object", "additionalProperties": {"type": "string", "description": "namespace/service:port"}},
        },
    }
)
DEFAULTS = {"controller": {"kind": "Deployment", "port": 80, "tolerations": []}, "tcp": {}}


def test_enum_default_and_description() -> None:
    found = explain(SCHEMA, DEFAULTS, "controller.kind")
    assert (found.types, found.default, found.enum, found.description) == (["string"], "Deployment", ["Deployment", "DaemonSet"], "Workload kind.")


def test_range_through_a_ref() -> None:
    found = explain(SCHEMA, DEFAULTS, "controller.port")
    assert found.types == ["integer"]
    assert found.constraints == ["minimum: 1", "maximum: 65535"]
    assert "default: 80" in found.text()


def test_list_items_and_map_entries() -> None:
    assert explain(SCHEMA, DEFAULTS, "controller.tolerations[].key").constraints == ["pattern: ^[a-z./-]+$"]
    entry = explain(SCHEMA, DEFAULTS, "tcp.8080")
    assert entry.description == "namespace/service:port"
    assert not entry.has_default


def test_unknown_path_suggests_a_sibling() -> None:
    with pytest.raises(UnknownPath) as caught:
        explain(SCHEMA, DEFAULTS, "controller.knd")
    assert caught.value.suggestion == "controller.kind"


def test_cli_unknown_path_exits_2_with_did_you_mean(chart_dir: Path) -> None:
    if not (chart_dir / "values.schema.json").is_file():
        pytest.skip("charts/ingress-nginx/values.schema.json is not generated yet (make schema)")
    out, err = io.StringIO(), io.StringIO()
    assert main(["explain", "controller.hostNetwrok"], out=out, err=err) == 2
    assert "Did you mean controller.hostNetwork?" in err.getvalue()


def test_cli_explains_a_real_key(chart_dir: Path) -> None:
    if not (chart_dir / "values.schema.json").is_file():
        pytest.skip("charts/ingress-nginx/values.schema.json is not generated yet (make schema)")
    out = io.StringIO()
    assert main(["explain", "controller.kind"], out=out, err=io.StringIO()) == 0
    text = out.getvalue()
    assert '"DaemonSet"' in text and 'default: "Deployment"' in text
