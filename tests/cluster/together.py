"""Many tests' cluster work at once, each test asserting on its own part.

An install on the local control plane is mostly waiting: for the certgen hook Jobs
(the Job controller batches pod updates for a second), for Helm's readiness poll
(every 2 s) and for deletions. So the scenarios of a module (a scenario is a test's
body, given a `Run`) start together on a thread pool when the first of their tests
runs; each test then waits for its own scenario and re-raises what it raised, so its
assertions, messages and traceback stay the test's own.

Scenarios side by side must not share a cluster-wide name: each gets its own release
name, which names its ClusterRoles and webhook configuration, and its IngressClass
is named after the release unless the values name one (`profiles.own_class`). Those
whose pods take host ports (hostNetwork or hostPort; two such pods cannot share a
node) run one after another, each cleaned up before the next, in a lane of their own
that starts first, since it is the longest chain.
"""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pytest
from kubernetes import client

from cluster.support import Installs
from ingress_nginx_values.cluster.helm import HelmReleases

# Enough to keep both cores busy while most scenarios wait, few enough that the
# first tests' scenarios finish early instead of all finishing last.
WORKERS = 6


@dataclass
class Run:
    """What one scenario works with: its own installs tracker and release name."""

    installs: Installs
    api: client.ApiClient
    release: str

    @property
    def core(self) -> client.CoreV1Api:
        return client.CoreV1Api(self.api)

    @property
    def apps(self) -> client.AppsV1Api:
        return client.AppsV1Api(self.api)


Scenario = Callable[..., None]


def together(
    scenario: Scenario, release: str, host_ports: Callable[..., bool] = lambda **_: False
) -> pytest.MarkDecorator:
    """Marks a test whose body is `scenario(run, **its parameters)`, run with the others.

    `release` names its release, followed by the test's parameter id when it has one;
    with `ingress-nginx` in it the chart's fullname is the release name itself.
    `host_ports(**its parameters)` says whether its pods take host ports.
    """
    return pytest.mark.together(scenario, release, host_ports)


@dataclass
class Together:
    helm: HelmReleases
    api: client.ApiClient
    _pool: ThreadPoolExecutor = field(init=False)
    _host_ports: ThreadPoolExecutor = field(init=False)
    _futures: dict[str, Future[None]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="together")
        self._host_ports = ThreadPoolExecutor(1, thread_name_prefix="together-host-ports")

    def start(self, items: list[pytest.Item]) -> None:
        for item in items:
            marker = item.get_closest_marker("together")
            if marker is None or item.nodeid in self._futures:
                continue
            scenario, release, host_ports = marker.args
            callspec = getattr(item, "callspec", None)
            params = dict(callspec.params) if callspec else {}
            if callspec:
                release = f"{release}-{callspec.id}"
            lane = self._host_ports if host_ports(**params) else self._pool
            self._futures[item.nodeid] = lane.submit(self._run, scenario, item.name, release, params)

    def _run(self, scenario: Scenario, name: str, release: str, params: dict[str, Any]) -> None:
        installs = Installs(self.helm, client.CoreV1Api(self.api), name)
        try:
            scenario(Run(installs, self.api, release), **params)
        finally:
            installs.cleanup()

    def outcome(self, item: pytest.Item) -> None:
        """Waits for the item's scenario; raises what it raised."""
        if item.nodeid not in self._futures:
            raise AssertionError(f"{item.nodeid} has no `together` scenario")
        self._futures[item.nodeid].result()

    def close(self) -> None:
        self._host_ports.shutdown(wait=True, cancel_futures=True)
        self._pool.shutdown(wait=True, cancel_futures=True)

