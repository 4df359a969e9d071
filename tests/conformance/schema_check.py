"""Schemas for the conformance tier: Kubernetes' own per minor version, and
hand-written ones for the custom resources the chart can render."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from kubernetes_validate import utils as kv_utils
from packaging.version import Version
from referencing import Registry, Resource
from paths import ROOT

CHART = ROOT / "charts" / "ingress-nginx"
PROFILES_DIR = ROOT / "ci-values"
CUSTOM_SCHEMAS = Path(__file__).resolve().parent / "schemas"

# Custom resources validated with our own schemas: (apiVersion, kind) -> file.
CUSTOM_KINDS = {
    ("monitoring.coreos.com/v1", "ServiceMonitor"): "servicemonitor.json",
    ("monitoring.coreos.com/v1", "PrometheusRule"): "prometheusrule.json",
    ("keda.sh/v1alpha1", "ScaledObject"): "scaledobject.json",
    ("cert-manager.io/v1", "Issuer"): "issuer.json",
    ("cert-manager.io/v1", "Certificate"): "certificate.json",
}


def minimum_kube_version() -> Version:
    """The lowest minor of Chart.yaml's kubeVersion (">=1.25.0-0")."""
    constraint = yaml.safe_load((CHART / "Chart.yaml").read_text())["kubeVersion"]
    found = re.search(r">=\s*v?(\d+)\.(\d+)", constraint)
    if found is None:
        raise AssertionError(f"Chart.yaml kubeVersion {constraint!r} has no lower bound")
    return Version(f"{found.group(1)}.{found.group(2)}")


def supported_minors() -> list[str]:
    """Every minor kubernetes-validate ships from the chart's lowest one up."""
    lowest = minimum_kube_version()
    minors = {".".join(v.split(".")[:2]) for v in kv_utils.all_versions()}
    return sorted((m for m in minors if Version(m) >= lowest), key=Version)


def _package_schema(relative: str) -> dict[str, Any]:
    # kubernetes_validate keeps its schemas as package data; reading them the
    # way it does keeps us independent of where the wheel was installed.
    return kv_utils.schema_contents(f"kubernetes-json-schema/{relative}", relative.split("/")[0])


@dataclass
class KubeSchemas:
    """Strict Kubernetes schemas of one minor version, loaded once.

    kubernetes_validate.validate() rereads the 4 MB definitions file on every
    call; caching one validator per kind keeps thousands of checks fast.
    """

    minor: str
    _registry: Registry = field(init=False, repr=False)
    _validators: dict[tuple[str, str], jsonschema.protocols.Validator] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        version = next(v for v in kv_utils.all_versions() if v.startswith(f"{self.minor}."))
        self._dir = f"v{version}-local-strict"
        definitions = Resource.from_contents(_package_schema(f"{self._dir}/_definitions.json"))
        self._registry = definitions @ Registry()

    def validator(self, api_version: str, kind: str) -> jsonschema.protocols.Validator:
        key = (api_version, kind)
        if key not in self._validators:
            # rbac.authorization.k8s.io/v1 -> rbac-v1, v1 -> v1 (the library's file naming)
            group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
            try:
                schema = _package_schema(f"{self._dir}/{kind.lower()}-{group_version}.json")
            except FileNotFoundError:
                raise AssertionError(f"Kubernetes {self.minor} has no {kind} in {api_version}") from None
            self._validators[key] = jsonschema.Draft202012Validator(schema, registry=self._registry)
        return self._validators[key]

    def errors(self, obj: dict[str, Any]) -> list[str]:
        validator = self.validator(obj["apiVersion"], obj["kind"])
        return [_describe(error) for error in validator.iter_errors(obj)]


@dataclass
class CustomSchemas:
    """Our compact schemas of the custom resources the chart renders."""

    _validators: dict[tuple[str, str], jsonschema.protocols.Validator] = field(default_factory=dict)

    def knows(self, obj: dict[str, Any]) -> bool:
        return (obj["apiVersion"], obj["kind"]) in CUSTOM_KINDS

    def errors(self, obj: dict[str, Any]) -> list[str]:
        key = (obj["apiVersion"], obj["kind"])
        if key not in self._validators:
            schema = json.loads((CUSTOM_SCHEMAS / CUSTOM_KINDS[key]).read_text())
            jsonschema.Draft202012Validator.check_schema(schema)
            self._validators[key] = jsonschema.Draft202012Validator(
                schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
            )
        return [_describe(error) for error in self._validators[key].iter_errors(obj)]


def _describe(error: jsonschema.ValidationError) -> str:
    path = ".".join(str(part) for part in error.absolute_path) or "<root>"
    return f"{path}: {error.message}"
