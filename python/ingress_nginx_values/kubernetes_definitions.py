"""Kubernetes object definitions to inline into the values schema.

The definitions come from the strict JSON schemas shipped in the kubernetes-validate
package (unknown fields refused, `#/$defs/...` references), so the chart's schema
works offline: Helm never fetches a remote `$ref`.
"""
from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

# The Kubernetes version whose definitions are inlined; the pinned Helm 3 assumes
# the same version for `helm template`.
KUBERNETES_VERSION = "v1.37.0"
REF_PREFIX = "#/$defs/"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
# The API server parses quantities with this grammar (sign, decimal number, then a
# binary suffix, a decimal suffix or an exponent); the published OpenAPI leaves it out.
QUANTITY_PATTERN = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$"

# Upstream writes both scalars as `oneOf` of two nullable types, which refuses null
# (it matches both branches); a plain union says the same and lets null through.
SCALAR_OVERRIDES: dict[str, dict[str, Any]] = {
    QUANTITY: {
        "description": "A Kubernetes quantity such as 100m, 0.5, 64Mi or 1G.",
        "type": ["string", "number", "null"],
        "pattern": QUANTITY_PATTERN,
    },
    INT_OR_STRING: {
        "description": "An integer, or a string such as a port name or a percentage.",
        "type": ["integer", "string", "null"],
    },
}


# Rules the API server's validation enforces but the published OpenAPI leaves out,
# merged into those definitions: the profile types are closed sets, and an exec
# action without a command, or with an empty one, is refused ("command: Required value").
PROFILE_TYPES = ["Localhost", "RuntimeDefault", "Unconfined"]
API_SERVER_RULES: dict[str, dict[str, Any]] = {
    "io.k8s.api.core.v1.SeccompProfile": {"properties": {"type": {"enum": PROFILE_TYPES}}},
    "io.k8s.api.core.v1.AppArmorProfile": {"properties": {"type": {"enum": PROFILE_TYPES}}},
    "io.k8s.api.core.v1.ExecAction": {"required": ["command"], "properties": {"command": {"minItems": 1}}},
}


def with_api_server_rules(name: str, definition: dict[str, Any]) -> dict[str, Any]:
    """The definition with its API_SERVER_RULES merged in (property by property)."""
    rules = API_SERVER_RULES.get(name)
    if rules is None:
        return definition
    merged = copy.deepcopy(definition)
    for key, value in rules.items():
        if key == "properties":
            for prop, extra in value.items():
                merged["properties"][prop] = {**merged["properties"][prop], **extra}
        else:
            merged[key] = sorted({*merged.get(key, []), *value}) if key == "required" else value
    return merged


# Keywords of the published definitions that check nothing: format is only an
# annotation in draft 2020-12 (for Helm's validator and jsonschema alike) and the
# x-kubernetes-* hints are for API server merges. Every `helm template` would
# parse and compile them for nothing. Descriptions stay: explain and the docs
# table show them.
ANNOTATIONS_DROPPED = ("format",)
# Keywords whose value maps names to schemas: those names are data, never dropped.
_NAMED_SCHEMAS = ("properties", "patternProperties", "$defs")


def without_annotations(node: Any) -> Any:
    """A definition without formats and x-kubernetes-* hints; every check kept."""
    if isinstance(node, list):
        return [without_annotations(item) for item in node]
    if not isinstance(node, dict):
        return node
    kept: dict[str, Any] = {}
    for key, value in node.items():
        if key in _NAMED_SCHEMAS and isinstance(value, dict):
            kept[key] = {name: without_annotations(sub) for name, sub in value.items()}
        elif key in ANNOTATIONS_DROPPED or key.startswith("x-kubernetes-"):
            continue
        else:
            kept[key] = without_annotations(value)
    return kept


def references(node: Any) -> Iterator[str]:
    """Names of the definitions a schema fragment points at with `#/$defs/...`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(REF_PREFIX):
                yield value[len(REF_PREFIX):]
            else:
                yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)


@dataclass(frozen=True)
class KubernetesDefinitions:
    definitions: dict[str, Any]

    @classmethod
    def load(cls, version: str = KUBERNETES_VERSION) -> KubernetesDefinitions:
        path = (
            resources.files("kubernetes_validate")
            / "kubernetes-json-schema"
            / f"{version}-local-strict"
            / "_definitions.json"
        )
        document = json.loads(path.read_text(encoding="utf-8"))
        return cls(definitions=document["$defs"])

    def closure(self, names: Iterable[str]) -> dict[str, Any]:
        """The named definitions and everything they reference, ready for `$defs`."""
        selected: dict[str, Any] = {}
        todo = list(names)
        while todo:
            name = todo.pop()
            if name in selected:
                continue
            if name not in self.definitions:
                raise KeyError(f"no Kubernetes {KUBERNETES_VERSION} definition named {name}")
            definition = copy.deepcopy(
                SCALAR_OVERRIDES.get(name) or with_api_server_rules(name, without_annotations(self.definitions[name]))
            )
            selected[name] = definition
            todo.extend(references(definition))
        return selected
