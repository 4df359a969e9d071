"""The tests' in-process renderer prints what `helm template` prints, and refuses alike."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import helm_executable
from ingress_nginx_values.render_server import RenderServer
from ingress_nginx_values.rendering import RenderError
from paths import CHART, PROFILES

RELEASE = "edge"
NAMESPACE = "ingress"


def _helm_template(values_file: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [helm_executable("helm3"), "template", RELEASE, str(CHART), "-n", NAMESPACE, "-f", str(values_file)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("profile", sorted(PROFILES.glob("*.yaml")), ids=lambda path: path.stem)
def test_output_is_helm_templates_byte_for_byte(render_server: RenderServer, profile: Path) -> None:
    helm = _helm_template(profile)
    assert helm.returncode == 0, helm.stderr
    values = yaml.safe_load(profile.read_text()) or {}
    rendered = render_server.render(CHART, values, release=RELEASE, namespace=NAMESPACE)
    assert rendered.manifest == helm.stdout
    assert rendered.objects == [doc for doc in yaml.safe_load_all(helm.stdout) if doc]


@pytest.mark.parametrize(
    "values",
    [
        {"controller": {"kind": "Nope"}},
        {"controller": {"replicaCount": "two"}},
        {"controller": {"unknownKey": True}},
        {"defaultBackend": {"enabled": True, "image": {"pullPolicy": "Sometimes"}}},
    ],
    ids=["enum", "type", "unknown-key", "nested-enum"],
)
def test_refusals_read_as_helms(render_server: RenderServer, values: dict[str, object], tmp_path: Path) -> None:
    values_file = tmp_path / "values.yaml"
    values_file.write_text(yaml.safe_dump(values))
    helm = _helm_template(values_file)
    assert helm.returncode != 0
    with pytest.raises(RenderError) as refused:
        render_server.render(CHART, values, release=RELEASE, namespace=NAMESPACE)
    assert refused.value.message == helm.stderr.strip().removeprefix("Error: ").strip()
