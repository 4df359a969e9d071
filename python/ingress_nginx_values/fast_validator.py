"""A compiled yes/no check of values against the chart's schema, for the common case.

jsonschema walks the schema tree for every values set (about 20 ms for a full set
of chart values); fastjsonschema turns the schema into Python code once, which
answers in about 1 ms. It only says whether the values are valid: on any doubt
the caller asks jsonschema, which stays the authority and writes the messages.
So this check may be stricter than jsonschema (it costs time) but never laxer.

The compiled code is cached by the schema's hash (and the Python version),
because generating it takes longer than linting many files.
"""
from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fastjsonschema

# fastjsonschema implements draft-07; the chart's schema uses no keyword that
# 2020-12 added (the schema tests would fail if it did: values would pass here).
_DRAFT_07 = "http://json-schema.org/draft-07/schema#"
_CODE_VERSION = f"fastjsonschema-{fastjsonschema.VERSION}-1"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ingress-nginx-chart" / "validators"


def _draft07(node: Any) -> Any:
    """The schema with `$ref` siblings kept: draft-07 ignores them, 2020-12 applies them."""
    if isinstance(node, list):
        return [_draft07(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _draft07(value) for key, value in node.items()}
    if "$ref" in converted and len(converted) > 1:
        ref = converted.pop("$ref")
        return {"allOf": [{"$ref": ref}, converted]}
    return converted


def _code(schema: Mapping[str, Any]) -> str:
    definition = _draft07(dict(schema))
    definition["$schema"] = _DRAFT_07
    # use_default=False: the check must not write defaults into the values it reads.
    # (detailed_exceptions=False would be faster but breaks on `const` in 2.22.)
    return fastjsonschema.compile_to_code(definition, use_default=False, use_formats=False)


@dataclass(frozen=True)
class FastValidator:
    """`is_valid(values)`: True only when the values certainly satisfy the schema."""

    check: Callable[[Any], Any] | None

    @classmethod
    def compile(
        cls, schema: Mapping[str, Any], verify: Callable[[Mapping[str, Any]], None], cache: Path | None = None
    ) -> FastValidator:
        """The check for schema; one that is never sure when fastjsonschema cannot compile it.

        `verify` (the meta-schema check, which raises on a broken schema) runs only
        when the schema is not in the cache yet: a cached one passed it before.
        """
        text = json.dumps(schema, sort_keys=True)
        key = hashlib.sha256(f"{_CODE_VERSION}\n{text}".encode()).hexdigest()[:24]
        folder = cache if cache is not None else cache_dir()
        # Byte code, not source: compiling megabytes of generated source costs seconds.
        path = folder / f"{key}.{sys.implementation.cache_tag}.marshal"
        try:
            code = marshal.loads(path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            verify(schema)
            try:
                code = compile(_code(schema), f"<values schema {key}>", "exec")
            except Exception:  # noqa: BLE001 - a schema it cannot compile is left to jsonschema
                return cls(check=None)
            try:
                folder.mkdir(parents=True, exist_ok=True)
                partial = path.with_suffix(f".{os.getpid()}.tmp")
                partial.write_bytes(marshal.dumps(code))
                partial.replace(path)
            except OSError:
                pass  # A read-only home still lints, only without the cache.
        namespace: dict[str, Any] = {}
        exec(code, namespace)  # noqa: S102 - byte code generated from the chart's own schema
        return cls(check=namespace["validate"])

    def is_valid(self, values: Any) -> bool:
        if self.check is None:
            return False
        try:
            self.check(values)
        except Exception:  # noqa: BLE001 - any failure, expected or not, leaves the verdict to jsonschema
            return False
        return True
