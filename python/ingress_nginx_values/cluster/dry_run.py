"""Server-side dry-run of rendered objects: what the API server itself would refuse.

A `dryRun=All` create runs every validation and admission step of a real create
(names, ports, label syntax, immutable combinations, CRD schemas) without
storing anything, so thousands of objects can be checked on one control plane.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from kubernetes import client
from kubernetes.client.rest import ApiException
from kubernetes.dynamic import DynamicClient
from kubernetes.dynamic.exceptions import DynamicApiError, ResourceNotFoundError


@dataclass
class ServerDryRun:
    """Dry-run creates against one API server; each distinct object is sent once."""

    api_client: client.ApiClient
    _dynamic: DynamicClient = field(init=False, repr=False)
    _seen: dict[str, str | None] = field(default_factory=dict, repr=False)
    _namespaces: set[str] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        self._dynamic = DynamicClient(self.api_client)

    def _ensure_namespace(self, name: str) -> str | None:
        """Creates the namespace; returns the API server's reason when it cannot be created
        (an invalid name), which is then why the object is refused."""
        # A dry-run create in a namespace that does not exist is refused for that
        # reason alone, which would hide what is wrong with the object itself.
        if name in self._namespaces:
            return None
        core = client.CoreV1Api(self.api_client)
        try:
            core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name)))
        except ApiException as error:
            if error.status == 422:
                return f"its namespace cannot exist: {_reason(error)}"
            if error.status != 409:
                raise
        self._namespaces.add(name)
        return None

    def refusal(self, obj: dict[str, Any], namespace: str) -> str | None:
        """The API server's reason to refuse creating obj, or None when it would create it."""
        key = json.dumps([obj, namespace], sort_keys=True)
        if key not in self._seen:
            self._seen[key] = self._create(obj, namespace)
        return self._seen[key]

    def _create(self, obj: dict[str, Any], namespace: str) -> str | None:
        try:
            resource = self._dynamic.resources.get(api_version=obj["apiVersion"], kind=obj["kind"])
        except ResourceNotFoundError:
            return f"the API server does not serve {obj['kind']} in {obj['apiVersion']}"
        target = (obj.get("metadata") or {}).get("namespace") or namespace
        if resource.namespaced and (unplaceable := self._ensure_namespace(target)) is not None:
            return unplaceable
        try:
            resource.create(body=obj, namespace=target if resource.namespaced else None, dry_run="All")
        except DynamicApiError as error:
            if error.status == 409:
                return None  # already exists: the object itself was accepted before
            return _reason(error)
        return None


def _reason(error: DynamicApiError | ApiException) -> str:
    try:
        body = json.loads(error.body)
    except (TypeError, ValueError):
        return f"{error.status} {error.reason}"
    return str(body.get("message") or body)
