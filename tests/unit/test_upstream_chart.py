"""Where upstream-diff and the parity tier find the upstream chart."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingress_nginx_values.upstream_chart import ENV_VAR, UpstreamChartMissing, locate, read_pin


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "clone"
    (root / "tools").mkdir(parents=True)
    (root / "tools" / "versions.env").write_text("# pins\nhelm3 x@v1\nupstream-chart ingress-nginx 4.15.1\n")
    return root


def test_the_pin_comes_from_versions_env(repo: Path) -> None:
    pin = read_pin(repo / "tools" / "versions.env")
    assert (pin.chart, pin.version, pin.archive_name) == ("ingress-nginx", "4.15.1", "ingress-nginx-4.15.1.tgz")


def test_order_explicit_then_environment_then_installed_then_shared(repo: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared" / "upstream" / "ingress-nginx-4.15.1.tgz"
    shared.parent.mkdir(parents=True)
    shared.write_bytes(b"shared")
    assert locate(repo, environ={}) == shared
    installed = repo / ".tools" / "bin" / "upstream-chart"
    installed.parent.mkdir(parents=True)
    installed.write_bytes(b"installed")
    assert locate(repo, environ={}) == installed
    chosen = tmp_path / "chosen.tgz"
    chosen.write_bytes(b"env")
    assert locate(repo, environ={ENV_VAR: str(chosen)}) == chosen
    assert locate(repo, explicit=shared, environ={ENV_VAR: str(chosen)}) == shared


def test_missing_chart_says_how_to_get_it(repo: Path) -> None:
    with pytest.raises(UpstreamChartMissing, match="make tools"):
        locate(repo, environ={})
    with pytest.raises(UpstreamChartMissing, match="--upstream-chart"):
        locate(repo, explicit=repo / "nope.tgz", environ={})


def test_a_versions_env_without_the_pin_is_an_error(repo: Path) -> None:
    (repo / "tools" / "versions.env").write_text("helm3 x@v1\n")
    with pytest.raises(UpstreamChartMissing, match="upstream-chart"):
        read_pin(repo / "tools" / "versions.env")
