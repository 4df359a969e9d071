"""Lookup helpers over rendered Kubernetes objects, for assertions in tests."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Manifests:
    objects: list[dict[str, Any]]

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [obj for obj in self.objects if obj.get("kind") == kind]

    def find(self, kind: str, name: str) -> dict[str, Any] | None:
        for obj in self.of_kind(kind):
            if obj["metadata"]["name"] == name:
                return obj
        return None

    def get(self, kind: str, name: str) -> dict[str, Any]:
        found = self.find(kind, name)
        if found is None:
            raise AssertionError(f"no {kind} named {name!r}; rendered: {self.index()}")
        return found

    def index(self) -> list[tuple[str, str]]:
        """(kind, name) of every object, in render order."""
        return [(obj["kind"], obj["metadata"]["name"]) for obj in self.objects]

    def kinds(self) -> set[str]:
        return {obj["kind"] for obj in self.objects}

    def controller(self) -> dict[str, Any]:
        """The controller workload, whichever kind it is."""
        workloads = [
            obj for obj in self.objects
            if obj["kind"] in ("Deployment", "DaemonSet")
            and obj["metadata"].get("labels", {}).get("app.kubernetes.io/component") == "controller"
        ]
        if len(workloads) != 1:
            raise AssertionError(f"expected one controller workload, found {len(workloads)}: {self.index()}")
        return workloads[0]


def container(workload: dict[str, Any], name: str) -> dict[str, Any]:
    containers: Iterable[dict[str, Any]] = workload["spec"]["template"]["spec"]["containers"]
    for item in containers:
        if item["name"] == name:
            return item
    raise AssertionError(f"no container {name!r} in {workload['metadata']['name']}")


# The type of the `render` fixture, for annotations in test modules.
Render = Callable[..., Manifests]
