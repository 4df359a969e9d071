"""`make bench` rows of the real node: its cold start with the control plane, its
teardown, and (once the data plane's images exist) the time from `helm upgrade
--install` to the first request routed with 200, our chart against upstream 4.15.1
on the same node with the same images."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from kubernetes import client

from . import cafe, upstream_chart
from .cluster.edge import EdgeCluster, edge_cluster, missing_edge_pieces
from .cluster.helm import HelmFailed, HelmReleases
from .cluster.images import chart_overrides, dataplane_tarballs, missing_dataplane
from .cluster.local import REPO_ROOT, StartupFailed
from .cluster.node import RealNodeConfig
from .values_loading import merge_values

PROFILE = REPO_ROOT / "ci-values" / "daemonset-prod.yaml"
HELM = REPO_ROOT / ".tools" / "bin" / "helm3"


@dataclass(frozen=True)
class NodeRow:
    subject: str
    value: str
    note: str = ""



def _time_to_first_200(edge: EdgeCluster, chart: Path, release: str) -> float:
    """Seconds from `helm upgrade --install` to the cafe's first routed 200; uninstalls afterwards."""
    values = merge_values(yaml.safe_load(PROFILE.read_text()), chart_overrides())
    helm = HelmReleases(chart, edge.kubeconfig, executable=str(HELM), timeout="300s")
    started = time.monotonic()
    helm.install(release, release, values, wait=False, create_namespace=True)
    cafe.wait_routed(edge.ingress_address, timeout=300)
    elapsed = time.monotonic() - started
    helm.uninstall(release, release)
    client.CoreV1Api(edge.plane.api_client).delete_namespace(release)
    return elapsed


def real_node_rows(section: Callable[[str, str, str], Any]) -> list[Any]:
    """Rows made by `section(subject, value, note)` (bench.Row of section "real node")."""
    missing = missing_edge_pieces()
    if missing:
        return [section("cold start", "unavailable", "; ".join(missing))]
    images = dataplane_tarballs()
    rows = []
    started = time.monotonic()
    try:
        with edge_cluster(node_config=RealNodeConfig(extra_images=tuple(images.values()))) as edge:
            rows.append(section("cold start", f"{time.monotonic() - started:.1f} s",
                                f"control plane {edge.plane.startup_seconds:.1f} s, then node Ready "
                                f"{edge.node.startup_seconds:.1f} s (images imported)"))
            missing = missing_dataplane()
            try:
                upstream_archive = upstream_chart.locate(REPO_ROOT)
            except upstream_chart.UpstreamChartMissing as absent:
                missing.append(str(absent))
            if missing:
                rows.append(section("install to first 200", "unavailable", "; ".join(missing)))
            else:
                cafe.deploy(edge.plane.api_client)
                ours = _time_to_first_200(edge, REPO_ROOT / "charts" / "ingress-nginx", "ours")
                upstream = _time_to_first_200(edge, upstream_archive, "upstream")
                rows.append(section("install to first 200", f"{ours:.1f} s",
                                    f"upstream 4.15.1 {upstream:.1f} s, ours/upstream {ours / upstream:.2f}"))
            stopping = time.monotonic()
    except (StartupFailed, HelmFailed, TimeoutError) as error:
        return [*rows, section("cold start" if not rows else "install to first 200", "failed",
                               str(error).splitlines()[0])]
    left = edge.leftovers()
    rows.append(section("teardown", f"{time.monotonic() - stopping:.1f} s",
                        "nothing of the node left" if not left else "LEFT BEHIND: " + "; ".join(left)))
    return rows
