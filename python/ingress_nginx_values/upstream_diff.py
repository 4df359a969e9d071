"""`ingress-nginx-values upstream-diff`: what changes when a release switches from
upstream 4.15.1 to this chart, object by object and field by field, with the
documented reason of each change (charts/ingress-nginx/differences.yaml)."""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .differences import Differences
from .object_diff import MISSING
from .parity import Charts, ParityReport, RenderFunction, check

EXIT_DOCUMENTED, EXIT_UNDOCUMENTED, EXIT_REFUSED = 0, 1, 2
FORMATS = ("text", "json")


@dataclass(frozen=True)
class UpstreamDiff:
    report: ParityReport

    @property
    def exit_code(self) -> int:
        if self.report.refusals:
            return EXIT_REFUSED
        return EXIT_DOCUMENTED if self.report.documented_ok else EXIT_UNDOCUMENTED


def run(
    render: RenderFunction,
    charts: Charts,
    values: Mapping[str, Any],
    release: str,
    namespace: str,
) -> UpstreamDiff:
    return UpstreamDiff(check(render, charts, Differences.from_chart(charts.ours), values, release, namespace))


def _plain(value: Any) -> Any:
    return None if value is MISSING else value


def _inline(value: Any) -> str:
    if value is MISSING:
        return "(absent)"
    if isinstance(value, dict) and "kind" in value and "metadata" in value:
        return "(the whole object)"
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 160 else text[:157] + "..."


def as_json(diff: UpstreamDiff) -> str:
    report = diff.report
    document = {
        "exit": diff.exit_code,
        "refusals": [
            {"chart": item.chart, "message": item.message, "reason": item.reason.id if item.reason else None}
            for item in report.refusals
        ],
        "changes": [
            {
                "kind": item.change.kind,
                "namespace": item.change.namespace,
                "name": item.change.name,
                "field": item.change.field,
                "upstream": _plain(item.change.upstream),
                "ours": _plain(item.change.ours),
                "upstreamPresent": item.change.upstream is not MISSING,
                "oursPresent": item.change.ours is not MISSING,
                "reason": item.reason.id if item.reason else None,
            }
            for item in report.changes
        ],
    }
    return json.dumps(document, indent=2)


def as_text(diff: UpstreamDiff) -> str:
    report = diff.report
    lines: list[str] = []
    for refusal in report.refusals:
        who = "upstream 4.15.1" if refusal.chart == "upstream" else "this chart"
        lines.append(f"{who} refuses these values:")
        lines.extend(f"  {line}" for line in refusal.message.splitlines() if line.strip())
        if refusal.reason is not None:
            lines.append(f"  documented: {refusal.reason.id} - {refusal.reason.why}")
    current = None
    for item in report.changes:
        change = item.change
        if change.object != current:
            current = change.object
            lines.append(f"{current}")
        if not change.field:
            what = "only rendered by this chart" if change.upstream is MISSING else "only rendered by upstream"
            line = f"  (object) {what}"
        else:
            line = f"  {change.field}: {_inline(change.upstream)} -> {_inline(change.ours)}"
        lines.append(f"{line}  [{item.reason.id if item.reason else 'UNDOCUMENTED'}]")
    # Each reason once, after the objects: the same one often covers many fields.
    reasons = {item.reason.id: item.reason for item in report.changes if item.reason is not None}
    if reasons:
        lines.append("documented differences (charts/ingress-nginx/differences.yaml):")
        lines.extend(f"  {entry.id}: {entry.ours} - {entry.why}" for entry in reasons.values())
    documented = sum(1 for item in report.changes if item.reason is not None)
    if report.refusals:
        lines.append("result: a chart refuses the values (exit 2)")
    else:
        lines.append(
            f"result: {len(report.changes)} changed field(s), {documented} documented, "
            f"{len(report.changes) - documented} undocumented (exit {diff.exit_code})"
        )
    return "\n".join(lines)


def formatted(diff: UpstreamDiff, output_format: str) -> str:
    return as_json(diff) if output_format == "json" else as_text(diff)

