"""What the e2e tests share besides fixtures: the cluster they run on and the no-skip rule of CI."""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pytest

from ingress_nginx_values.cluster.edge import missing_edge_pieces
from ingress_nginx_values.cluster.images import missing_dataplane

# Where the edge node's HTTP and HTTPS ports are published (kind maps them on the host).
HTTP_PORT = int(os.environ.get("E2E_HTTP_PORT", "80"))
HTTPS_PORT = int(os.environ.get("E2E_HTTPS_PORT", "443"))


def missing_for_local_node() -> list[str]:
    """What the local provider lacks, asked before any node starts: the node's own
    pieces, and the data plane's images that the tier's controller runs from.

    Without the images only the node's own checks could run, and a node started for
    them alone would still hold this machine's fixed node addresses; so the whole
    local tier skips naming what is missing (a failure under CI=true).
    """
    return missing_edge_pieces() + missing_dataplane()


def unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true, so this may not skip: {reason}", pytrace=False)
    pytest.skip(reason)


@dataclass(frozen=True)
class E2ECluster:
    provider: str
    kubeconfig: Path
    # The one ingress-ready node, where the controller must run.
    edge_node: str
    # Where this machine reaches the edge node's HTTP and HTTPS ports.
    ingress_address: str
    listens: Callable[[int], bool] = field(repr=False)
    # Runs a command inside the edge node's network (local provider only).
    node_command: tuple[str, ...] = ()
