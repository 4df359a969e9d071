"""What the linter reports: one Finding per problem, addressed by a dotted values path."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]
PathPart = str | int

# A key that reads unambiguously after a dot; anything else (dots, slashes in
# label keys, spaces) is written as ["key"] so the path can be parsed back.
_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    path: str
    severity: Severity
    rule: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def dotted(parts: Sequence[PathPart]) -> str:
    """`("controller", "tolerations", 0, "key")` -> `controller.tolerations[0].key`."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            text += f".{part}" if text else part
        else:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"')
            text += f'["{escaped}"]'
    return text


_TOKEN = re.compile(r'\.?([A-Za-z0-9_-]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\[\]')


def parse_dotted(path: str) -> tuple[PathPart, ...]:
    """Inverse of `dotted`; `[]` stands for "any item" and becomes index 0."""
    parts: list[PathPart] = []
    position = 0
    while position < len(path):
        match = _TOKEN.match(path, position)
        if match is None or (match.group(0).startswith(".") and position == 0):
            raise ValueError(f"cannot parse values path {path!r} at character {position + 1}")
        key, index, quoted = match.groups()
        if key is not None:
            parts.append(key)
        elif index is not None:
            parts.append(int(index))
        elif quoted is not None:
            parts.append(re.sub(r"\\(.)", r"\1", quoted))
        else:
            parts.append(0)
        position = match.end()
    return tuple(parts)


def has_errors(findings: Iterable[Finding], *, strict: bool = False) -> bool:
    """Whether these findings fail a lint run (warnings too when strict)."""
    return any(item.severity == "error" or strict for item in findings)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Stable report order: by file, then path, errors before warnings."""
    return sorted(set(findings), key=lambda f: (f.file, f.path, f.severity != "error", f.rule, f.message))
