"""Renders the chart through Helm (pyhelm3) into Kubernetes objects."""
from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyhelm3 import Client
from pyhelm3 import errors as helm_errors

from .release_names import DEFAULT_NAMESPACE, DEFAULT_RELEASE

__all__ = ["DEFAULT_NAMESPACE", "DEFAULT_RELEASE", "HelmRenderer", "RenderError"]


class RenderError(Exception):
    """Helm refused to render: a schema violation or a `fail` of the chart."""

    def __init__(self, stderr: str) -> None:
        self.stderr = stderr
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = self.stderr.strip()
        return text.removeprefix("Error: ").strip()


@dataclass
class HelmRenderer:
    """One Helm executable bound to one chart directory.

    pyhelm3 asks Helm for its version when a client is made and for the chart
    metadata when a chart is loaded; both are done once here, not per render.
    """

    chart: Path
    executable: str = "helm"
    _client: Client = field(init=False, repr=False)
    _chart: Any = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._client = Client(executable=self.executable)
        self._chart = asyncio.run(self._client.get_chart(self.chart.resolve()))

    def render(
        self,
        values: Mapping[str, Any] | None = None,
        *,
        release: str = DEFAULT_RELEASE,
        namespace: str = DEFAULT_NAMESPACE,
        is_upgrade: bool = False,
    ) -> list[dict[str, Any]]:
        """Objects of `helm template` for one set of already merged values."""
        return asyncio.run(self._render(dict(values or {}), release, namespace, is_upgrade))

    async def _render(
        self, values: dict[str, Any], release: str, namespace: str, is_upgrade: bool
    ) -> list[dict[str, Any]]:
        try:
            documents = await self._client.template_resources(
                self._chart, release, values, namespace=namespace, is_upgrade=is_upgrade
            )
            return [doc for doc in documents if doc]
        except helm_errors.Error as error:
            raise RenderError(error.stderr.decode(errors="replace")) from error
