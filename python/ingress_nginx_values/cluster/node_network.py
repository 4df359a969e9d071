"""The real node's network: a network namespace joined to the host by one veth pair.

Like a kind node's container, the node gets a network of its own: the kubelet,
kube-proxy and every pod see only this namespace, so their iptables chains and
per-namespace sysctls vanish with it. The host keeps routes to the node's pod and
Service ranges (the API server calls webhooks at their Service, the tests reach
pods) and two FORWARD rules that drop anything the node would send beyond this machine.
"""
from __future__ import annotations

import ipaddress
import shutil
import subprocess
import uuid
from dataclasses import dataclass, field
from types import TracebackType


class NetworkSetupFailed(RuntimeError):
    """An `ip` or `iptables` command failed; the message carries its output."""


@dataclass(frozen=True)
class NodeNetworkConfig:
    # A /30 of two addresses: the host side (where the API server listens) and the node.
    link_cidr: str = "172.30.0.0/30"
    # Addresses host-local gives pods on the node's bridge.
    pod_cidr: str = "10.245.0.0/24"
    # The control plane's Service range: kube-proxy's rules for it exist only inside
    # the node, so the API server (which calls webhooks at their Service) goes there.
    service_cidr: str = "10.96.0.0/16"

    @property
    def host_ip(self) -> str:
        return str(ipaddress.ip_network(self.link_cidr)[1])

    @property
    def node_ip(self) -> str:
        return str(ipaddress.ip_network(self.link_cidr)[2])

    @property
    def prefix(self) -> int:
        return ipaddress.ip_network(self.link_cidr).prefixlen


def _run(args: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise NetworkSetupFailed(f"`{' '.join(args)}` failed: {result.stderr.strip()}")
    return result


def guard_rules(host_veth: str) -> list[list[str]]:
    """The FORWARD rules (iptables arguments after -I/-D FORWARD) that keep node traffic on this machine."""
    return [["-i", host_veth, "-j", "DROP"], ["-o", host_veth, "-j", "DROP"]]


@dataclass
class NodeNetwork:
    """`with NodeNetwork() as net:` gives `net.namespace`, `net.config.host_ip`, `net.config.node_ip`."""

    config: NodeNetworkConfig = field(default_factory=NodeNetworkConfig)
    suffix: str = field(default_factory=lambda: uuid.uuid4().hex[:6])
    _undo: list[list[str]] = field(init=False, default_factory=list)

    @property
    def namespace(self) -> str:
        return f"inx-node-{self.suffix}"

    @property
    def host_veth(self) -> str:
        # Interface names are at most 15 characters.
        return f"inx{self.suffix}h"

    def __enter__(self) -> NodeNetwork:
        try:
            self.create()
        except BaseException:
            self.delete()
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.delete()

    def create(self) -> None:
        for tool in ("ip", "iptables"):
            if shutil.which(tool) is None:
                raise NetworkSetupFailed(f"the real node needs `{tool}` on PATH (run `make tools` as root)")
        taken = _run(["ip", "-o", "-4", "addr", "show", "to", self.config.link_cidr]).stdout.strip()
        if taken:
            raise NetworkSetupFailed(
                f"{self.config.link_cidr} is already in use on this machine ({taken.split()[1]}): "
                "another real node is running; stop it first (`make demo-stop`)"
            )
        netns_exec = ["ip", "netns", "exec", self.namespace]
        cfg = self.config
        # Each undo step is recorded before its change so a half-made network is removed too.
        self._undo.append(["ip", "netns", "delete", self.namespace])
        _run(["ip", "netns", "add", self.namespace])
        # Deleted explicitly: with the namespace alone it goes only when the kernel gets round to it.
        self._undo.append(["ip", "link", "delete", self.host_veth])
        _run(["ip", "link", "add", self.host_veth, "type", "veth", "peer", "name", "eth0",
              "netns", self.namespace])
        for rule in guard_rules(self.host_veth):
            self._undo.append(["iptables", "-D", "FORWARD", *rule])
            _run(["iptables", "-I", "FORWARD", *rule])
        _run(["ip", "addr", "add", f"{cfg.host_ip}/{cfg.prefix}", "dev", self.host_veth])
        _run(["ip", "link", "set", self.host_veth, "up"])
        _run([*netns_exec, "ip", "addr", "add", f"{cfg.node_ip}/{cfg.prefix}", "dev", "eth0"])
        _run([*netns_exec, "ip", "link", "set", "eth0", "up"])
        _run([*netns_exec, "ip", "link", "set", "lo", "up"])
        # The kubelet and kube-proxy want a default route to pick the node's address;
        # the host's FORWARD rules keep anything sent along it on this machine.
        _run([*netns_exec, "ip", "route", "add", "default", "via", cfg.host_ip])
        for cidr in (cfg.pod_cidr, cfg.service_cidr):
            _run(["ip", "route", "add", cidr, "via", cfg.node_ip, "dev", self.host_veth])

    def leftovers(self) -> list[str]:
        """What of this network is still on the host: empty after delete()."""
        found = []
        if self.namespace in _run(["ip", "netns", "list"], check=False).stdout.split():
            found.append(f"network namespace {self.namespace}")
        if _run(["ip", "link", "show", self.host_veth], check=False).returncode == 0:
            found.append(f"interface {self.host_veth}")
        routes = _run(["ip", "route", "show"], check=False).stdout
        found += [f"route to {cidr}" for cidr in (self.config.pod_cidr, self.config.service_cidr) if cidr in routes]
        rules = _run(["iptables", "-S"], check=False).stdout.splitlines()
        found += [f"iptables rule {rule}" for rule in rules if self.host_veth in rule or "KUBE-" in rule]
        return found

    def undo_commands(self) -> list[list[str]]:
        """The commands delete() would run, in order: a later process can remove a kept network."""
        return list(reversed(self._undo))

    def delete(self) -> None:
        """Undoes every recorded step; the veth, its route and everything inside go with the namespace."""
        while self._undo:
            _run(self._undo.pop(), check=False)


def remove_network(undo_commands: list[list[str]]) -> None:
    for command in undo_commands:
        _run(command, check=False)
