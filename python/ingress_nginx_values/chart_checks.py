"""The chart's own refusals, run through Helm and turned into lint findings.

The chart's templates `fail` with `<values.path>: <what is wrong>. <how to fix it>.`;
rather than keeping a second, hand-written copy of each check in Python (which
would drift), the linter renders the values with the chart and reports each
refusal at the path its message starts with. Helm's schema errors are mapped the
same way, so whatever Helm refuses the linter reports, at the same path.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .findings import PathPart, parse_dotted
from .lint_rules import RuleFinding
from .release_names import DEFAULT_NAMESPACE

# Helm's own limits on a release name (pkg/chartutil): a DNS subdomain of at most 53 characters.
RELEASE_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
RELEASE_NAME_MAX = 53
# A namespace is a DNS label of at most 63 characters (the API server's rule).
NAMESPACE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
NAMESPACE_MAX = 63

_FAIL = re.compile(r"execution error at \([^)]*\): (?P<message>.*)")
_FAIL_PATH = re.compile(r"^(?P<path>[A-Za-z][\w.\-\[\]\"]*): ")
_SCHEMA = re.compile(r"^- at '(?P<pointer>[^']*)': (?P<message>.*)")


# Renders one release like `helm template` (values, release, namespace) and returns
# Helm's refusal message, or None when Helm rendered: an adapter over helm_template,
# the chart-renderer server or a test cache. Linting never imports a Helm client.
RenderFunction = Callable[[Mapping[str, Any], str, str], "str | None"]


def release_findings(release: str, namespace: str = DEFAULT_NAMESPACE) -> Iterator[RuleFinding]:
    """A release name or namespace that Helm or the API server refuses before any value is read."""
    checks = (
        ("release-name", "release name", release, RELEASE_NAME, RELEASE_NAME_MAX, "Helm", "digits, '-' and '.'"),
        ("namespace", "namespace", namespace, NAMESPACE, NAMESPACE_MAX, "Kubernetes", "digits and '-'"),
    )
    for rule, what, name, pattern, limit, judge, characters in checks:
        if len(name) > limit or not pattern.match(name):
            yield RuleFinding(
                (),
                "error",
                rule,
                f"{what} {name!r}: {judge} accepts only lowercase letters, {characters} (starting and "
                f"ending with a letter or digit), at most {limit} characters. Choose such a {what}.",
            )


def _pointer_path(pointer: str, values: Mapping[str, Any]) -> tuple[PathPart, ...]:
    """A JSON pointer as a values path; a number is a list index only where the values hold a list."""
    path: list[PathPart] = []
    node: Any = values
    for raw in pointer.split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and part.isdigit():
            index = int(part)
            path.append(index)
            node = node[index] if index < len(node) else None
        else:
            path.append(part)
            node = node.get(part) if isinstance(node, Mapping) else None
    return tuple(path)


def _fail_path(message: str) -> tuple[PathPart, ...]:
    named = _FAIL_PATH.match(message)
    if named is None:
        return ()
    try:
        return parse_dotted(named["path"])
    except ValueError:
        return ()


def refusal_findings(message: str, values: Mapping[str, Any]) -> list[RuleFinding]:
    """Helm's refusal as findings: each schema error at its pointer, a `fail` at the path it names."""
    found: list[RuleFinding] = []
    for line in message.splitlines():
        schema = _SCHEMA.match(line.strip())
        if schema:
            found.append(RuleFinding(_pointer_path(schema["pointer"], values), "error", "helm-schema", schema["message"]))
            continue
        refused = _FAIL.search(line)
        if refused:
            message = refused["message"].strip()
            found.append(RuleFinding(_fail_path(message), "error", "chart-refuses", message))
    if not found:
        # Anything else (a template bug, invalid rendered YAML) is still a refusal: report it whole.
        found.append(RuleFinding((), "error", "chart-error", message.strip()))
    return found


@dataclass
class ChartChecks:
    """Renders one release's values with the chart and reports what Helm refuses."""

    render: RenderFunction

    def findings(
        self, values: Mapping[str, Any], release: str, namespace: str = DEFAULT_NAMESPACE
    ) -> list[RuleFinding]:
        refused = self.render(values, release, namespace)
        return [] if refused is None else refusal_findings(refused, values)
