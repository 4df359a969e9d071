"""Stands in for a cloud's load balancer controller.

`helm --wait` waits until every LoadBalancer Service has an address, which only a
cloud controller (or MetalLB) gives. On the local control plane this thread hands
out addresses from a documentation range, so LoadBalancer profiles can be waited on.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

import urllib3
from kubernetes import client
from kubernetes.client.exceptions import ApiException

# TEST-NET-3 (RFC 5737): never routed, clearly not a real balancer.
ADDRESS_PREFIX = "203.0.113."


@dataclass
class FakeLoadBalancers:
    api: client.CoreV1Api
    interval: float = 0.5
    _stop: threading.Event = field(init=False, default_factory=threading.Event)
    _thread: threading.Thread | None = field(init=False, default=None)
    _next: int = field(init=False, default=10)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="fake-load-balancers", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.assign_once()
            except (ApiException, urllib3.exceptions.HTTPError, OSError):
                # The API server stops before this thread during teardown.
                continue

    def assign_once(self) -> None:
        for service in self.api.list_service_for_all_namespaces().items:
            if service.spec.type != "LoadBalancer":
                continue
            if service.status.load_balancer and service.status.load_balancer.ingress:
                continue
            address = f"{ADDRESS_PREFIX}{self._next}"
            self._next = self._next % 250 + 1
            self.api.patch_namespaced_service_status(
                service.metadata.name,
                service.metadata.namespace,
                {"status": {"loadBalancer": {"ingress": [{"ip": address}]}}},
            )
