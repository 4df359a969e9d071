"""Generates the chart's values.schema.json from values.yaml.

    python -m ingress_nginx_values.schema_build charts/ingress-nginx [--check]

Each key's schema starts from its default (type, and the default itself), takes
its description from the `# --` comment and merges the `# @schema` JSON written
above it. Maps with a non-empty default that carry no Kubernetes `$ref` are the
chart's own objects: their keys come from values.yaml and nothing else is allowed,
and their nested objects of the chart's own keys are required (Helm drops a key set
to null before it validates, so `required` is what reports `controller.service: null`
at its path instead of letting a template fail on a nil map; a `required` hint adds
free maps the templates also read without a nil check). Everything else is a leaf and also accepts null, because users write `key: null`
(or `key:`) to drop a default.
"""
from __future__ import annotations

import argparse
import copy
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ingress_nginx_values.kubernetes_definitions import KubernetesDefinitions, references
from ingress_nginx_values.schema_sharing import share_repeated_patterns
from ingress_nginx_values.values_annotations import Annotation, KeyPath, parse_annotations

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILE = "values.schema.json"
VALUES_FILE = "values.yaml"
# Keywords that make an object-typed leaf's shape explicit; a bare `{}` default
# without one of them would silently accept anything.
OBJECT_SHAPES = ("$ref", "anyOf", "oneOf", "additionalProperties", "maxProperties")
# Keywords that make a key a pass-through object, validated by its own schema
# rather than by the keys of its default.
PASS_THROUGH = ("$ref", "anyOf", "oneOf")
# Kubernetes stores counts, ports and IDs of the chart's own keys in int32 fields
# and refuses anything larger; a key that allows more says so with its own maximum.
INT32_MAX = 2**31 - 1


class SchemaBuildError(ValueError):
    """values.yaml does not say enough to build a strict schema for some key."""


def json_type(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    raise SchemaBuildError(f"no JSON type for {type(value).__name__} value {value!r}")


def with_null(schema: dict[str, Any]) -> None:
    """Lets a leaf take null as well as its own type (and enum)."""
    declared = schema["type"]
    types = list(declared) if isinstance(declared, list) else [declared]
    if "null" not in types:
        types.append("null")
    schema["type"] = types
    if "enum" in schema and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]


@dataclass(frozen=True)
class SchemaBuilder:
    annotations: dict[KeyPath, Annotation]

    def node(self, path: KeyPath, default: Any) -> dict[str, Any]:
        dotted = ".".join(path)
        annotation = self.annotations.get(path)
        if annotation is None:
            raise SchemaBuildError(f"{dotted}: no `# --` comment found above this key")
        hints = copy.deepcopy(annotation.schema)
        schema: dict[str, Any] = {"description": annotation.description, "default": default}
        owned = isinstance(default, dict) and default and not any(key in hints for key in PASS_THROUGH)
        if owned:
            schema.update(self._owned_object(path, default, hints))
            return schema
        schema.update(hints)
        if "type" not in schema:
            inferred = json_type(default)
            if inferred is None:
                raise SchemaBuildError(f"{dotted}: the default is null, so add a `# @schema {{\"type\": ...}}` line")
            schema["type"] = inferred
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if "object" in types and isinstance(default, dict) and not any(key in schema for key in OBJECT_SHAPES):
            raise SchemaBuildError(f"{dotted}: a map needs a `# @schema` line saying its shape ($ref or additionalProperties)")
        if "array" in types and "items" not in schema:
            raise SchemaBuildError(f"{dotted}: a list needs a `# @schema {{\"items\": ...}}` line")
        if "integer" in types and "maximum" not in schema:
            schema["maximum"] = INT32_MAX
        with_null(schema)
        return schema

    def is_closed_object(self, path: KeyPath, default: Any) -> bool:
        """A nested object of the chart's own keys, which templates read without a nil check.

        Free maps (nodeSelector, labels: their hints say what keys they allow) stay
        nullable, because `key: null` is how users drop such a default, and so do
        objects whose hint says `"type": ["object", "null"]`.
        """
        if not isinstance(default, dict) or not default:
            return False
        annotation = self.annotations.get(path)
        hints = annotation.schema if annotation is not None else {}
        if "null" in (hints.get("type") or []):
            return False  # the templates read it with a nil check; null drops it as in upstream
        return not any(key in hints for key in (*PASS_THROUGH, "additionalProperties", "patternProperties"))

    def _owned_object(self, path: KeyPath, default: dict[str, Any], hints: dict[str, Any]) -> dict[str, Any]:
        properties = {str(key): self.node(path + (str(key),), value) for key, value in default.items()}
        optional = hints.pop("properties", {})
        clash = sorted(set(optional) & set(properties))
        if clash:
            raise SchemaBuildError(f"{'.'.join(path)}: @schema properties {clash} are already keys in values.yaml")
        properties.update(optional)
        schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
        required = [str(key) for key, value in default.items() if self.is_closed_object(path + (str(key),), value)]
        required += [key for key in hints.pop("required", []) if key not in required]
        if required:
            schema["required"] = required
        schema.update(hints)
        return schema


def build_schema(values_text: str, definitions: KubernetesDefinitions | None = None) -> dict[str, Any]:
    values = yaml.safe_load(values_text)
    if not isinstance(values, dict):
        raise SchemaBuildError("values.yaml must be a mapping")
    annotations = parse_annotations(values_text)
    builder = SchemaBuilder(annotations)
    properties = {str(key): builder.node((str(key),), value) for key, value in values.items()}
    schema: dict[str, Any] = {
        "$schema": DRAFT,
        "title": "Values of the ingress-nginx chart",
        "description": "Generated from values.yaml by `make schema`; edit the comments there, not this file.",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "required": [str(key) for key, value in values.items() if builder.is_closed_object((str(key),), value)],
    }
    wanted = sorted(set(references(properties)))
    if wanted:
        schema["$defs"] = (definitions or KubernetesDefinitions.load()).closure(wanted)
    return share_repeated_patterns(schema)


def render(schema: dict[str, Any]) -> str:
    # Without indentation: Helm parses the file on every run, and editors and
    # `explain` read it rather than people.
    return json.dumps(schema, sort_keys=True, separators=(",", ":")) + "\n"


def generate(chart_dir: Path) -> str:
    return render(build_schema((chart_dir / VALUES_FILE).read_text(encoding="utf-8")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate values.schema.json from the chart's values.yaml.")
    parser.add_argument("chart", type=Path, help="chart directory holding values.yaml")
    parser.add_argument("--check", action="store_true", help="only report whether the committed schema is current")
    args = parser.parse_args(argv)
    target = args.chart / SCHEMA_FILE
    try:
        text = generate(args.chart)
    except (SchemaBuildError, ValueError) as error:
        print(f"{args.chart / VALUES_FILE}: {error}", file=sys.stderr)
        return 1
    if args.check:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            print(f"{target} is out of date: run `make schema`", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
