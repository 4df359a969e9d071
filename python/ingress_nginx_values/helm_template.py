"""`helm template` run as a user runs it, its output kept byte for byte.

The values already merged by values_loading go to Helm as one JSON file (JSON is
YAML, and Helm reads both through the same converter), so what Helm prints is
exactly what `helm template -f <that file>` prints: `# Source:` lines, quoting
and key order included. Nothing here parses the output.
"""
from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .release_names import DEFAULT_NAMESPACE, DEFAULT_RELEASE
from .render_error import RenderError


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
            raise RenderError(result.stderr.decode(errors="replace"))
        return result.stdout

    def refusal(self, values: Mapping[str, Any], release: str, namespace: str) -> str | None:
        """Helm's refusal message for these values, or None when Helm renders them (chart_checks' RenderFunction)."""
        try:
            self.render(values, release=release, namespace=namespace)
        except RenderError as failed:
            return failed.message
        return None
