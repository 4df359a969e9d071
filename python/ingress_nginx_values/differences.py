"""The deliberate differences from upstream 4.15.1, read from the chart's differences.yaml."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
import re
from pathlib import Path
from typing import Any

import yaml

from .object_diff import FieldChange

FILE_NAME = "differences.yaml"


class DifferencesError(Exception):
    pass


def _glob(pattern: str) -> re.Pattern[str]:
    """`*` matches any text, dots included; everything else, brackets too, is literal."""
    return re.compile("^" + ".*".join(re.escape(part) for part in pattern.split("*")) + "$", re.DOTALL)


def glob_match(text: str, pattern: str) -> bool:
    return _glob(pattern).match(text) is not None


@dataclass(frozen=True)
class FieldTouch:
    kind: str
    name: str
    field: str

    def matches(self, change: FieldChange) -> bool:
        return (
            glob_match(change.kind, self.kind)
            and glob_match(change.name, self.name)
            and glob_match(change.field, self.field)
        )


@dataclass(frozen=True)
class Difference:
    id: str
    area: str
    upstream: str
    ours: str
    why: str
    fix: bool
    fields: tuple[FieldTouch, ...]
    refuses: tuple[str, ...]
    values: tuple[Mapping[str, Any], ...]

    def explains(self, change: FieldChange) -> bool:
        return any(touch.matches(change) for touch in self.fields)

    def refusal_match(self, message: str) -> str | None:
        """The longest of the entry's paths the refusal names, itself or a key below it.

        The chart's own checks write `<values.path>: ...`; the values schema
        writes `at '/values/path'`.
        """
        named = []
        for path in self.refuses:
            dotted = re.compile(r"(?<![\w.\[])" + re.escape(path) + r"([.\[][^\s:]*)?:")
            pointer = "'/" + path.replace(".", "/")
            if dotted.search(message) or f"{pointer}'" in message or f"{pointer}/" in message:
                named.append(path)
        return max(named, key=len, default=None)


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DifferencesError(f"{where}.{key}: must be a non-empty string")
    return value.strip()


def _entry(entry: Mapping[str, Any], where: str) -> Difference:
    fields: list[FieldTouch] = []
    refuses: list[str] = []
    for index, touch in enumerate(entry.get("touches") or []):
        if "refuses" in touch:
            refuses.append(str(touch["refuses"]))
        elif {"kind", "name", "field"} <= set(touch):
            fields.append(FieldTouch(str(touch["kind"]), str(touch["name"]), str(touch["field"])))
        else:
            raise DifferencesError(f"{where}.touches[{index}]: needs kind, name and field, or refuses")
    if not fields and not refuses:
        raise DifferencesError(f"{where}.touches: list at least one field or refusal")
    values = entry.get("values")
    if not isinstance(values, list) or not values or not all(isinstance(item, Mapping) for item in values):
        raise DifferencesError(f"{where}.values: list at least one values snippet (a map) that triggers it")
    if not isinstance(entry.get("fix"), bool):
        raise DifferencesError(f"{where}.fix: must be true or false")
    return Difference(
        id=_text(entry, "id", where),
        area=_text(entry, "area", where),
        upstream=_text(entry, "upstream", where),
        ours=_text(entry, "ours", where),
        why=_text(entry, "why", where),
        fix=entry["fix"],
        fields=tuple(fields),
        refuses=tuple(refuses),
        values=tuple(values),
    )


@dataclass(frozen=True)
class Differences:
    entries: tuple[Difference, ...]

    @classmethod
    def from_chart(cls, chart: Path) -> Differences:
        path = chart / FILE_NAME
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        raw = document.get("differences") or []
        entries = tuple(_entry(entry, f"differences[{index}]") for index, entry in enumerate(raw))
        ids = [entry.id for entry in entries]
        repeated = sorted({item for item in ids if ids.count(item) > 1})
        if repeated:
            raise DifferencesError(f"{path}: ids used twice: {', '.join(repeated)}")
        return cls(entries)

    def explaining(self, change: FieldChange) -> Difference | None:
        return next((entry for entry in self.entries if entry.explains(change)), None)

    def explaining_refusal(self, message: str) -> Difference | None:
        """The entry naming the most specific path: `controller.kind` wins over `controller`."""
        matches = [(match, entry) for entry in self.entries if (match := entry.refusal_match(message)) is not None]
        return max(matches, key=lambda item: len(item[0]), default=(None, None))[1]

    def by_id(self) -> dict[str, Difference]:
        return {entry.id: entry for entry in self.entries}


def table(entries: Sequence[Difference]) -> str:
    """The README's "Differences from upstream" table."""
    lines = ["| Area | Upstream 4.15.1 | This chart | Why | Fix |", "| --- | --- | --- | --- | --- |"]
    for entry in entries:
        cells = [entry.area, entry.upstream, entry.ours, entry.why, "yes" if entry.fix else "no"]
        lines.append("| " + " | ".join(cell.replace("\n", " ").replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)
