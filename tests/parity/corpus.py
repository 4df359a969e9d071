"""The parity corpus: values sets generated from the upstream values keys.

Cases, each a distinct values set rendered by both charts:
- upstream's defaults and every ci-values/ profile;
- per key of upstream-values-4.15.1.txt, every sample of samples.yaml (or one
  derived from the key's default), merged over the context that makes it show;
- the pairwise combinations of the mode switches (allpairspy);
- the values of every differences.yaml entry.
"""
from __future__ import annotations

import ast
import copy
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from allpairspy import AllPairs

from ingress_nginx_values.differences import Differences
from ingress_nginx_values.release_names import DEFAULT_NAMESPACE, DEFAULT_RELEASE
from paths import CHART, PROFILES, UPSTREAM_VALUES

SAMPLES = Path(__file__).with_name("samples.yaml")
UNSET = "<unset>"


@dataclass(frozen=True)
class Case:
    id: str
    values: Mapping[str, Any]
    release: str = DEFAULT_RELEASE
    namespace: str = DEFAULT_NAMESPACE

    @property
    def key(self) -> str:
        return json.dumps([self.values, self.release, self.namespace], sort_keys=True)


@dataclass(frozen=True)
class UpstreamKey:
    path: tuple[str, ...]
    default: Any  # UNSET when upstream reads the key without declaring it

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


def _split(dotted: str) -> tuple[str, ...]:
    """`controller.nodeSelector.kubernetes.io/os` -> (..., "nodeSelector", "kubernetes.io/os")."""
    parts: list[str] = []
    for part in dotted.split("."):
        if parts and "/" in part and "/" not in parts[-1] and parts[-1][:1].islower() and len(parts) > 1 \
                and parts[-2] == "nodeSelector":
            parts[-1] = f"{parts[-1]}.{part}"
        else:
            parts.append(part)
    return tuple(parts)


_LINE = re.compile(r"^(?P<key>\S+) = (?P<default>.*)$")


def upstream_keys(listing: Path) -> list[UpstreamKey]:
    keys = []
    for line in listing.read_text(encoding="utf-8").splitlines():
        found = _LINE.match(line)
        if not found:
            continue
        text = found["default"]
        # The listing writes Python literals (True, 'x', [...], {}).
        default = UNSET if text == UNSET else ast.literal_eval(text)
        keys.append(UpstreamKey(_split(found["key"]), default))
    return keys


def nested(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    for part in reversed(path[1:]):
        value = {part: value}
    return {path[0]: value}


def merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(dict(base))
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


@dataclass(frozen=True)
class SampleData:
    contexts: Mapping[str, Mapping[str, Any]]
    by_name: Mapping[str, list[Any]]
    samples: Mapping[str, list[Any]]

    @classmethod
    def load(cls, path: Path = SAMPLES) -> SampleData:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(data["contexts"], data["by_name"], data["samples"])

    def context(self, dotted: str) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for prefix in sorted(self.contexts, key=len):
            if dotted.startswith(prefix):
                merged = merge(merged, self.contexts[prefix])
        return merged

    def samples_for(self, key: UpstreamKey) -> list[Any]:
        """The key's samples; empty when neither the data nor a rule gives one."""
        if key.dotted in self.samples:
            return list(self.samples[key.dotted])
        default = key.default
        if isinstance(default, bool):
            return [not default]
        if isinstance(default, int):
            return [default + 1]
        if isinstance(default, (dict, list)) and not default and key.path[-1] in self.by_name:
            return list(self.by_name[key.path[-1]])
        if isinstance(default, str) and default:
            return [f"{default}-alt"]
        return []


def key_cases(keys: list[UpstreamKey], data: SampleData) -> Iterator[Case]:
    for key in keys:
        samples = data.samples_for(key)
        if not samples:
            raise LookupError(f"{key.dotted}: no sample; add one to {SAMPLES.name}")
        for index, sample in enumerate(samples):
            if sample == key.default:
                raise ValueError(f"{key.dotted}: sample {sample!r} is the default")
            values = merge(data.context(key.dotted), nested(key.path, sample))
            yield Case(f"key:{key.dotted}#{index}", values)


# Mode switches: name -> {option: values snippet}.
SWITCHES: dict[str, dict[str, dict[str, Any]]] = {
    "kind": {
        "Deployment": {},
        "DaemonSet": {"controller": {"kind": "DaemonSet"}},
    },
    "hostNetwork": {"off": {}, "on": {"controller": {"hostNetwork": True, "dnsPolicy": "ClusterFirstWithHostNet"}}},
    "hostPort": {"off": {}, "on": {"controller": {"hostPort": {"enabled": True}}}},
    "serviceType": {
        "LoadBalancer": {},
        "NodePort": {"controller": {"service": {"type": "NodePort"}}},
        "ClusterIP": {"controller": {"service": {"type": "ClusterIP"}}},
        "off": {"controller": {"service": {"enabled": False}}},
    },
    "internal": {"off": {}, "on": {"controller": {"service": {"internal": {"enabled": True}}}}},
    "webhook": {
        "certgen": {},
        "cert-manager": {"controller": {"admissionWebhooks": {"certManager": {"enabled": True}}}},
        "off": {"controller": {"admissionWebhooks": {"enabled": False}}},
    },
    "defaultBackend": {"off": {}, "on": {"defaultBackend": {"enabled": True}}},
    "metrics": {
        "off": {},
        "on": {"controller": {"metrics": {"enabled": True}}},
        "monitored": {"controller": {"metrics": {
            "enabled": True, "serviceMonitor": {"enabled": True}, "prometheusRule": {"enabled": True},
        }}},
    },
    "scaling": {
        "fixed": {},
        "hpa": {"controller": {"autoscaling": {"enabled": True}}},
        "keda": {"controller": {"keda": {"enabled": True, "triggers": [
            {"type": "cpu", "metricType": "Utilization", "metadata": {"value": "80"}}]}}},
    },
    "pdb": {"off": {}, "on": {"controller": {"replicaCount": 3}}},
    "networkPolicy": {"off": {}, "on": {"controller": {"networkPolicy": {"enabled": True}}}},
    "rbacScope": {"off": {}, "on": {"rbac": {"scope": True}}},
    "controllerScope": {"off": {}, "on": {"controller": {"scope": {"enabled": True}}}},
    "streams": {
        "none": {},
        "tcp": {"tcp": {"9000": "apps/queue:9000"}},
        "udp": {"udp": {"5353": "apps/dns:53"}},
        "both": {"tcp": {"9000": "apps/queue:9000"}, "udp": {"5353": "apps/dns:53"}},
    },
    "release": {DEFAULT_RELEASE: {}, "edge": {}},
}


def _allowed(row: list[str]) -> bool:
    """Combinations no chart can render into a working release are left out of the pairs."""
    chosen = dict(zip(SWITCHES, row))
    if chosen.get("kind") == "DaemonSet" and chosen.get("scaling") not in {None, "fixed"}:
        return False
    if chosen.get("rbacScope") == "on" and chosen.get("controllerScope") == "off":
        return False
    return not (chosen.get("serviceType") == "off" and chosen.get("internal") == "on")


def pairwise_cases() -> Iterator[Case]:
    names = list(SWITCHES)
    for number, row in enumerate(AllPairs([list(SWITCHES[name]) for name in names], filter_func=_allowed)):
        values: dict[str, Any] = {}
        for name, option in zip(names, row):
            values = merge(values, SWITCHES[name][option])
        label = ",".join(f"{name}={option}" for name, option in zip(names, row))
        yield Case(f"pairs:{number}:{label}", values, release=row[names.index("release")])


def profile_cases(profiles: Path) -> Iterator[Case]:
    for path in sorted(profiles.glob("*.yaml")):
        yield Case(f"profile:{path.name}", yaml.safe_load(path.read_text(encoding="utf-8")) or {})


def difference_cases(differences: Differences) -> Iterator[Case]:
    for entry in differences.entries:
        for index, values in enumerate(entry.values):
            yield Case(f"difference:{entry.id}#{index}", values)


def repository_corpus() -> list[Case]:
    """The corpus of this checkout: its profiles, its differences file, the shared key listing."""
    return corpus(UPSTREAM_VALUES, PROFILES, Differences.from_chart(CHART))


def corpus(listing: Path, profiles: Path, differences: Differences, data: SampleData | None = None) -> list[Case]:
    """Every case once: a values set reached twice keeps its first id."""
    cases: dict[str, Case] = {}
    sources = [
        iter([Case("defaults", {}), Case("defaults:other-release", {}, release="edge", namespace="edge-system")]),
        profile_cases(profiles),
        key_cases(upstream_keys(listing), data or SampleData.load()),
        pairwise_cases(),
        difference_cases(differences),
    ]
    for source in sources:
        for case in source:
            cases.setdefault(case.key, case)
    return list(cases.values())
