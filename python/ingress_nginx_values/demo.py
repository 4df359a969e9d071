"""`make demo`: the chart's daemonset-prod profile on a local control plane.

Starts etcd, the API server, controller manager, scheduler and kwok fake nodes,
installs ci-values/daemonset-prod.yaml with Helm, prints what came up, then stops
everything. KEEP=1 leaves the control plane running and prints how to use and stop it.
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

from .cluster import LocalControlPlane, LocalControlPlaneConfig
from .cluster.helm import HelmFailed, HelmReleases
from .cluster.local import REPO_ROOT, StartupFailed, missing_binaries

RELEASE = "ingress-nginx"
NAMESPACE = "ingress-nginx"
PROFILE = REPO_ROOT / "ci-values" / "daemonset-prod.yaml"
CHART = REPO_ROOT / "charts" / "ingress-nginx"
PIDS_FILE = "pids.json"


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


def run(keep: bool) -> int:
    missing = missing_binaries(LocalControlPlaneConfig().bin_dir)
    if missing:
        print(f"demo: not built: {', '.join(missing)}; run `make tools`", file=sys.stderr)
        return 2
    values = yaml.safe_load(PROFILE.read_text())
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
    args = parser.parse_args(argv)
    if args.stop:
        return stop(args.stop)
    return run(keep=os.environ.get("KEEP", "") not in ("", "0"))


if __name__ == "__main__":
    sys.exit(main())
