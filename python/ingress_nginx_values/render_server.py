"""Many `helm template` renders from one long-lived process.

`tools/renderer` (built by `make tools` as `.tools/bin/chart-renderer`) is a small
program on Helm 3's own Go packages, pinned to the same release and link flags as
`.tools/bin/helm3`: its output and its error messages are byte for byte those of
`helm template`. It reads each chart and compiles its schema once, which makes a
render some ten times cheaper than starting Helm, so tiers that render thousands of
values sets stay within the test-time budget.
"""
from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from ingress_nginx_values.rendering import DEFAULT_NAMESPACE, DEFAULT_RELEASE, RenderError


@dataclass(frozen=True)
class Rendered:
    """What `helm template` printed, and its documents as the API server reads them."""

    manifest: str
    objects: list[dict[str, Any]]


@dataclass
class RenderServer:
    """`with RenderServer(executable) as server: server.render(chart, values)`."""

    executable: Path
    _process: subprocess.Popen[str] | None = field(init=False, default=None, repr=False)

    def _pipes(self) -> tuple[IO[str], IO[str]]:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [str(self.executable)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
        assert self._process.stdin is not None and self._process.stdout is not None
        return self._process.stdin, self._process.stdout

    def render(
        self,
        chart: Path,
        values: Mapping[str, Any] | None = None,
        *,
        release: str = DEFAULT_RELEASE,
        namespace: str = DEFAULT_NAMESPACE,
        is_upgrade: bool = False,
    ) -> Rendered:
        request = {
            "chart": str(chart.resolve()),
            "values": dict(values or {}),
            "release": release,
            "namespace": namespace,
            "isUpgrade": is_upgrade,
        }
        stdin, stdout = self._pipes()
        stdin.write(json.dumps(request) + "\n")
        stdin.flush()
        line = stdout.readline()
        if not line:
            raise RuntimeError(f"{self.executable} exited without answering")
        answer = json.loads(line)
        if "error" in answer:
            raise RenderError(answer["error"])
        return Rendered(manifest=answer["manifest"], objects=answer.get("objects") or [])

    def close(self) -> None:
        if self._process is None:
            return
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def __enter__(self) -> RenderServer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
