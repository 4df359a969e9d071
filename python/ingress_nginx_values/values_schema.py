"""The chart's values.schema.json, checked with jsonschema and reported as Findings."""
from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from .fast_validator import FastValidator
from .findings import PathPart, dotted

SCHEMA_FILE = "values.schema.json"

_JSON_TYPES = {
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
    type(None): "null",
}


@dataclass(frozen=True)
class SchemaIssue:
    """One schema violation at a values path, before it is tied to a file."""

    path: tuple[PathPart, ...]
    rule: str
    message: str


def json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def closest(word: str, candidates: Sequence[str]) -> str | None:
    """The candidate a typo most likely meant, if one is close enough."""
    by_case = [item for item in candidates if item.lower() == word.lower()]
    if by_case:
        return by_case[0]
    found = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return found[0] if found else None


def _show(value: Any) -> str:
    return json.dumps(value, sort_keys=True) if not isinstance(value, str) else repr(value)


class ValuesSchema:
    """A compiled values schema; compile once, validate many values sets."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.schema = schema
        self._fast = FastValidator.compile(schema, verify=Draft202012Validator.check_schema)
        self._validator = Draft202012Validator(schema)

    @classmethod
    def from_chart(cls, chart: Path) -> ValuesSchema | None:
        """The chart's schema, or None when the chart has none."""
        path = chart / SCHEMA_FILE
        if not path.is_file():
            return None
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def issues(self, values: Mapping[str, Any]) -> list[SchemaIssue]:
        if self._fast.is_valid(values):
            return []
        found: list[SchemaIssue] = []
        for error in self._validator.iter_errors(values):
            found.extend(self._explain(error))
        return found

    # --- turning jsonschema errors into messages ---------------------------

    def _explain(self, error: ValidationError) -> Iterator[SchemaIssue]:
        path = tuple(error.absolute_path)
        where = dotted(path) or "the values"
        keyword = str(error.validator)
        schema = error.schema if isinstance(error.schema, Mapping) else {}
        instance = error.instance
        if "propertyNames" in error.absolute_schema_path and isinstance(instance, str):
            # jsonschema reports a bad key at its parent's path; the key itself is
            # the more useful address.
            key_path = (*path, instance)
            yield SchemaIssue(
                key_path,
                "schema-key-name",
                f"{dotted(key_path)}: the key {instance!r} is not allowed under {where}: "
                + self._describe(error, "the key").removeprefix("the key: "),
            )
        elif keyword in ("additionalProperties", "unevaluatedProperties") and isinstance(instance, Mapping):
            yield from self._unknown_keys(path, schema, instance)
        elif keyword in ("anyOf", "oneOf") and error.context:
            yield from self._explain_alternatives(error, path, where)
        elif keyword == "required" and (nulled := _nulled_defaults(error)):
            # One nulled key: the finding points at the line that set it.
            at = (*path, nulled[0]) if len(nulled) == 1 else path
            named = ", ".join(dotted((*path, key)) for key in nulled)
            yield SchemaIssue(at, "schema-required", f"{named}: is null, which drops the chart's default, and the chart "
                                                     "needs a value there. Remove the null, or set a value.")
        else:
            yield SchemaIssue(path, f"schema-{keyword}", self._describe(error, where))

    def _explain_alternatives(
        self, error: ValidationError, path: tuple[PathPart, ...], where: str
    ) -> Iterator[SchemaIssue]:
        # When every branch rejects the value's type, name all accepted types at
        # once; otherwise the branch that got furthest explains best.
        inner = list(error.context or [])
        if all(item.validator == "type" and tuple(item.absolute_path) == path for item in inner):
            wanted: list[str] = []
            for item in inner:
                for name in item.validator_value if isinstance(item.validator_value, list) else [item.validator_value]:
                    if name not in wanted:
                        wanted.append(str(name))
            value = error.instance
            yield SchemaIssue(
                path,
                "schema-type",
                f"{where}: expected {' or '.join(wanted)}, got {json_type(value)} {_show(value)}. "
                f"Change the value to one of those types.",
            )
            return
        # A branch whose type fits the value says more than one that wants another type.
        fitting = [item for item in inner if item.validator != "type"]
        yield from self._explain(best_match(fitting or inner))

    def _unknown_keys(
        self, path: tuple[PathPart, ...], schema: Mapping[str, Any], instance: Mapping[str, Any]
    ) -> Iterator[SchemaIssue]:
        known = sorted(self.known_keys(schema))
        patterns = list((schema.get("patternProperties") or {}).keys())
        for key in instance:
            if key in known or any(re.search(pattern, key) for pattern in patterns):
                continue
            parent = dotted(path) or "the top level"
            message = f"unknown key {key!r} under {parent}: the chart does not read it."
            suggestion = closest(key, known)
            if suggestion is not None:
                message += f" Did you mean {suggestion!r}? Rename it to {dotted((*path, suggestion))}."
            else:
                message += " Remove it or check the key's spelling and indentation."
            yield SchemaIssue((*path, key), "schema-unknown-key", message)

    def known_keys(self, schema: Mapping[str, Any]) -> set[str]:
        """Keys a (sub)schema declares, through local $refs and allOf/anyOf/oneOf."""
        keys = set((schema.get("properties") or {}).keys())
        for sub in self.branches(schema):
            keys |= set((sub.get("properties") or {}).keys())
        return keys

    def branches(self, schema: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target = self.resolve(ref)
            if target is not None:
                yield target
                yield from self.branches(target)
        for keyword in ("allOf", "anyOf", "oneOf"):
            for sub in schema.get(keyword) or []:
                if isinstance(sub, Mapping):
                    yield sub
                    yield from self.branches(sub)

    def resolve(self, ref: str) -> Mapping[str, Any] | None:
        """A local `#/...` reference inside this schema."""
        if not ref.startswith("#"):
            return None
        node: Any = self.schema
        for token in [item for item in ref[1:].split("/") if item]:
            token = token.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, Mapping) or token not in node:
                return None
            node = node[token]
        return node if isinstance(node, Mapping) else None

    def _describe(self, error: ValidationError, where: str) -> str:
        keyword = str(error.validator)
        value = error.instance
        expected = error.validator_value
        if keyword == "type":
            wanted = " or ".join(expected) if isinstance(expected, list) else str(expected)
            hint = ""
            if isinstance(value, str) and wanted in ("integer", "number", "boolean"):
                hint = f" Write it without quotes: {where}: {value}."
            return f"{where}: expected {wanted}, got {json_type(value)} {_show(value)}.{hint or ' Change the value to a ' + wanted + '.'}"
        if keyword == "enum":
            # Every leaf accepts null to drop its default; listing it beside the
            # real choices would suggest it is one of them.
            allowed = ", ".join(_show(item) for item in expected if item is not None)
            guess = closest(value, [item for item in expected if isinstance(item, str)]) if isinstance(value, str) else None
            fix = f" Did you mean {guess!r}?" if guess is not None else ""
            return f"{where}: {_show(value)} is not one of {allowed}.{fix} Use one of the allowed values."
        if keyword == "const":
            return f"{where}: must be {_show(expected)}, got {_show(value)}. Set it to {_show(expected)}."
        if keyword == "pattern":
            return f"{where}: {_show(value)} does not match the pattern {expected}. Write a value of that form."
        if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            bound = {
                "minimum": f"at least {expected}",
                "maximum": f"at most {expected}",
                "exclusiveMinimum": f"greater than {expected}",
                "exclusiveMaximum": f"less than {expected}",
            }[keyword]
            return f"{where}: {_show(value)} is out of range; it must be {bound}. Choose a value in range."
        if keyword == "required":
            return f"{where}: {error.message}. Add the missing key."
        if keyword in ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"):
            return f"{where}: {error.message}. Adjust the value's size."
        if keyword == "not":
            return f"{where}: {_show(value)} is not allowed here. Change or remove it."
        return f"{where}: {error.message}. Fix the value to match the chart's schema."


def _nulled_defaults(error: ValidationError) -> list[str]:
    """The keys a `required` error misses when each has a default in the chart: the merged
    values lack such a key only because the user set it to null (Helm then drops it)."""
    properties = (error.schema.get("properties") if isinstance(error.schema, Mapping) else None) or {}
    instance = error.instance
    missing = [str(key) for key in error.validator_value if isinstance(instance, Mapping) and key not in instance]
    return missing if missing and all("default" in (properties.get(key) or {}) for key in missing) else []
