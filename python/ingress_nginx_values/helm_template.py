"""`helm template` run as a user runs it, its output kept byte for byte.

The values already merged by values_loading go to Helm as one JSON file (JSON is
YAML, and Helm reads both through the same converter), so what Helm prints is
exactly what `helm template -f <that file>` prints: `# Source:` lines, quoting
and key order included. Nothing here parses the output.
"""
from __future__ import annotations

import json
import re
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .release_names import DEFAULT_NAMESPACE, DEFAULT_RELEASE

# Helm's --debug hint and any Go stack trace.
_GO_NOISE = re.compile(
    r"^(Use --debug flag|\S+\.go:\d+: \[debug\]|goroutine \d+|\t|\s+/|main\.|runtime\.|created by )"
)


class HelmTemplateFailed(Exception):
    """Helm refused to render: a schema violation or a `fail` of the chart."""

    def __init__(self, stderr: str) -> None:
        self.stderr = stderr
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """Helm's refusal without the `Error:` prefix, debug lines or a Go stack trace."""
        lines = [line for line in self.stderr.splitlines() if not _GO_NOISE.match(line)]
        return "\n".join(lines).strip().removeprefix("Error: ").strip()


@dataclass(frozen=True)
class HelmTemplate:
    chart: Path
    executable: str = "helm"

    def command(self, values_file: Path, release: str, namespace: str) -> list[str]:
        return [self.executable, "template", release, str(self.chart), "--namespace", namespace, "-f", str(values_file)]

    def render(
        self,
        values: Mapping[str, Any],
        *,
        release: str = DEFAULT_RELEASE,
        namespace: str = DEFAULT_NAMESPACE,
    ) -> bytes:
        """Helm's standard output for these values."""
        with tempfile.TemporaryDirectory(prefix="ingress-nginx-values-") as folder:
            values_file = Path(folder) / "values.json"
            values_file.write_text(json.dumps(values), encoding="utf-8")
            result = subprocess.run(
                self.command(values_file, release, namespace), capture_output=True, check=False
            )
        if result.returncode != 0:
            raise HelmTemplateFailed(result.stderr.decode(errors="replace"))
        return result.stdout
