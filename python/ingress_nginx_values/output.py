"""Formats lint findings: text for people, json for tools, github for PR annotations."""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from .findings import Finding, parse_dotted
from .values_loading import line_of

FORMATS = ("text", "json", "github")


def format_findings(findings: Sequence[Finding], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([item.to_dict() for item in findings], indent=2)
    lines = _LineFinder()
    if fmt == "github":
        return "\n".join(_github(item, lines.line(item)) for item in findings)
    if fmt != "text":
        raise ValueError(f"unknown output format {fmt!r}; use one of {', '.join(FORMATS)}")
    rows = []
    for item in findings:
        line = lines.line(item)
        where = f"{item.file}:{line}" if line is not None else item.file
        rows.append(f"{where}: {item.severity}: {_with_path(item)} [{item.rule}]")
    errors = sum(1 for item in findings if item.severity == "error")
    warnings = len(findings) - errors
    rows.append(f"{errors} error(s), {warnings} warning(s)" if findings else "no problems found")
    return "\n".join(rows)


class _LineFinder:
    """Line numbers of findings, reading each file once per report."""

    def __init__(self) -> None:
        self._texts: dict[str, str | None] = {}

    def line(self, finding: Finding) -> int | None:
        if finding.file not in self._texts:
            path = Path(finding.file)
            self._texts[finding.file] = path.read_text(encoding="utf-8") if path.is_file() else None
        text = self._texts[finding.file]
        if text is None:
            return None
        try:
            return line_of(text, parse_dotted(finding.path))
        except ValueError:
            return None


def _with_path(finding: Finding) -> str:
    # Most messages already open with their path; say it once.
    return finding.message if finding.path in finding.message.split(":")[0] else f"{finding.path}: {finding.message}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(finding: Finding, line: int | None) -> str:
    properties = [f"file={_escape_property(finding.file)}"]
    if line is not None:
        properties.append(f"line={line}")
    properties.append(f"title={_escape_property(finding.rule)}")
    return f"::{finding.severity} {','.join(properties)}::{_escape_data(_with_path(finding))}"
