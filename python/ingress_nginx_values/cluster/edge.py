"""The local control plane with a real node: what the e2e tier, the demo and the bench run on.

One real node named `edge`, labelled ingress-ready=true, runs real containers;
a few kwok nodes (names starting with `simulated-`) stand beside it for placement,
running nothing. The API server listens on the host side of the node's link, the
only local address the node's namespace can reach.
"""
from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from .kwok import NodeSpec, Taint
from .local import LocalControlPlane, LocalControlPlaneConfig, missing_binaries
from .node import NodeTraces, RealNode, RealNodeConfig, missing_node_pieces, remove_node
from .node_network import NodeNetwork, NodeNetworkConfig, remove_network
from .processes import stop_group

# Not ingress-ready, and tainted: a pod lands on a simulated node (where it would be
# reported Running without running) only when it asks to, by tolerating the taint.
SIMULATED_TAINT = Taint("ingress-nginx-chart.local/simulated")
SIMULATED_NODES = tuple(NodeSpec(f"simulated-worker-{n}", {}, (SIMULATED_TAINT,)) for n in (1, 2))


@dataclass(frozen=True)
class EdgeCluster:
    plane: LocalControlPlane
    node: RealNode
    network: NodeNetwork

    @property
    def kubeconfig(self) -> Path:
        return self.plane.kubeconfig

    @property
    def ingress_address(self) -> str:
        """Where this machine reaches the real node's ports (80 and 443 of a hostNetwork controller)."""
        return self.network.config.node_ip

    def node_command(self) -> list[str]:
        """Prefix that runs a command inside the node's network namespace."""
        return ["ip", "netns", "exec", self.network.namespace]

    def leftovers(self) -> list[str]:
        return self.node.leftovers() + self.network.leftovers()


def missing_edge_pieces(plane_config: LocalControlPlaneConfig | None = None) -> list[str]:
    config = plane_config or LocalControlPlaneConfig()
    missing = [f"{config.bin_dir / name} (run `make tools`)" for name in missing_binaries(config.bin_dir)]
    return missing + missing_node_pieces(config.bin_dir)


@contextmanager
def edge_cluster(
    *,
    node_config: RealNodeConfig | None = None,
    network_config: NodeNetworkConfig | None = None,
    simulated_nodes: tuple[NodeSpec, ...] = SIMULATED_NODES,
    keep_state: Path | None = None,
) -> Iterator[EdgeCluster]:
    """Starts network, control plane and node, and removes all three afterwards, in reverse.

    With keep_state, a `with` block that ends without an error leaves everything
    running and writes to that file what stop_kept_edge() needs to remove it later.
    """
    with ExitStack() as stack:
        network = stack.enter_context(NodeNetwork(network_config or NodeNetworkConfig()))
        plane_config = replace(LocalControlPlaneConfig(), bind_address=network.config.host_ip,
                               service_cidr=network.config.service_cidr, nodes=simulated_nodes)
        plane = stack.enter_context(LocalControlPlane(plane_config))
        node = stack.enter_context(RealNode(plane, network, node_config or RealNodeConfig()))
        edge = EdgeCluster(plane, node, network)
        yield edge
        if keep_state is not None:
            _save(edge, keep_state)
            stack.pop_all()


def _save(edge: EdgeCluster, path: Path) -> None:
    assert edge.node.traces is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "node": edge.node.traces.to_json(),
        "plane": {"workdir": str(edge.plane.workdir), "processes": list(edge.plane.process_ids().items())},
        "network": edge.network.undo_commands(),
    }, indent=2))


def stop_kept_edge(path: Path) -> None:
    """Removes what edge_cluster(keep_state=path) left running: node, control plane, network."""
    state = json.loads(path.read_text())
    remove_node(NodeTraces.from_json(state["node"]))
    # Reverse start order: the API server waits for etcd while it shuts down.
    for _, pgid in reversed(state["plane"]["processes"]):
        stop_group(int(pgid))
    shutil.rmtree(state["plane"]["workdir"], ignore_errors=True)
    remove_network(state["network"])
    path.unlink()
