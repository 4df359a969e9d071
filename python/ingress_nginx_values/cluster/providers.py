"""Which cluster the cluster and e2e tests run on: E2E_PROVIDER=local|kind|existing.

local (the default) starts LocalControlPlane; kind creates a kind cluster (needs the
docker CLI, a running docker engine and the kind CLI); existing uses the current
kubeconfig. A provider that cannot work here raises ProviderUnavailable with the
exact thing that is missing, which the tests turn into a skip reason.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .kwok import FakeNodes
from .local import LocalControlPlane, LocalControlPlaneConfig, missing_binaries

PROVIDERS = ("local", "kind", "existing")
ENV = "E2E_PROVIDER"


class ProviderUnavailable(Exception):
    """The chosen provider cannot run here; str() says exactly why."""


@dataclass(frozen=True)
class Cluster:
    provider: str
    kubeconfig: Path
    # Only the local provider has nodes that tests may add, label, taint and remove.
    fake_nodes: FakeNodes | None = None
    startup_seconds: float = 0.0
    # The kind cluster's name (its node containers are <name>-control-plane, ...).
    name: str = ""


def selected_provider() -> str:
    name = os.environ.get(ENV, "local") or "local"
    if name not in PROVIDERS:
        raise ProviderUnavailable(f"{ENV}={name} is not a provider; use one of {', '.join(PROVIDERS)}")
    return name


def check_local(local_config: LocalControlPlaneConfig | None = None) -> None:
    config = local_config or LocalControlPlaneConfig()
    missing = missing_binaries(config.bin_dir)
    if missing:
        raise ProviderUnavailable(
            f"{ENV}=local needs {', '.join(missing)} in {config.bin_dir}: run `make tools`"
        )
    if shutil.which("openssl") is None:
        raise ProviderUnavailable(f"{ENV}=local needs the openssl CLI to create certificates; it is not on PATH")


def check_kind() -> None:
    if shutil.which("docker") is None:
        raise ProviderUnavailable(f"{ENV}=kind needs the docker CLI; it is not on PATH")
    try:
        info = subprocess.run(
            ["docker", "info", "--format", "{{.ServerVersion}}"],
            capture_output=True, text=True, timeout=20, check=False,
        )
        engine_problem = info.stderr.strip() if info.returncode != 0 else ""
    except subprocess.TimeoutExpired:
        engine_problem = "`docker info` did not answer within 20 s"
    if engine_problem:
        first_line = engine_problem.splitlines()[0]
        raise ProviderUnavailable(f"{ENV}=kind needs a running docker engine; `docker info` failed: {first_line}")
    if shutil.which("kind") is None:
        raise ProviderUnavailable(f"{ENV}=kind needs the kind CLI; it is not on PATH")


def existing_kubeconfig() -> Path:
    candidates = [Path(p) for p in os.environ.get("KUBECONFIG", "").split(os.pathsep) if p]
    candidates.append(Path.home() / ".kube" / "config")
    for path in candidates:
        if path.is_file():
            return path
    raise ProviderUnavailable(
        f"{ENV}=existing needs a kubeconfig; none at {', '.join(str(p) for p in candidates)}"
    )


@contextmanager
def kind_cluster(config_yaml: str, *, name: str | None = None, image: str | None = None) -> Iterator[Cluster]:
    """A throwaway kind cluster made from `config_yaml`, deleted afterwards."""
    check_kind()
    cluster_name = name or f"ingress-nginx-{uuid.uuid4().hex[:6]}"
    workdir = Path(tempfile.mkdtemp(prefix="kind-"))
    config_path = workdir / "kind.yaml"
    config_path.write_text(config_yaml)
    kubeconfig = workdir / "kubeconfig"
    command = ["kind", "create", "cluster", "--name", cluster_name, "--config", str(config_path),
               "--kubeconfig", str(kubeconfig), "--wait", "120s"]
    if image:
        command += ["--image", image]
    try:
        subprocess.run(command, check=True)
        yield Cluster("kind", kubeconfig, name=cluster_name)
    finally:
        subprocess.run(["kind", "delete", "cluster", "--name", cluster_name], check=False)
        shutil.rmtree(workdir, ignore_errors=True)


def kind_config(http_port: int | None = None, https_port: int | None = None) -> str:
    """A kind cluster of an `ingress-ready` control-plane node and one worker.

    With ports, the node's 80/443 are mapped to those host ports, so requests
    from the host reach a hostNetwork controller on the node.
    """
    mappings = [(container, host) for container, host in ((80, http_port), (443, https_port)) if host]
    lines = [
        "kind: Cluster",
        "apiVersion: kind.x-k8s.io/v1alpha4",
        "nodes:",
        "- role: control-plane",
        "  labels:",
        '    ingress-ready: "true"',
    ]
    if mappings:
        lines.append("  extraPortMappings:")
        lines += [f"  - {{containerPort: {c}, hostPort: {h}, protocol: TCP}}" for c, h in mappings]
    lines.append("- role: worker")
    return "\n".join(lines) + "\n"


@contextmanager
def open_cluster(local_config: LocalControlPlaneConfig | None = None) -> Iterator[Cluster]:
    """The cluster of the selected provider for as long as the `with` block runs."""
    provider = selected_provider()
    if provider == "local":
        check_local(local_config)
        with LocalControlPlane(local_config or LocalControlPlaneConfig()) as plane:
            yield Cluster("local", plane.kubeconfig, plane.nodes, plane.startup_seconds)
    elif provider == "kind":
        with kind_cluster(kind_config()) as cluster:
            yield cluster
    else:
        yield Cluster("existing", existing_kubeconfig())
