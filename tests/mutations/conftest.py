"""Fixtures of the mutations tier: the seeded corpus, the linter as the CLI runs it,
strict Kubernetes schemas and the session's cluster (tests/conftest.py, shared with
the cluster tier) for server-side dry-runs."""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from kubernetes import config

from conformance.schema_check import CustomSchemas, KubeSchemas, supported_minors
from conftest import RenderCache
from ingress_nginx_values.chart_checks import ChartChecks
from ingress_nginx_values.cluster import Cluster, ProviderUnavailable
from ingress_nginx_values.cluster.dry_run import ServerDryRun
from ingress_nginx_values.cluster.stub_crds import apply_stub_crds
from ingress_nginx_values.lint import Linter
from ingress_nginx_values.rendering import RenderError
from ingress_nginx_values.values_mutations import Mutation, NullBase, corpus
from paths import CHART
from profiles import load_profile, profile_names

SEED = 9
MINIMUM_CASES = 1000
NULL_BASES = Path(__file__).resolve().parent / "null_bases.yaml"


def build_corpus() -> list[Mutation]:
    defaults = yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))
    schema = json.loads((CHART / "values.schema.json").read_text(encoding="utf-8"))
    profiles = {name: load_profile(name) for name in profile_names()}
    bases = yaml.safe_load(NULL_BASES.read_text(encoding="utf-8"))
    null_bases = [NullBase(name, base["values"], tuple(base["under"])) for name, base in bases.items()]
    return corpus(defaults, profiles, schema, null_bases=null_bases, seed=SEED)


CORPUS = build_corpus()


@pytest.fixture(scope="session")
def linter(render_cache: RenderCache) -> Linter:
    """Schema, rules and the chart's own checks, rendered through the same cache as the cases."""

    def refusal(values: Any, release: str, namespace: str) -> str | None:
        result = render_cache.outcome(dict(values), release=release, namespace=namespace)
        return result.message if isinstance(result, RenderError) else None

    return Linter(CHART, chart_checks=ChartChecks(refusal))


@pytest.fixture(scope="session")
def strict_schemas() -> list[KubeSchemas]:
    """The oldest and the newest Kubernetes minor the chart supports."""
    minors = supported_minors()
    return [KubeSchemas(minor) for minor in sorted({minors[0], minors[-1]})]


@pytest.fixture(scope="session")
def custom_schemas() -> CustomSchemas:
    return CustomSchemas()


@dataclass
class ObjectProblems:
    """What the strict Kubernetes schemas (or ours, for custom resources) find wrong with a
    rendered object. Each distinct object is checked once: most cases render objects that
    another case rendered too, and validation is the tier's largest cost."""

    strict: list[KubeSchemas]
    custom: CustomSchemas
    _seen: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def of(self, obj: dict[str, Any]) -> list[str]:
        key = json.dumps(obj, sort_keys=True)
        if key not in self._seen:
            self._seen[key] = self._check(obj)
        return self._seen[key]

    def _check(self, obj: dict[str, Any]) -> list[str]:
        where = f"{obj['kind']} {obj['metadata']['name']}"
        if self.custom.knows(obj):
            return [f"{where}: {error}" for error in self.custom.errors(obj)]
        return [f"{where} (Kubernetes {schemas.minor}): {error}" for schemas in self.strict for error in schemas.errors(obj)]


@pytest.fixture(scope="session")
def object_problems(strict_schemas: list[KubeSchemas], custom_schemas: CustomSchemas) -> ObjectProblems:
    return ObjectProblems(strict_schemas, custom_schemas)


@pytest.fixture(scope="session")
def dry_run(opened_cluster: Cluster | ProviderUnavailable) -> Iterator[ServerDryRun]:
    if isinstance(opened_cluster, ProviderUnavailable):
        if os.environ.get("CI") == "true":
            pytest.fail(f"the server-side dry-run needs a control plane: {opened_cluster}")
        pytest.skip(f"no control plane for the server-side dry-run (accepted cases unchecked by the API server): {opened_cluster}")
    api_client = config.new_client_from_config(config_file=str(opened_cluster.kubeconfig))
    apply_stub_crds(api_client)
    yield ServerDryRun(api_client)
    api_client.close()
