"""A seeded corpus of bad (and borderline) values, as a new user would write them.

Every key of the chart's defaults is set to null on top of the defaults and of
each null base (values with features on), mutated once more on top of the
defaults, and random keys once more on top of each profile: wrong types, null, unknown keys,
enums in the wrong case, out-of-range numbers, long or invalid names, the
YAML 1.1 booleans (`y`, `n`, `yes`, `on`) read the way Helm reads them, and two
mistakes only the API server's own rules catch: a probe or lifecycle hook with two
handlers, and a well-formed address it refuses (loopback as an external IP, a
source range with host bits). The same seed always gives the same corpus, so a
failing case can be named and rerun.
"""
from __future__ import annotations

import copy
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .findings import PathPart, dotted
from .values_loading import parse_values_text

UNKNOWN_KEY = "notAKey"
INT32_OVERFLOW = 2**31
LONG_NAME = "n" * 64
INVALID_NAME = "Bad_Name."
YAML_1_1_BOOLEANS = ("y", "n", "yes", "on")
KINDS = ("null", "wrong-type", "unknown-key", "enum-case", "out-of-range", "bad-name", "yaml11-bool",
         "second-handler", "reserved-address")
# Kubernetes wants exactly one handler in a probe or hook; a user adds theirs beside the default's.
HANDLERS: dict[str, Any] = {"exec": {"command": ["true"]}, "httpGet": {"path": "/healthz", "port": 10254},
                            "tcpSocket": {"port": 10254}}
# Well-formed for the values schema, refused by the API server in that Service field.
RESERVED_ADDRESSES: dict[str, tuple[Any, ...]] = {
    "externalIPs": (["127.0.0.1"], ["0.0.0.0"], ["169.254.10.1"], ["::1"], ["fe80::1"], ["224.0.0.5"]),
    "loadBalancerSourceRanges": (["10.0.0.1/8"], ["2001:db8::1/32"]),
    "clusterIP": ("::ffff:a00:1",),
}


@dataclass(frozen=True)
class Mutation:
    """One case: a base values set with one key changed."""

    base: str
    path: tuple[PathPart, ...]
    kind: str
    values: dict[str, Any]

    @property
    def case_id(self) -> str:
        return f"{self.base}:{self.kind}:{dotted(self.path)}"


@dataclass(frozen=True)
class NullBase:
    """Values on which every key (below `under`) is set to null once."""

    name: str
    values: Mapping[str, Any]
    under: tuple[PathPart, ...] = ()


def key_paths(values: Mapping[str, Any], prefix: tuple[PathPart, ...] = ()) -> Iterator[tuple[PathPart, ...]]:
    """Every key of a values tree, maps before their keys."""
    for key, value in values.items():
        path = (*prefix, str(key))
        yield path
        if isinstance(value, Mapping):
            yield from key_paths(value, path)


def schema_node(schema: Mapping[str, Any], path: Sequence[PathPart]) -> Mapping[str, Any]:
    node: Mapping[str, Any] = schema
    for part in path:
        node = (node.get("properties") or {}).get(str(part)) or {}
    return node


def _lookup(values: Mapping[str, Any], path: Sequence[PathPart]) -> Any:
    node: Any = values
    for part in path:
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def _applicable(key: PathPart, default: Any, node: Mapping[str, Any]) -> list[str]:
    kinds = ["null", "wrong-type", "unknown-key"]
    if str(key).endswith("Probe") or key == "lifecycle":
        kinds.append("second-handler")
    if key in RESERVED_ADDRESSES:
        kinds.append("reserved-address")
    enum = [item for item in node.get("enum") or [] if isinstance(item, str) and item.lower() != item.upper()]
    if enum:
        kinds.append("enum-case")
    types = node.get("type") if isinstance(node.get("type"), list) else [node.get("type")]
    if (isinstance(default, int) and not isinstance(default, bool)) or "integer" in types:
        kinds.append("out-of-range")
    if isinstance(default, str) or "string" in types:
        kinds.append("bad-name")
    if isinstance(default, (str, bool)):
        kinds.append("yaml11-bool")
    return kinds


def _wrong_type(default: Any) -> Any:
    if isinstance(default, bool):
        return "maybe"
    if isinstance(default, (int, float)):
        return "many"
    if isinstance(default, str):
        return ["a", "list"]
    return "text"


def _helm_boolean(word: str) -> Any:
    """What Helm makes of `key: <word>` in a values file (our loader reads YAML as Helm does)."""
    return parse_values_text(f"key: {word}\n", Path("<mutation>"))["key"]


def _two_handlers(default: Any) -> dict[str, Any]:
    """`default` (a probe) with handlers added until it has two."""
    probe = dict(default) if isinstance(default, Mapping) else {}
    for name, handler in HANDLERS.items():
        if len(HANDLERS.keys() & probe.keys()) >= 2:
            break
        probe.setdefault(name, handler)
    return probe


def _new_value(kind: str, key: PathPart, default: Any, node: Mapping[str, Any], rng: random.Random) -> Any:
    if kind == "second-handler":
        return {"preStop": _two_handlers({})} if key == "lifecycle" else _two_handlers(default)
    if kind == "reserved-address":
        return rng.choice(RESERVED_ADDRESSES[str(key)])
    if kind == "null":
        return None
    if kind == "wrong-type":
        return _wrong_type(default)
    if kind == "enum-case":
        word = next(item for item in node["enum"] if isinstance(item, str) and item.lower() != item.upper())
        return word.lower() if word != word.lower() else word.upper()
    if kind == "out-of-range":
        return rng.choice((-1, INT32_OVERFLOW, 70000))
    if kind == "bad-name":
        return rng.choice((LONG_NAME, INVALID_NAME))
    if kind == "yaml11-bool":
        return _helm_boolean(rng.choice(YAML_1_1_BOOLEANS))
    raise ValueError(f"unknown mutation kind {kind!r}")


def _set(values: dict[str, Any], path: Sequence[PathPart], value: Any) -> None:
    node = values
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[path[-1]] = value


def mutate(
    base: str, values: Mapping[str, Any], defaults: Mapping[str, Any], schema: Mapping[str, Any],
    path: tuple[PathPart, ...], kind: str, rng: random.Random,
) -> Mutation:
    default = _lookup(values, path)
    if default is None:
        default = _lookup(defaults, path)
    changed = copy.deepcopy(dict(values))
    if kind == "unknown-key":
        target = (*path, UNKNOWN_KEY) if isinstance(default, Mapping) else (*path[:-1], f"{path[-1]}{UNKNOWN_KEY.title()}")
        _set(changed, target, 1)
        return Mutation(base, target, kind, changed)
    _set(changed, path, _new_value(kind, path[-1], default, schema_node(schema, path), rng))
    return Mutation(base, path, kind, changed)


def corpus(
    defaults: Mapping[str, Any],
    profiles: Mapping[str, Mapping[str, Any]],
    schema: Mapping[str, Any],
    *,
    null_bases: Sequence[NullBase] = (),
    seed: int = 9,
    per_profile: int = 65,
) -> list[Mutation]:
    """Each key of the defaults set to null on the defaults and on each of null_bases, and mutated once (a kind
    picked per key), then per_profile random keys per profile. Null for every key: Helm drops a null key before
    its schema looks, so only the templates can answer it, and a key whose null breaks the objects is found only
    by trying it."""
    rng = random.Random(seed)
    paths = list(key_paths(defaults))
    cases: dict[str, Mutation] = {}
    for null_base in (NullBase("defaults", {}), *null_bases):
        for path in paths:
            if path[:len(null_base.under)] == null_base.under:
                null = mutate(null_base.name, null_base.values, defaults, schema, path, "null", rng)
                cases[null.case_id] = null

    def add(base: str, values: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        default = _lookup(values, path)
        kinds = _applicable(path[-1], _lookup(defaults, path) if default is None else default, schema_node(schema, path))
        case = mutate(base, values, defaults, schema, path, rng.choice(kinds), rng)
        cases.setdefault(case.case_id, case)

    for path in paths:
        add("defaults", {}, path)
    for name in sorted(profiles):
        for path in rng.sample(paths, min(per_profile, len(paths))):
            add(name, profiles[name], path)
    return list(cases.values())
