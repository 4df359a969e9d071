"""Explains one values key from the schema: type, default, allowed values, description."""
from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .findings import PathPart, dotted, parse_dotted
from .values_schema import ValuesSchema, closest

_MISSING = object()


class UnknownPath(Exception):
    def __init__(self, path: str, suggestion: str | None) -> None:
        self.path = path
        self.suggestion = suggestion
        hint = f" Did you mean {suggestion}?" if suggestion else ""
        super().__init__(f"{path}: no such values key.{hint}")


# A child's default longer than this is cut in the keys table; `explain` of the
# child itself prints it whole.
_SHORT_DEFAULT = 40


@dataclass(frozen=True)
class Child:
    """One key directly under an explained map: its name, types and default."""

    name: str
    types: list[str]
    default: Any = None
    has_default: bool = False

    def default_text(self) -> str:
        if not self.has_default:
            return ""
        if isinstance(self.default, dict) and self.default:
            return "{...}"
        text = json.dumps(self.default)
        return text if len(text) <= _SHORT_DEFAULT else text[: _SHORT_DEFAULT - 3] + "..."


@dataclass(frozen=True)
class Explanation:
    path: str
    types: list[str]
    default: Any = None
    has_default: bool = False
    enum: list[Any] | None = None
    constraints: list[str] = field(default_factory=list)
    description: str = ""
    children: list[Child] = field(default_factory=list)

    def text(self) -> str:
        lines = [self.path, f"  type:    {' | '.join(self.types) or 'any'}"]
        # A map's default is its children's defaults, listed below one a line.
        if self.has_default and not self.children:
            lines.append(f"  default: {json.dumps(self.default)}")
        if self.enum:
            lines.append(f"  allowed: {', '.join(json.dumps(item) for item in self.enum)}")
        lines.extend(f"  {item}" for item in self.constraints)
        if self.description:
            lines.append("")
            lines.extend(f"  {line}" for line in self.description.splitlines())
        if self.children:
            rows = [(child.name, " | ".join(child.types) or "any", child.default_text()) for child in self.children]
            widths = [max(len(row[column]) for row in rows) for column in range(2)]
            lines.extend(["", "  keys (explain PATH.KEY for one):"])
            lines.extend(
                f"    {name.ljust(widths[0])}  {types.ljust(widths[1])}  {default}".rstrip()
                for name, types, default in rows
            )
        return "\n".join(lines)


def children_schemas(schema: ValuesSchema, node: Mapping[str, Any], key: PathPart) -> list[Mapping[str, Any]]:
    """Subschemas that apply to `key` inside the object/array `node`."""
    found: list[Mapping[str, Any]] = []
    for branch in [node, *schema.branches(node)]:
        if isinstance(key, int):
            items = branch.get("items")
            if isinstance(items, Mapping):
                found.append(items)
            continue
        properties = branch.get("properties") or {}
        if key in properties:
            found.append(properties[key])
            continue
        for pattern, sub in (branch.get("patternProperties") or {}).items():
            if re.search(pattern, key):
                found.append(sub)
        extra = branch.get("additionalProperties")
        if isinstance(extra, Mapping) and not found:
            found.append(extra)
    return found


def merged_view(schema: ValuesSchema, nodes: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One flat view of a key's schema across its $refs and combinators."""
    merged: dict[str, Any] = {}
    for node in nodes:
        for branch in [node, *schema.branches(node)]:
            for keyword, value in branch.items():
                if keyword == "type":
                    types = value if isinstance(value, list) else [value]
                    merged.setdefault("type", [])
                    merged["type"] += [item for item in types if item not in merged["type"]]
                else:
                    merged.setdefault(keyword, value)
    return merged


def explain(schema: ValuesSchema, defaults: Mapping[str, Any], path: str) -> Explanation:
    parts = parse_dotted(path)
    nodes: list[Mapping[str, Any]] = [schema.schema]
    for depth, part in enumerate(parts):
        following = [child for node in nodes for child in children_schemas(schema, node, part)]
        if not following:
            siblings = sorted(set().union(*(schema.known_keys(node) for node in nodes)))
            guess = closest(str(part), siblings) if isinstance(part, str) else None
            raise UnknownPath(path, dotted((*parts[:depth], guess)) if guess else None)
        nodes = following
    view = merged_view(schema, nodes)
    default = _default_at(defaults, parts)
    if default is _MISSING and "default" in view:
        default = view["default"]
    constraints = []
    for keyword, label in (
        ("minimum", "minimum:"),
        ("exclusiveMinimum", "greater than:"),
        ("maximum", "maximum:"),
        ("exclusiveMaximum", "less than:"),
        ("pattern", "pattern:"),
        ("minLength", "min length:"),
        ("maxLength", "max length:"),
    ):
        if keyword in view:
            constraints.append(f"{label} {view[keyword]}")
    enum = view.get("enum")
    if enum is None and "const" in view:
        enum = [view["const"]]
    for combinator in ("anyOf", "oneOf"):
        for branch in view.get(combinator) or []:
            if isinstance(branch, Mapping) and "enum" in branch and enum is None:
                enum = list(branch["enum"])
    return Explanation(
        path=dotted(parts),
        types=list(view.get("type", [])),
        default=None if default is _MISSING else default,
        has_default=default is not _MISSING,
        # null is accepted everywhere to drop a default; it is not a choice worth listing.
        enum=[item for item in enum if item is not None] if enum is not None else None,
        constraints=constraints,
        description=str(view.get("description", "")),
        children=_children(schema, defaults, parts, nodes),
    )


def _children(
    schema: ValuesSchema, defaults: Mapping[str, Any], parts: Sequence[PathPart], nodes: Sequence[Mapping[str, Any]]
) -> list[Child]:
    names = sorted(set().union(*(schema.known_keys(node) for node in nodes)))
    found = []
    for name in names:
        view = merged_view(schema, [child for node in nodes for child in children_schemas(schema, node, name)])
        default = _default_at(defaults, (*parts, name))
        if default is _MISSING and "default" in view:
            default = view["default"]
        found.append(
            Child(
                name=name,
                types=[str(item) for item in view.get("type", [])],
                default=None if default is _MISSING else default,
                has_default=default is not _MISSING,
            )
        )
    return found


def _default_at(defaults: Mapping[str, Any], parts: Sequence[PathPart]) -> Any:
    node: Any = defaults
    for part in parts:
        if isinstance(part, str) and isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(part, int) and isinstance(node, list) and part < len(node):
            node = node[part]
        else:
            return _MISSING
    return node
