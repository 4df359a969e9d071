"""`make demo`: the chart's daemonset-prod profile on a local control plane.

Where a real node can run (root, `make tools`, the data plane's controller and
certgen images built): the control plane with the real kubelet node `edge` and two
kwok nodes, daemonset-prod installed, the cafe example deployed and real requests
routed through the controller on `edge`. Elsewhere: the control plane with kwok
fake nodes only, where pods are reported Running but nothing runs or listens.
KEEP=1 leaves it running and prints how to use it; `make demo-stop` stops it.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import time
from pathlib import Path

import yaml
from kubernetes import client

from . import cafe
from .cluster import LocalControlPlane, LocalControlPlaneConfig
from .cluster.edge import edge_cluster, missing_edge_pieces, stop_kept_edge
from .cluster.helm import HelmFailed, HelmReleases
from .cluster.images import cache_dir, chart_overrides, dataplane_tarballs, image_by_name, missing_dataplane
from .cluster.local import REPO_ROOT, StartupFailed, missing_binaries
from .cluster.node import RealNodeConfig
from .values_loading import merge_values

RELEASE = "ingress-nginx"
NAMESPACE = "ingress-nginx"
PROFILE = REPO_ROOT / "ci-values" / "daemonset-prod.yaml"
CHART = REPO_ROOT / "charts" / "ingress-nginx"
PIDS_FILE = "pids.json"
# Where a demo kept with KEEP=1 writes what `make demo-stop` needs.
KEPT_EDGE = cache_dir().parent / "demo-edge.json"
KEPT_SIMULATED = cache_dir().parent / "demo-simulated-workdir"



def _print_ingress_classes(api: client.ApiClient) -> None:
    print("\nIngressClass:")
    for ingress_class in client.NetworkingV1Api(api).list_ingress_class().items:
        annotations = ingress_class.metadata.annotations or {}
        default = annotations.get("ingressclass.kubernetes.io/is-default-class", "false")
        print(f"  {ingress_class.metadata.name}: controller={ingress_class.spec.controller} default={default}")


def _print_pods_per_node(api: client.ApiClient) -> None:
    core = client.CoreV1Api(api)
    pods = core.list_namespaced_pod(NAMESPACE, label_selector="app.kubernetes.io/component=controller").items
    by_node: dict[str, list[str]] = {}
    for pod in pods:
        by_node.setdefault(pod.spec.node_name or "(unscheduled)", []).append(f"{pod.metadata.name} ({pod.status.phase})")
    print("\nController pods per node:")
    for node in core.list_node().items:
        labels = node.metadata.labels or {}
        edge = "ingress-ready" if labels.get("ingress-ready") == "true" else "not ingress-ready"
        tainted = ", tainted control-plane" if any(
            t.key == "node-role.kubernetes.io/control-plane" for t in node.spec.taints or []
        ) else ""
        print(f"  {node.metadata.name} [{edge}{tainted}]: {', '.join(by_node.pop(node.metadata.name, [])) or '-'}")
    for node_name, names in by_node.items():
        print(f"  {node_name}: {', '.join(names)}")


def _write_pids(plane: LocalControlPlane) -> Path:
    path = plane.workdir / PIDS_FILE
    path.write_text(json.dumps(plane.process_ids()))
    return path


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def stop(workdir: Path, grace: float = 10.0) -> int:
    """Stops a control plane kept by KEEP=1 and removes its directory.

    Components stop in the reverse order of their start: the API server waits
    for etcd while shutting down, so etcd must be the last to go.
    """
    pids: dict[str, int] = json.loads((workdir / PIDS_FILE).read_text())
    for name, pgid in reversed(list(pids.items())):
        if not _group_alive(pgid):
            print(f"{name} (process group {pgid}) was not running")
            continue
        os.killpg(pgid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while _group_alive(pgid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _group_alive(pgid):
            os.killpg(pgid, signal.SIGKILL)
        print(f"stopped {name} (process group {pgid})")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


def run_real(keep: bool, images: dict[str, Path]) -> int:
    """The demo on the real node: every request printed here was really routed by nginx."""
    if KEPT_EDGE.exists():
        print(f"demo: a kept demo is still running ({KEPT_EDGE}); stop it first: make demo-stop", file=sys.stderr)
        return 1
    values = merge_values(yaml.safe_load(PROFILE.read_text()), chart_overrides())
    print("demo: starting the control plane and the real node `edge` ...", flush=True)
    try:
        with edge_cluster(node_config=RealNodeConfig(extra_images=tuple(images.values())),
                          keep_state=KEPT_EDGE if keep else None) as edge:
            print(f"demo: control plane ready in {edge.plane.startup_seconds:.1f} s, "
                  f"node edge Ready in {edge.node.startup_seconds:.1f} s")
            print("  REAL: etcd, kube-apiserver, kube-controller-manager, kube-scheduler (processes here);")
            print("        node `edge`: containerd, runc, kubelet, kube-proxy in a network and mount namespace")
            print(f"        of their own at {edge.ingress_address}; every pod on `edge` is a real container.")
            print("  SIMULATED: nodes simulated-worker-1 and simulated-worker-2 are kwok's: nothing runs there.")
            helm = HelmReleases(CHART, edge.kubeconfig, executable=str(REPO_ROOT / ".tools" / "bin" / "helm3"),
                                timeout="300s")
            started = time.monotonic()
            revision = helm.install(RELEASE, NAMESPACE, values, wait=True, create_namespace=True)
            print(f"demo: installed {PROFILE.relative_to(REPO_ROOT)} (image digests and pull policies from "
                  f"tools/images/chart-overrides.yaml) in {time.monotonic() - started:.1f} s, "
                  f"revision {revision.revision}")
            _print_pods_per_node(edge.plane.api_client)
            cafe.deploy(edge.plane.api_client)
            cafe.wait_routed(edge.ingress_address)
            print(f"\nReal requests from this machine to {edge.ingress_address}:80 (the node's port 80):")
            for path in ("/coffee", "/coffee", "/tea", "/tea"):
                print("  " + cafe.get(edge.ingress_address, path).line())
            print("  " + cafe.get(edge.ingress_address, "/", host="unknown.example.com").line())
            if keep:
                print("\nIt keeps running; to use it:")
                print(f"export KUBECONFIG={edge.kubeconfig}")
                print(f"export INGRESS_ADDRESS={edge.ingress_address}")
                print(f"export ECHO_IMAGE={image_by_name('netexec').reference}")
                print("Stop it with: make demo-stop")
            else:
                print("\ndemo: stopping everything (KEEP=1 keeps it running)")
    except (HelmFailed, StartupFailed, TimeoutError) as error:
        print(f"demo: failed: {error}", file=sys.stderr)
        return 1
    return 0


def run(keep: bool) -> int:
    missing = missing_binaries(LocalControlPlaneConfig().bin_dir)
    if missing:
        print(f"demo: not built: {', '.join(missing)}; run `make tools`", file=sys.stderr)
        return 2
    values = yaml.safe_load(PROFILE.read_text())
    print("demo: SIMULATED: kwok fake nodes only; pods are reported Running but no container runs "
          "and nothing listens on port 80 or 443.")
    print(f"demo: starting a local control plane (keep={keep}) ...", flush=True)
    try:
        with LocalControlPlane(LocalControlPlaneConfig(keep=keep)) as plane:
            print(f"demo: control plane ready in {plane.startup_seconds:.1f} s at {plane.server}", flush=True)
            helm = HelmReleases(CHART, plane.kubeconfig, executable=str(REPO_ROOT / ".tools" / "bin" / "helm3"))
            started = time.monotonic()
            revision = helm.install(RELEASE, NAMESPACE, values, wait=True, create_namespace=True)
            print(f"demo: installed {PROFILE.relative_to(REPO_ROOT)} as release {RELEASE} "
                  f"in {time.monotonic() - started:.1f} s (revision {revision.revision}, {revision.status.value})")
            _print_ingress_classes(plane.api_client)
            _print_pods_per_node(plane.api_client)
            print("\nNOTES:")
            print(revision.notes or "(the chart printed no notes)")
            if keep:
                pids = _write_pids(plane)
                KEPT_SIMULATED.parent.mkdir(parents=True, exist_ok=True)
                KEPT_SIMULATED.write_text(str(pids.parent))
                print("\nThe control plane keeps running:")
                print(f"  export KUBECONFIG={plane.kubeconfig}")
                python = Path(sys.executable)
                if python.is_relative_to(REPO_ROOT):
                    python = python.relative_to(REPO_ROOT)
                print(f"  stop it with: {python} -m ingress_nginx_values.demo --stop {pids.parent}")
            else:
                print("\ndemo: stopping the control plane (KEEP=1 keeps it)")
    except (HelmFailed, StartupFailed) as error:
        print(f"demo: failed: {error}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingress_nginx_values.demo", description=__doc__)
    parser.add_argument("--stop", type=Path, metavar="WORKDIR", help="stop a control plane kept with KEEP=1")
    parser.add_argument("--stop-kept", action="store_true", help="stop whatever demo KEEP=1 left running")
    args = parser.parse_args(argv)
    if args.stop:
        return stop(args.stop)
    if args.stop_kept:
        return stop_kept()
    keep = os.environ.get("KEEP", "") not in ("", "0")
    missing = missing_edge_pieces()
    images = dataplane_tarballs()
    missing += missing_dataplane()
    if not missing:
        return run_real(keep, images)
    print("demo: no real node here, missing: " + "; ".join(missing))
    return run(keep)


def stop_kept() -> int:
    stopped = False
    if KEPT_EDGE.exists():
        stop_kept_edge(KEPT_EDGE)
        print("demo: stopped the kept real-node demo (node, control plane, network)")
        stopped = True
    if KEPT_SIMULATED.exists():
        workdir = Path(KEPT_SIMULATED.read_text())
        if workdir.exists():
            stop(workdir)
        KEPT_SIMULATED.unlink()
        stopped = True
    if not stopped:
        print("demo: nothing kept running")
    return 0


if __name__ == "__main__":
    sys.exit(main())
