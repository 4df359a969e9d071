"""Field-by-field comparison of two renders, object by object.

Objects are matched by (kind, namespace, name); within an object, maps are
compared key by key and lists item by item in order, since the order of
container arguments, ports or rules is part of what a chart renders.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

ObjectKey = tuple[str, str, str]
MISSING: Any = type("Missing", (), {"__repr__": lambda self: "<absent>"})()

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def object_key(obj: Mapping[str, Any]) -> ObjectKey:
    metadata = obj.get("metadata") or {}
    return (str(obj.get("kind", "")), str(metadata.get("namespace") or ""), str(metadata.get("name", "")))


def field_text(path: Sequence[str | int]) -> str:
    """`spec.template.metadata.labels[helm.sh/chart]`, `args[3]`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            text += f".{part}" if text else part
        else:
            text += f"[{part}]"
    return text


@dataclass(frozen=True)
class FieldChange:
    """One field whose value differs; MISSING on the side that lacks it."""

    kind: str
    namespace: str
    name: str
    field: str
    upstream: Any
    ours: Any

    @property
    def object(self) -> str:
        where = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind} {where}{self.name}"


def _walk(path: tuple[str | int, ...], upstream: Any, ours: Any) -> Iterator[tuple[str, Any, Any]]:
    # The API server stores a null field as an absent one, so neither a cluster
    # nor a GitOps diff can tell them apart.
    upstream = MISSING if upstream is None else upstream
    ours = MISSING if ours is None else ours
    if isinstance(upstream, Mapping) and isinstance(ours, Mapping):
        for key in [*upstream, *(k for k in ours if k not in upstream)]:
            yield from _walk((*path, str(key)), upstream.get(key), ours.get(key))
        return
    if isinstance(upstream, list) and isinstance(ours, list):
        for index in range(max(len(upstream), len(ours))):
            left = upstream[index] if index < len(upstream) else None
            right = ours[index] if index < len(ours) else None
            yield from _walk((*path, index), left, right)
        return
    if upstream is MISSING and ours is MISSING:
        return
    if upstream != ours or type(upstream) is not type(ours):
        # 1 and 1.0 or True and 1 are different YAML to the API server's decoder.
        if upstream == ours and isinstance(upstream, (int, float)) and isinstance(ours, (int, float)) \
                and not isinstance(upstream, bool) and not isinstance(ours, bool):
            return
        yield field_text(path), upstream, ours


def compare(upstream: Iterable[Mapping[str, Any]], ours: Iterable[Mapping[str, Any]]) -> list[FieldChange]:
    """Every field that differs; an object present on one side only is one change with field ""."""
    left = {object_key(obj): obj for obj in upstream}
    right = {object_key(obj): obj for obj in ours}
    changes: list[FieldChange] = []
    for key in [*left, *(k for k in right if k not in left)]:
        kind, namespace, name = key
        if key not in right or key not in left:
            changes.append(FieldChange(kind, namespace, name, "", left.get(key, MISSING), right.get(key, MISSING)))
            continue
        for field, before, after in _walk((), left[key], right[key]):
            changes.append(FieldChange(kind, namespace, name, field, before, after))
    return changes
