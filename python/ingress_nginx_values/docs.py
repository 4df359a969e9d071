"""Generates the chart README's tables: the values (from values.yaml and the
schema) and the differences from upstream (from differences.yaml)."""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .differences import Differences
from .differences import table as differences_table
from .explain import children_schemas, merged_view
from .findings import PathPart, dotted
from .values_schema import ValuesSchema, json_type

START = "<!-- values-table:start -->"
END = "<!-- values-table:end -->"
DIFFERENCES_START = "<!-- differences:start -->"
DIFFERENCES_END = "<!-- differences:end -->"
DIFFERENCES_INTRO = """\
Generated from [differences.yaml](differences.yaml), the file the parity tests and
`ingress-nginx-values upstream-diff` read. Everything else renders exactly as the upstream
chart 4.15.1 does: object names, selectors, labels, controller arguments, hooks and RBAC,
field by field, so `helm upgrade` from an upstream release works in place. "Fix" marks a
difference where upstream ignores or misreads a value or renders an object the API server
refuses."""


class DocsError(Exception):
    pass


@dataclass(frozen=True)
class Row:
    key: str
    type: str
    default: str
    description: str


def _cell(text: str) -> str:
    return text.replace("\n", " ").replace("|", "\\|").strip()


def _schema_view(schema: ValuesSchema | None, path: Sequence[PathPart]) -> dict[str, Any]:
    if schema is None:
        return {}
    nodes: list[Mapping[str, Any]] = [schema.schema]
    for part in path:
        nodes = [child for node in nodes for child in children_schemas(schema, node, part)]
        if not nodes:
            return {}
    return merged_view(schema, nodes)


def rows(defaults: Mapping[str, Any], schema: ValuesSchema | None) -> Iterator[Row]:
    """One row per documented key, in values.yaml order.

    A map with declared properties is a group and gets rows for its keys; a
    free-form map (labels, annotations, config) is one row with its default.
    """
    def walk(node: Mapping[str, Any], prefix: tuple[PathPart, ...]) -> Iterator[Row]:
        for key, value in node.items():
            path = (*prefix, str(key))
            view = _schema_view(schema, path)
            structured = bool(view.get("properties")) if schema is not None else True
            if isinstance(value, Mapping) and value and structured:
                yield from walk(value, path)
                continue
            # Every key accepts null (to drop its default), so null says nothing here.
            types = [item for item in view.get("type") or [json_type(value)] if item != "null"] or ["null"]
            yield Row(
                key=_cell(f"`{dotted(path)}`"),
                type=_cell(" or ".join(types)),
                default=_cell(f"`{json.dumps(value, sort_keys=False)}`"),
                description=_cell(str(view.get("description", ""))),
            )

    yield from walk(defaults, ())


def table(defaults: Mapping[str, Any], schema: ValuesSchema | None) -> str:
    lines = ["| Key | Type | Default | Description |", "|-----|------|---------|-------------|"]
    lines.extend(f"| {row.key} | {row.type} | {row.default} | {row.description} |" for row in rows(defaults, schema))
    return "\n".join(lines)


def replace_table(readme: str, generated: str, start_marker: str = START, end_marker: str = END) -> str:
    start = readme.find(start_marker)
    end = readme.find(end_marker)
    if start < 0 or end < 0 or end < start:
        raise DocsError(f"the README has no {start_marker} ... {end_marker} markers in that order")
    return readme[: start + len(start_marker)] + "\n" + generated + "\n" + readme[end:]


def render_readme(chart: Path, defaults: Mapping[str, Any]) -> tuple[str, str]:
    """(current README, README with freshly generated tables)."""
    readme_path = chart / "README.md"
    current = readme_path.read_text(encoding="utf-8")
    generated = replace_table(current, table(defaults, ValuesSchema.from_chart(chart)))
    differences = f"{DIFFERENCES_INTRO}\n\n{differences_table(Differences.from_chart(chart).entries)}"
    return current, replace_table(generated, differences, DIFFERENCES_START, DIFFERENCES_END)
