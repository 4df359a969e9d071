"""Repeated pattern-bearing parts of the schema are written once under `$defs`, and the
schema accepts and refuses exactly what it did with the copies."""
from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest

from ingress_nginx_values.schema_sharing import SHARED_PREFIX, share_repeated_patterns

LABEL_KEY = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"


def labels(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "default": {},
        "type": ["object", "null"],
        "patternProperties": {LABEL_KEY: {"type": "string"}},
        "additionalProperties": False,
    }


def sample() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "podLabels": labels("Labels of the pods."),
            "serviceLabels": labels("Labels of the Service."),
            "name": {"description": "A name.", "type": "string", "pattern": "^[a-z]+$"},
            "image": {
                "type": "object",
                "properties": {"tag": {"type": "string", "pattern": "^v[0-9]+$"}},
                "additionalProperties": False,
            },
            "tag": {"type": "string", "pattern": "^v[0-9]+$"},
            "probe": {"$ref": "#/$defs/probe", "pattern": "^v[0-9]+$"},
        },
        "additionalProperties": False,
        "$defs": {"probe": {"type": "string"}},
    }


def test_a_repeated_part_is_one_definition_and_each_key_keeps_its_own_annotations() -> None:
    shared = share_repeated_patterns(sample())
    names = [name for name in shared["$defs"] if name.startswith(SHARED_PREFIX)]
    assert len(names) == 2, names  # the label map, and the tag pattern written twice
    label_map = next(name for name in names if "patternProperties" in shared["$defs"][name])
    assert shared["$defs"][label_map] == {"patternProperties": {LABEL_KEY: {"type": "string"}}, "additionalProperties": False}
    for key, description in (("podLabels", "Labels of the pods."), ("serviceLabels", "Labels of the Service.")):
        assert shared["properties"][key] == {
            "description": description, "default": {}, "type": ["object", "null"], "$ref": f"#/$defs/{label_map}",
        }


def test_unique_parts_objects_of_named_keys_and_references_stay_in_place() -> None:
    original = sample()
    shared = share_repeated_patterns(copy.deepcopy(original))
    assert shared["properties"]["name"] == original["properties"]["name"]
    assert shared["properties"]["probe"] == original["properties"]["probe"]
    image = shared["properties"]["image"]
    assert set(image) == {"type", "properties", "additionalProperties"}
    assert image["properties"]["tag"]["$ref"].startswith(f"#/$defs/{SHARED_PREFIX}")


def test_a_schema_without_repeated_patterns_is_unchanged() -> None:
    schema = {"type": "object", "properties": {"name": {"type": "string", "pattern": "^[a-z]+$"}}}
    assert share_repeated_patterns(copy.deepcopy(schema)) == schema


@pytest.mark.parametrize("values", [
    {},
    {"podLabels": {"app": "web"}, "serviceLabels": None},
    {"podLabels": {"App": "web"}},
    {"serviceLabels": {"app": 1}},
    {"serviceLabels": "text"},
    {"image": {"tag": "v1"}, "tag": "v2"},
    {"image": {"tag": "latest"}},
    {"tag": "latest"},
    {"image": {"digest": "sha256:0"}},
    {"name": "Web"},
    {"unknown": 1},
])
def test_the_shared_schema_decides_as_the_copies_did(values: dict[str, Any]) -> None:
    before = jsonschema.Draft202012Validator(sample())
    after = jsonschema.Draft202012Validator(share_repeated_patterns(sample()))
    assert sorted(error.json_path for error in after.iter_errors(values)) == sorted(
        error.json_path for error in before.iter_errors(values)
    )
    assert after.is_valid(values) == before.is_valid(values)
