"""The safer defaults listed in charts/ingress-nginx/differences.yaml are what the chart renders."""
from __future__ import annotations

from typing import Any

import pytest
import yaml

from paths import CHART
from manifests import Render

ENTRIES = yaml.safe_load((CHART / "differences.yaml").read_text(encoding="utf-8"))
KINDS = {"fix", "safer-default", "refusal"}


def field_value(obj: dict[str, Any], dotted: str) -> Any:
    node: Any = obj
    for part in dotted.split("."):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def test_every_entry_is_complete() -> None:
    ids = [entry["id"] for entry in ENTRIES]
    assert len(ids) == len(set(ids))
    for entry in ENTRIES:
        assert {"id", "object", "fields", "when", "kind", "why"} <= entry.keys(), entry["id"]
        assert entry["kind"] in KINDS, entry["id"]
        assert entry["why"].strip(), entry["id"]


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e["kind"] == "safer-default"], ids=lambda e: e["id"])
def test_safer_default_is_rendered(render: Render, entry: dict[str, Any]) -> None:
    # A release name that is not part of the chart name, so object names read as the file spells them.
    name = entry["object"]["name"].replace("{release}", "edge")
    obj = render(entry["when"], release="edge").get(entry["object"]["kind"], name)
    for dotted in entry["fields"]:
        field_value(obj, dotted)  # raises KeyError/IndexError when the field is not rendered
