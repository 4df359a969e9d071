"""Reads the `# --` descriptions and `# @schema` hints written above each key of values.yaml.

PyYAML drops comments. ruamel.yaml keeps them, but attaches each comment to the
token *before* it (the previous key's value), so finding "the comment above this
key" means walking its token internals. The chart's values.yaml is written to a
strict layout instead (two-space indentation, one key a line, comments directly
above their key), which a short line reader handles exactly and with line numbers
in its errors. The values themselves still come from yaml.safe_load.
"""
from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

KeyPath = tuple[str, ...]

DESCRIPTION_PREFIX = "# -- "
SCHEMA_PREFIX = "# @schema "
# `# @schema` alone on its line opens a multi-line hint: the comment lines below it,
# up to the key, are one JSON object (so long hints stay under 120 columns).
SCHEMA_BLOCK = "# @schema"
# `# Example:` after the description opens a commented example of the key, written as
# the user would write it in their values file (the key itself, then its value), up to
# the hints or the key. It is for readers; the unit tier validates it against the schema.
EXAMPLE_MARKER = "# Example:"
# `# @schema-define NAME` opens a named string: the comment lines below it each hold one
# JSON string and the name stands for their concatenation. A hint writes `"@NAME"` as a
# whole key or value, so a long, repeated regular expression is written once, in parts
# short enough for 120 columns. A part that is `"@NAME"` of an earlier define stands for
# it, so patterns that differ only around a shared core (an IP address alone, or also
# "" and "None") write that core once.
DEFINE_PREFIX = "# @schema-define "
REFERENCE = re.compile(r"^@[a-z][a-z0-9-]*$")
# A plain or quoted mapping key followed by `:` and then a space or the end of line.
KEY_LINE = re.compile(r"""^(?P<key>"[^"]+"|'[^']+'|[^\s#:'"-][^:]*?):(?:\s|$)""")


class AnnotationError(ValueError):
    """values.yaml breaks the comment layout the schema generator relies on."""


@dataclass(frozen=True)
class Annotation:
    """What the comments above one key say about it."""

    description: str
    schema: dict[str, Any] = field(default_factory=dict)
    line: int = 0
    example: str = ""


@dataclass
class _Frame:
    indent: int
    key: str


def _expand(value: Any, names: dict[str, str], line: int, dotted: str) -> Any:
    if isinstance(value, dict):
        return {_expand(key, names, line, dotted): _expand(item, names, line, dotted) for key, item in value.items()}
    if isinstance(value, list):
        return [_expand(item, names, line, dotted) for item in value]
    if isinstance(value, str) and REFERENCE.match(value):
        if value[1:] not in names:
            raise AnnotationError(f"line {line}: @schema of {dotted} names {value}, which no `# @schema-define` defines")
        return names[value[1:]]
    return value


def _schema_fragment(text: str, line: int, dotted: str, names: dict[str, str]) -> dict[str, Any]:
    try:
        fragment = json.loads(text)
    except json.JSONDecodeError as error:
        raise AnnotationError(f"line {line}: @schema of {dotted} is not JSON: {error}") from error
    if not isinstance(fragment, dict):
        raise AnnotationError(f"line {line}: @schema of {dotted} must be a JSON object")
    expanded: dict[str, Any] = _expand(fragment, names, line, dotted)
    return expanded


def parse_defines(text: str) -> dict[str, str]:
    """The named strings of the `# @schema-define` blocks of a values file."""
    names: dict[str, str] = {}
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith(DEFINE_PREFIX):
            current = stripped[len(DEFINE_PREFIX):].strip()
            if not REFERENCE.match("@" + current) or current in names:
                raise AnnotationError(f"line {number}: `{stripped}` needs a new lower-case name")
            names[current] = ""
            continue
        if current is None:
            continue
        if not stripped.startswith("#") or not stripped[1:].strip():
            current = None
            continue
        try:
            part = json.loads(stripped[1:])
        except json.JSONDecodeError as error:
            raise AnnotationError(f"line {number}: part of @schema-define {current} is not a JSON string: {error}") from error
        if not isinstance(part, str):
            raise AnnotationError(f"line {number}: part of @schema-define {current} must be a JSON string")
        if REFERENCE.match(part):
            if part[1:] not in names or part[1:] == current:
                raise AnnotationError(f"line {number}: part of @schema-define {current} names {part}, "
                                      "which no earlier `# @schema-define` defines")
            part = names[part[1:]]
        names[current] += part
    return names


def _annotation(comments: list[tuple[int, str]], path: KeyPath, key_line: int, names: dict[str, str]) -> Annotation:
    dotted = ".".join(path)
    if not comments or not comments[0][1].startswith(DESCRIPTION_PREFIX):
        raise AnnotationError(f"line {key_line}: {dotted} needs a `# -- description` line directly above it")
    description_parts: list[str] = []
    schema: dict[str, Any] = {}
    block: list[str] | None = None  # JSON lines of a multi-line `# @schema` block
    block_line = 0
    example: list[str] = []  # YAML lines of the `# Example:` block
    in_example = False
    hinted = False  # an example after a hint would read as part of the hint
    for number, text in comments:
        if block is not None and not text.startswith((SCHEMA_PREFIX, SCHEMA_BLOCK)):
            block.append(text[1:])
            continue
        if in_example and not text.startswith((SCHEMA_PREFIX, SCHEMA_BLOCK)):
            example.append(text[1:])
            continue
        in_example = False
        if text == EXAMPLE_MARKER:
            if hinted or example:
                raise AnnotationError(
                    f"line {number}: {dotted}: one example, after the description and before the @schema lines"
                )
            in_example = True
            continue
        hinted = hinted or text.startswith(SCHEMA_BLOCK)
        if block is not None:
            schema.update(_schema_fragment("\n".join(block), block_line, dotted, names))
            block = None
        if text == SCHEMA_BLOCK:
            block, block_line = [], number
        elif text.startswith(DESCRIPTION_PREFIX):
            if description_parts:
                raise AnnotationError(f"line {number}: {dotted} has a second `# --` description")
            description_parts.append(text[len(DESCRIPTION_PREFIX):].strip())
        elif text.startswith(SCHEMA_PREFIX):
            schema.update(_schema_fragment(text[len(SCHEMA_PREFIX):], number, dotted, names))
        elif schema:
            raise AnnotationError(f"line {number}: {dotted}: description text must come before the @schema lines")
        else:
            # Continuation of a long description.
            description_parts.append(text.lstrip("#").strip())
    if block is not None:
        schema.update(_schema_fragment("\n".join(block), block_line, dotted, names))
    description = " ".join(part for part in description_parts if part)
    if not description:
        raise AnnotationError(f"line {key_line}: {dotted} has an empty description")
    example_text = textwrap.dedent("\n".join(example)).strip("\n")
    return Annotation(description=description, schema=schema, line=key_line, example=example_text)


def parse_annotations(text: str) -> dict[KeyPath, Annotation]:
    """Maps every mapping key of a values file to the comments directly above it.

    Keys inside list items (e.g. a default list of maps) belong to the list's value,
    not to the chart's values tree, and are skipped along with their comments.
    """
    names = parse_defines(text)
    annotations: dict[KeyPath, Annotation] = {}
    stack: list[_Frame] = []
    pending: list[tuple[int, str]] = []
    list_indent: int | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        indent = len(raw) - len(raw.lstrip(" "))
        if "\t" in raw[:indent + 1]:
            raise AnnotationError(f"line {number}: indent with spaces, not tabs")
        if not stripped:
            pending = []
            continue
        if stripped.startswith("#"):
            pending.append((number, stripped))
            continue
        if stripped == "-" or stripped.startswith("- "):
            if list_indent is None:
                list_indent = indent
            pending = []
            continue
        if list_indent is not None:
            if indent > list_indent:
                pending = []
                continue
            list_indent = None
        match = KEY_LINE.match(stripped)
        if match is None:
            raise AnnotationError(f"line {number}: expected `key: value`, found {stripped!r}")
        key = match.group("key").strip("\"'")
        while stack and stack[-1].indent >= indent:
            stack.pop()
        path = tuple(frame.key for frame in stack) + (key,)
        if path in annotations:
            raise AnnotationError(f"line {number}: {'.'.join(path)} is declared twice")
        annotations[path] = _annotation(pending, path, number, names)
        pending = []
        stack.append(_Frame(indent=indent, key=key))
    return annotations
