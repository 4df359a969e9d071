"""Lays out the `# @schema` hints of values.yaml one way, under 120 columns.

A hint that fits stays on its `# @schema {...}` line; a longer one becomes a
`# @schema` block whose JSON breaks only where a piece does not fit. JSON tools
(json.dumps indent, jq) put every value on its own line, which turns one hint into
dozens of lines; this keeps small objects on one line as a reader writes them.
`python -m ingress_nginx_values.schema_hint_format values.yaml` rewrites the file;
the unit tier checks that the chart's values.yaml is already laid out this way.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ingress_nginx_values.values_annotations import SCHEMA_BLOCK, SCHEMA_PREFIX

# Lines stay under 120 columns.
WIDTH = 119
STEP = "  "


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _lines(value: Any, lead: str, indent: str, tail: str, room: int) -> list[str]:
    """`lead` (a key or nothing) then `value` then `tail` (a comma or nothing), from `indent`."""
    one_line = f"{indent}{lead}{_compact(value)}{tail}"
    if len(one_line) <= room or not isinstance(value, (dict, list)) or not value:
        if len(one_line) > room and lead:
            # A long string or number goes under its key rather than past the margin.
            return [f"{indent}{lead.rstrip()}", f"{indent}{STEP}{_compact(value)}{tail}"]
        return [one_line]
    inner = indent + STEP
    if isinstance(value, dict):
        items = list(value.items())
        body: list[str] = []
        for index, (key, item) in enumerate(items):
            comma = "," if index < len(items) - 1 else ""
            body += _lines(item, f"{_compact(key)}: ", inner, comma, room)
        return [f"{indent}{lead}{{", *body, f"{indent}}}{tail}"]
    body = []
    for index, item in enumerate(value):
        comma = "," if index < len(value) - 1 else ""
        body += _lines(item, "", inner, comma, room)
    return [f"{indent}{lead}[", *body, f"{indent}]{tail}"]


def format_hint(hint: dict[str, Any], indent: str) -> list[str]:
    """The comment lines of one hint written at the key's indentation `indent`."""
    single = f"{indent}{SCHEMA_PREFIX}{_compact(hint)}"
    if len(single) <= WIDTH:
        return [single]
    prefix = f"{indent}# "
    body = _lines(hint, "", "", "", WIDTH - len(prefix))
    return [f"{indent}{SCHEMA_BLOCK}", *(f"{prefix}{line}" for line in body)]


def format_values(text: str) -> str:
    """values.yaml text with every hint laid out by `format_hint`; everything else as it was."""
    source = text.splitlines()
    out: list[str] = []
    index = 0
    while index < len(source):
        raw = source[index]
        stripped = raw.strip()
        indent = raw[: len(raw) - len(raw.lstrip(" "))]
        if stripped.startswith(SCHEMA_PREFIX):
            out += format_hint(json.loads(stripped[len(SCHEMA_PREFIX):]), indent)
            index += 1
        elif stripped == SCHEMA_BLOCK:
            end = index + 1
            while end < len(source) and source[end].strip().startswith("#") \
                    and not source[end].strip().startswith(SCHEMA_BLOCK):
                end += 1
            block = "\n".join(line.strip()[1:] for line in source[index + 1:end])
            out += format_hint(json.loads(block), indent)
            index = end
        else:
            out.append(raw)
            index += 1
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def main(argv: list[str]) -> int:
    for name in argv:
        path = Path(name)
        path.write_text(format_values(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
