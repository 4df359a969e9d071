"""Loads values files and --set arguments and merges them the way Helm does.

Several `-f` files are one release's values: maps merge deeply, a later file's
scalar or list replaces an earlier one, and `null` is kept so that it can delete
the chart default later (Helm drops a key whose user value is null). `--set`
arguments apply after the files.
"""
from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml

from .findings import PathPart

Values = dict[str, Any]
PathKey = tuple[PathPart, ...]

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ValuesError(Exception):
    """A values file or --set argument that cannot be used at all."""


class ValuesFileNotFound(ValuesError):
    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path}: no such file")


class ValuesSyntaxError(ValuesError):
    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: invalid YAML: {problem}")


class ValuesNotAMapping(ValuesError):
    def __init__(self, path: Path, found: str) -> None:
        self.path = path
        super().__init__(f"{path}: a values file must be a YAML mapping of keys, found {found}")


class SetArgumentError(ValuesError):
    def __init__(self, argument: str, problem: str, option: str = "--set") -> None:
        self.argument = argument
        super().__init__(f"{option} {argument}: {problem}")


class _ValuesLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML as Helm reads it: dates stay strings, duplicate keys are refused."""

    # Helm's YAML library (go-yaml v2, YAML 1.1) also reads a bare y/Y/n/N as a
    # boolean, which PyYAML leaves a string: `hostNetwork: y` is true for Helm.
    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in yaml.SafeLoader.yaml_implicit_resolvers.get(first, []) if tag != "tag:yaml.org,2002:timestamp"]
        + ([("tag:yaml.org,2002:bool", re.compile(r"^(?:y|Y|n|N)$"))] if first in "yYnN" else [])
        for first in {*yaml.SafeLoader.yaml_implicit_resolvers, *"yYnN"}
    }
    bool_values = {**yaml.SafeLoader.bool_values, "y": True, "n": False}

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            key = _key_text(self.construct_object(key_node, deep=True))
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is defined twice (first on line {seen[key]})", key_node.start_mark
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


def _key_text(key: Any) -> str:
    # Helm converts YAML to JSON, where every key is a string: `8080:` is "8080".
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


def _stringify_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {_key_text(key): _stringify_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_stringify_keys(item) for item in value]
    return value


def parse_values_text(text: str, source: Path) -> Values:
    """Values of one YAML document; an empty document is no values."""
    try:
        data = yaml.load(text, Loader=_ValuesLoader)  # noqa: S506 - a safe loader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        raise ValuesSyntaxError(source, line, error.problem or str(error)) from error
    except yaml.YAMLError as error:
        raise ValuesSyntaxError(source, None, str(error)) from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValuesNotAMapping(source, type(data).__name__)
    return _stringify_keys(data)  # type: ignore[no-any-return]


STDIN = Path("-")
STDIN_NAME = "<stdin>"


def load_values_file(path: Path, stdin: TextIO | None = None) -> Values:
    """One values file; `-` is standard input (`stdin`, else sys.stdin), as in Helm."""
    if path == STDIN:
        return parse_values_text((stdin or sys.stdin).read(), Path(STDIN_NAME))
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise ValuesFileNotFound(path) from error
    except (IsADirectoryError, UnicodeDecodeError, PermissionError) as error:
        raise ValuesError(f"{path}: cannot read: {error}") from error
    return parse_values_text(text, path)


def copy_tree(value: Any) -> Any:
    """A copy of parsed values (maps, lists, scalars).

    copy.deepcopy handles any object and its cycles and so costs about five times
    as much; linting many files spends most of its time copying defaults.
    """
    if isinstance(value, dict):
        return {key: copy_tree(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_tree(item) for item in value]
    return value


def merge_values(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> Values:
    """Helm's merge of two user values sets: maps deeply, everything else replaced."""
    merged = dict(base)
    for key, value in overlay.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge_values(merged[key], value)
        else:
            merged[key] = copy_tree(value)
    return merged


def coalesce_with_defaults(defaults: Mapping[str, Any], user: Mapping[str, Any]) -> Values:
    """The values a template sees: user values over the chart defaults.

    A user `null` deletes a key the chart declares; a null for a key the chart
    does not know is kept, as Helm keeps it (the schema then sees it).
    """
    result: Values = {}
    for key, default in defaults.items():
        if key not in user:
            result[key] = copy_tree(default)
            continue
        value = user[key]
        if value is None:
            continue
        if isinstance(value, Mapping) and isinstance(default, Mapping):
            result[key] = coalesce_with_defaults(default, value)
        else:
            result[key] = copy_tree(value)
    for key, value in user.items():
        if key not in defaults:
            result[key] = copy_tree(value)
    return result


@dataclass
class MergedValues:
    """One release's user values and which file last set each path."""

    values: Values = field(default_factory=dict)
    origins: dict[PathKey, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def add(self, values: Mapping[str, Any], source: str) -> None:
        self.values = merge_values(self.values, values)
        self.files.append(source)
        _record_origins(values, (), source, self.origins)

    def origin(self, path: Sequence[PathPart]) -> str:
        """The file that set this path (or its nearest set ancestor)."""
        parts = tuple(path)
        while parts:
            if parts in self.origins:
                return self.origins[parts]
            parts = parts[:-1]
        return self.files[-1] if self.files else "<defaults>"

    def is_set(self, path: Sequence[PathPart]) -> bool:
        """Whether some user file or --set wrote exactly this path (or below it)."""
        return tuple(path) in self.origins


def _record_origins(values: Any, prefix: PathKey, source: str, origins: dict[PathKey, str]) -> None:
    if isinstance(values, Mapping):
        for key, value in values.items():
            path = (*prefix, key)
            origins[path] = source
            _record_origins(value, path, source, origins)
    elif isinstance(values, list):
        for index, value in enumerate(values):
            _record_origins(value, (*prefix, index), source, origins)


@dataclass(frozen=True)
class SetArguments:
    """A release's --set-json, --set and --set-string arguments, each in command-line order."""

    json: tuple[str, ...] = ()
    typed: tuple[str, ...] = ()
    strings: tuple[str, ...] = ()


def load_release_values(
    files: Iterable[Path],
    set_arguments: Iterable[str] = (),
    *,
    more: SetArguments = SetArguments(),
    stdin: TextIO | None = None,
) -> MergedValues:
    """`-f` files in order, then the --set kinds in Helm's order, as one release's user values.

    Helm applies every --set-json, then every --set, then every --set-string,
    whatever their order on the command line. `set_arguments` are more --set.
    """
    merged = MergedValues()
    files = list(files)
    if files.count(STDIN) > 1:
        raise ValuesError("-: standard input can be read only once; give `-` as one values file")
    for path in files:
        merged.add(load_values_file(path, stdin), STDIN_NAME if path == STDIN else str(path))
    for argument in more.json:
        merged.add(parse_set_json(argument), f"--set-json {argument}")
    for argument in (*more.typed, *set_arguments):
        merged.add(parse_set(argument), f"--set {argument}")
    for argument in more.strings:
        merged.add(parse_set(argument, typed=False), f"--set-string {argument}")
    return merged


# --- --set ---------------------------------------------------------------

_INDEX = re.compile(r"^(.*?)((?:\[\d+\])+)$")


def _split_unescaped(text: str, separator: str, *, braces: bool = False) -> list[str]:
    """Split on `separator` unless escaped with a backslash (or inside {...})."""
    parts: list[str] = []
    current = ""
    depth = 0
    iterator = iter(text)
    for char in iterator:
        if char == "\\":
            current += char + next(iterator, "")
        elif braces and char == "{":
            depth += 1
            current += char
        elif braces and char == "}":
            depth = max(depth - 1, 0)
            current += char
        elif char == separator and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return parts


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def typed_set_value(text: str) -> Any:
    """A --set value typed as Helm types it: bools, null and plain integers."""
    lowered = text.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    if lowered == "null":
        return None
    # Helm leaves numbers with a leading zero (and anything not an integer) as text.
    if text == "0" or (re.fullmatch(r"[+-]?[1-9][0-9]*", text) and -(2**63) <= int(text) < 2**63):
        return int(text)
    return _unescape(text)


def _set_key_path(key: str, argument: str) -> list[PathPart]:
    if not key:
        raise SetArgumentError(argument, "the key before '=' is empty")
    path: list[PathPart] = []
    for segment in _split_unescaped(key, "."):
        match = _INDEX.match(segment)
        name, indices = (match.group(1), match.group(2)) if match else (segment, "")
        if not name:
            raise SetArgumentError(argument, f"empty key segment in {key!r}")
        path.append(_unescape(name))
        path.extend(int(found) for found in re.findall(r"\[(\d+)\]", indices))
    return path


def _assign(target: Any, path: Sequence[PathPart], value: Any, argument: str) -> Any:
    """Set `value` at `path` inside `target`, creating maps and list slots as Helm does."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        items = list(target) if isinstance(target, list) else []
        while len(items) <= head:
            items.append(None)
        items[head] = _assign(items[head], rest, value, argument)
        return items
    mapping = dict(target) if isinstance(target, dict) else {}
    mapping[head] = _assign(mapping.get(head), rest, value, argument)
    return mapping


def parse_set(argument: str, *, typed: bool = True) -> Values:
    """`a.b=1,c[0]=x,d={p,q}` -> nested values, like `helm --set` (typed=False: --set-string)."""
    convert = typed_set_value if typed else _unescape
    values: Values = {}
    for assignment in _split_unescaped(argument, ",", braces=True):
        if not assignment:
            continue
        key, separator, raw = assignment.partition("=")
        if not separator:
            raise SetArgumentError(argument, f"{assignment!r} has no '=': write key=value")
        path = _set_key_path(key, argument)
        if raw.startswith("{") and raw.endswith("}"):
            inner = raw[1:-1]
            value: Any = [convert(item) for item in _split_unescaped(inner, ",")] if inner else []
        else:
            value = convert(raw)
        values = _assign(values, path, value, argument)
    return values


def parse_set_json(argument: str) -> Values:
    """`a.b={"x":1},c=[1,2]` -> nested values, like `helm --set-json` (a JSON value per key)."""
    decoder = json.JSONDecoder()
    values: Values = {}
    rest = argument
    while rest:
        key, separator, after = rest.partition("=")
        if not separator:
            raise SetArgumentError(argument, f"{rest!r} has no '=': write key=<JSON value>", "--set-json")
        try:
            value, end = decoder.raw_decode(after)
        except json.JSONDecodeError as error:
            raise SetArgumentError(argument, f"the value of {key!r} is not JSON: {error.msg}", "--set-json") from error
        values = _assign(values, _set_key_path(key, argument), value, argument)
        rest = after[end:]
        if rest and not rest.startswith(","):
            raise SetArgumentError(
                argument, f"expected ',' after the JSON value of {key!r}, found {rest[:20]!r}", "--set-json"
            )
        rest = rest[1:]
    return values


# --- line numbers, for annotations ---------------------------------------

def line_of(text: str, path: Sequence[PathPart]) -> int | None:
    """1-based line of the deepest node of `path` present in this YAML text."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    line: int | None = None
    for part in path:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            found = next(((k, v) for k, v in node.value if str(k.value) == part), None)
            if found is None:
                break
            line = found[0].start_mark.line + 1
            node = found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line
