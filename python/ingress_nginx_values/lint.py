"""Runs the values schema and the semantic rules over releases' values files."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml

from .chart_checks import ChartChecks, release_findings
from .findings import Finding, dotted, sort_findings
from .lint_rules import RULES, RuleContext, RuleFinding, second_controller_conflict
from .release_names import DEFAULT_RELEASE
from .values_loading import MergedValues, SetArguments, coalesce_with_defaults, load_release_values
from .values_schema import ValuesSchema

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class ReleaseFiles:
    """The values files (in -f order) of one release."""

    name: str
    files: tuple[Path, ...]
    set_arguments: tuple[str, ...] = ()
    more: SetArguments = SetArguments()


def chart_defaults(chart: Path) -> dict[str, Any]:
    data = yaml.load((chart / "values.yaml").read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    return data if isinstance(data, dict) else {}


@dataclass
class Linter:
    """Chart defaults and schema loaded once, then any number of releases linted.

    With chart_checks, values the schema accepts are also rendered by Helm so the
    chart's own refusals become findings; without it (no Helm at hand) only the
    schema and the rules of lint_rules.py run.
    """

    chart: Path
    chart_checks: ChartChecks | None = None
    defaults: dict[str, Any] = field(init=False)
    schema: ValuesSchema | None = field(init=False)

    def __post_init__(self) -> None:
        self.defaults = chart_defaults(self.chart)
        self.schema = ValuesSchema.from_chart(self.chart)

    def context(self, release: str, user: MergedValues) -> RuleContext:
        values = coalesce_with_defaults(self.defaults, user.values)
        return RuleContext(values=values, user=user, defaults=self.defaults, release=release)

    def lint_values(self, contexts: Sequence[RuleContext]) -> list[Finding]:
        """Findings for already loaded releases (the releases of one run)."""
        findings: list[Finding] = []
        for ctx in contexts:
            refused = False
            for found in release_findings(ctx.release):
                findings.append(_from_rule(ctx.user, found))
                refused = True
            if self.schema is not None:
                for issue in self.schema.issues(ctx.values):
                    findings.append(_finding(ctx.user, issue.path, "error", issue.rule, issue.message))
                    refused = True
            if self.chart_checks is not None and not refused:
                for found in self.chart_checks.findings(ctx.user.values, ctx.release):
                    findings.append(_from_rule(ctx.user, found))
            for rule in RULES:
                for found in rule(ctx):
                    findings.append(_from_rule(ctx.user, found))
        for index, found in second_controller_conflict(contexts):
            findings.append(_from_rule(contexts[index].user, found))
        return sort_findings(findings)

    def lint(self, releases: Iterable[ReleaseFiles], stdin: TextIO | None = None) -> list[Finding]:
        """Load (raising ValuesError on unreadable input) and lint releases of one run."""
        contexts = [
            self.context(
                release.name,
                load_release_values(release.files, release.set_arguments, more=release.more, stdin=stdin),
            )
            for release in releases
        ]
        return self.lint_values(contexts)

    def lint_files(self, files: Sequence[Path], release: str = DEFAULT_RELEASE) -> list[Finding]:
        """Files that are one release's values, merged in order."""
        return self.lint([ReleaseFiles(release, tuple(files))])


def _finding(user: MergedValues, path: Sequence[Any], severity: str, rule: str, message: str) -> Finding:
    return Finding(
        file=user.origin(path) if user.files else "<defaults>",
        path=dotted(path),
        severity="error" if severity == "error" else "warning",
        rule=rule,
        message=message,
    )


def _from_rule(user: MergedValues, found: RuleFinding) -> Finding:
    return _finding(user, found.path, found.severity, found.rule, found.message)


def values_of(files: Sequence[Path], set_arguments: Sequence[str] = ()) -> Mapping[str, Any]:
    """The merged user values of files and --set arguments, as Helm would receive them."""
    return load_release_values(files, set_arguments).values
