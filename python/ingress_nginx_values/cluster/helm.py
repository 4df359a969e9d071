"""Synchronous Helm releases on a cluster, through pyhelm3 (one client per kubeconfig)."""
from __future__ import annotations

import asyncio
import errno
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyhelm3 import Client
from pyhelm3 import errors as helm_errors
from pyhelm3.models import ReleaseRevision


class HelmFailed(Exception):
    """Helm exited with an error; `message` is its stderr without the "Error: " prefix."""

    def __init__(self, stderr: str) -> None:
        self.message = stderr.strip().removeprefix("Error: ").strip()
        super().__init__(self.message)


@dataclass
class HelmReleases:
    chart: Path
    kubeconfig: Path
    executable: str = "helm"
    timeout: str = "120s"
    _client: Client = field(init=False, repr=False)
    _chart: Any = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        self._client = Client(executable=self.executable, kubeconfig=self.kubeconfig, default_timeout=self.timeout)

    def install(
        self,
        release: str,
        namespace: str,
        values: Mapping[str, Any] | None = None,
        *,
        wait: bool = True,
        create_namespace: bool = False,
    ) -> ReleaseRevision:
        """`helm upgrade --install` (with --wait and --wait-for-jobs when wait)."""
        return self._run(lambda: self._install(release, namespace, dict(values or {}), wait, create_namespace))

    def uninstall(self, release: str, namespace: str) -> None:
        self._run(lambda: self._client.uninstall_release(release, namespace=namespace, wait=True))

    def rollback(self, release: str, namespace: str, revision: int) -> None:
        # pyhelm3's Client has no rollback; its Command (the CLI wrapper) does.
        self._run(lambda: self._client._command.rollback(release, revision, namespace=namespace, wait=True))

    def current_revision(self, release: str, namespace: str) -> ReleaseRevision:
        return self._run(lambda: self._client.get_current_revision(release, namespace=namespace))

    async def _install(
        self, release: str, namespace: str, values: dict[str, Any], wait: bool, create_namespace: bool
    ) -> ReleaseRevision:
        if self._chart is None:
            self._chart = await self._client.get_chart(self.chart.resolve())
        return await self._client.install_or_upgrade_release(
            release, self._chart, values, namespace=namespace, wait=wait, create_namespace=create_namespace
        )

    @staticmethod
    def _run(start: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
        try:
            return _spawn_retrying(lambda: asyncio.run(start()))
        except helm_errors.Error as error:
            raise HelmFailed(error.stderr.decode(errors="replace")) from error


def _spawn_retrying(run: Callable[[], Any], attempts: int = 3) -> Any:
    """Runs `run`, again when starting Helm's process failed with EFAULT.

    Seen once in about a hundred starts with many releases installing from threads at
    once (the tests): exec of /bin/sh failed with "Bad address" in the new child, so
    Helm never ran and starting it again is safe. Any other error is raised as it is.
    """
    for _ in range(attempts - 1):
        try:
            return run()
        except OSError as error:
            if error.errno != errno.EFAULT:
                raise
    return run()
