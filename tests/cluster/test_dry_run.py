"""ServerDryRun, which the mutations tier trusts to say what the API server refuses:
it must tell an accepted object from a refused one, and an object whose namespace
cannot exist is refused for that reason, not an error of the run."""
from __future__ import annotations

from typing import Any

from kubernetes import client

from ingress_nginx_values.cluster.dry_run import ServerDryRun


def _config_map(namespace: str | None = None, name: str = "settings") -> dict[str, Any]:
    metadata = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": {"k": "v"}}


def test_accepts_a_valid_object_and_refuses_an_invalid_name(api: client.ApiClient) -> None:
    dry_run = ServerDryRun(api)
    assert dry_run.refusal(_config_map(), "dry-run-check") is None
    refused = dry_run.refusal(_config_map(name="Bad_Name."), "dry-run-check")
    assert refused is not None and "Bad_Name." in refused


def test_an_object_in_an_invalid_namespace_is_refused_for_it(api: client.ApiClient) -> None:
    refused = ServerDryRun(api).refusal(_config_map(namespace="Bad_Name."), "dry-run-check")
    assert refused is not None and refused.startswith("its namespace cannot exist:") and "Bad_Name." in refused
