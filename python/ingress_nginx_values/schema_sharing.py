"""Writes each repeated pattern-bearing part of the values schema once, under `$defs`.

Helm compiles every location of values.schema.json on every run, and at every
location a `pattern` or `patternProperties` key appears it checks the regular
expression against the meta-schema and compiles it again: the chart's label-key,
DNS-name and CIDR patterns appeared dozens of times. A part written once under
`$defs` and referenced with `$ref` is compiled once (measured: a quarter less
memory allocated per `helm template`). Parts without a regular expression are left
in place: a `$ref` costs about as much as the copy it would replace.

The key's own description, default, type and bounds stay beside the `$ref`
(draft 2020-12 applies both), so explain, the docs table and the mutations corpus
read them where they were.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from ingress_nginx_values.kubernetes_definitions import REF_PREFIX

SHARED_PREFIX = "chart.shared."
# The keywords that move into a shared definition. They move together because
# `additionalProperties` is read relative to the `patternProperties` of the same
# schema object.
SHAREABLE = ("patternProperties", "additionalProperties", "propertyNames", "items", "pattern")
_REGEX_KEYWORDS = ("pattern", "patternProperties")
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs")
_SCHEMA_VALUES = ("items", "additionalProperties", "propertyNames", "not", "contains", "if", "then", "else")
_SCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")

Schema = dict[str, Any]


def _has_regex(node: Any) -> bool:
    if isinstance(node, dict):
        return any(key in _REGEX_KEYWORDS for key in node) or any(_has_regex(value) for value in node.values())
    if isinstance(node, list):
        return any(_has_regex(item) for item in node)
    return False


def _shareable_part(node: Any) -> Schema | None:
    if not isinstance(node, dict) or "$ref" in node or "properties" in node:
        # One `$ref` per schema object; and an object of named keys stays where
        # explain, the docs table and the mutations corpus walk `properties`.
        return None
    part = {key: value for key, value in node.items() if key in SHAREABLE}
    return part if part and _has_regex(part) else None


def _fingerprint(part: Schema) -> str:
    return json.dumps(part, sort_keys=True, separators=(",", ":"))


def _children(node: Schema) -> Iterator[tuple[Callable[[Any], None], Any]]:
    """Each subschema of `node` with a setter that replaces it in place."""
    for keyword, value in list(node.items()):
        if keyword in _SCHEMA_MAPS and isinstance(value, dict):
            for name, sub in list(value.items()):
                yield (lambda new, m=value, n=name: m.__setitem__(n, new)), sub
        elif keyword in _SCHEMA_VALUES and isinstance(value, dict):
            yield (lambda new, k=keyword: node.__setitem__(k, new)), value
        elif keyword in _SCHEMA_LISTS and isinstance(value, list):
            for index, sub in enumerate(value):
                yield (lambda new, items=value, i=index: items.__setitem__(i, new)), sub


def _count(node: Any, counts: Counter[str]) -> None:
    if not isinstance(node, dict):
        return
    part = _shareable_part(node)
    if part is not None:
        counts[_fingerprint(part)] += 1
    for _, sub in _children(node):
        _count(sub, counts)


def share_repeated_patterns(schema: Schema) -> Schema:
    """`schema` with every pattern-bearing part that occurs twice or more moved to `$defs`."""
    counts: Counter[str] = Counter()
    _count(schema, counts)
    shared: dict[str, Schema] = {}

    def visit(node: Any, replace: Callable[[Any], None] | None) -> None:
        if not isinstance(node, dict):
            return
        part = _shareable_part(node)
        if part is not None and replace is not None and counts[_fingerprint(part)] > 1:
            fingerprint = _fingerprint(part)
            name = SHARED_PREFIX + hashlib.sha256(fingerprint.encode()).hexdigest()[:12]
            if name not in shared:
                shared[name] = part
                visit(part, None)
            replace({**{key: value for key, value in node.items() if key not in SHAREABLE}, "$ref": REF_PREFIX + name})
            return
        for setter, sub in _children(node):
            visit(sub, setter)

    visit(schema, None)
    if shared:
        schema.setdefault("$defs", {}).update(shared)
    return schema
