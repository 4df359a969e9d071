"""Helm's refusal to render, whichever way Helm was run (its executable or chart-renderer)."""
from __future__ import annotations

import re

# Helm's --debug hint and any Go stack trace.
_GO_NOISE = re.compile(
    r"^(Use --debug flag|\S+\.go:\d+: \[debug\]|goroutine \d+|\t|\s+/|main\.|runtime\.|created by )"
)


class RenderError(Exception):
    """Helm refused to render: a schema violation or a `fail` of the chart."""

    def __init__(self, stderr: str) -> None:
        self.stderr = stderr
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """Helm's refusal without the `Error:` prefix, debug lines or a Go stack trace."""
        lines = [line for line in self.stderr.splitlines() if not _GO_NOISE.match(line)]
        return "\n".join(lines).strip().removeprefix("Error: ").strip()
