"""Semantic rules: combinations the schema accepts but that break at install or run time.

What the chart itself refuses (its template `fail`s) is not repeated here:
chart_checks.py runs those through Helm, so there is one definition of each.

Each rule is one function over a release's values with the chart defaults applied
(`RuleContext.values`) that also knows which keys the user wrote
(`RuleContext.user`). A rule yields RuleFindings; lint.py ties them to files.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .findings import PathPart, Severity, dotted
from .values_loading import MergedValues

CHART_NAME = "ingress-nginx"
HOST_NET_DNS_POLICY = "ClusterFirstWithHostNet"
DEPRECATED_MASTER_KEY = "node-role.kubernetes.io/master"
CONTROL_PLANE_KEY = "node-role.kubernetes.io/control-plane"


@dataclass(frozen=True)
class RuleFinding:
    path: tuple[PathPart, ...]
    severity: Severity
    rule: str
    message: str


@dataclass(frozen=True)
class RuleContext:
    """One release: effective values, the user's own values, the chart defaults."""

    values: Mapping[str, Any]
    user: MergedValues
    defaults: Mapping[str, Any]
    release: str

    def get(self, *path: PathPart, default: Any = None) -> Any:
        return lookup(self.values, path, default)

    def default(self, *path: PathPart) -> Any:
        return lookup(self.defaults, path, None)

    def changed(self, *path: PathPart) -> bool:
        """The user set this path to something other than the chart default."""
        return self.user.is_set(path) and self.get(*path) != self.default(*path)


def lookup(values: Any, path: Sequence[PathPart], default: Any = None) -> Any:
    node = values
    for part in path:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            node = node[part]
        elif isinstance(part, str) and isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            return default
    return default if node is None else node


def fullname(ctx: RuleContext) -> str:
    override = ctx.get("fullnameOverride", default="")
    if override:
        name = str(override)
    else:
        chart = str(ctx.get("nameOverride", default="") or CHART_NAME)
        name = ctx.release if chart in ctx.release else f"{ctx.release}-{chart}"
    return name[:63].rstrip("-")


def election_id(ctx: RuleContext) -> str:
    return str(ctx.get("controller", "electionID", default="") or f"{fullname(ctx)}-leader")


def uses_host_ports(ctx: RuleContext) -> bool:
    return bool(ctx.get("controller", "hostNetwork")) or bool(ctx.get("controller", "hostPort", "enabled"))


def is_deployment(ctx: RuleContext) -> bool:
    return ctx.get("controller", "kind", default="Deployment") == "Deployment"


def webhooks_enabled(ctx: RuleContext) -> bool:
    return bool(ctx.get("controller", "admissionWebhooks", "enabled"))


# --- rules -----------------------------------------------------------------

def host_network_dns_policy(ctx: RuleContext) -> Iterator[RuleFinding]:
    # Only the host network needs it: a hostPort pod keeps its own network
    # namespace, where the default ClusterFirst already resolves cluster names.
    policy = ctx.get("controller", "dnsPolicy", default="ClusterFirst")
    if ctx.get("controller", "hostNetwork") and policy != HOST_NET_DNS_POLICY:
        yield RuleFinding(
            ("controller", "dnsPolicy"),
            "warning",
            "host-network-dns-policy",
            f"controller.hostNetwork is true but controller.dnsPolicy is {policy!r}: on the host network "
            f"that policy uses the node's resolv.conf, so the controller cannot resolve cluster Service "
            f"names. Set controller.dnsPolicy: {HOST_NET_DNS_POLICY}.",
        )


def publish_service_without_service(ctx: RuleContext) -> Iterator[RuleFinding]:
    controller = ("controller",)
    if not ctx.get(*controller, "publishService", "enabled"):
        return
    if ctx.get(*controller, "publishService", "pathOverride"):
        return
    service_on = ctx.get(*controller, "service", "enabled")
    if not service_on:
        yield RuleFinding(
            ("controller", "publishService", "enabled"),
            "warning",
            "publish-service-without-service",
            "controller.publishService.enabled is true but controller.service.enabled is false: there is no "
            "Service whose address could be published, so the setting does nothing and Ingress status gets "
            "the nodes' addresses. Set controller.publishService.enabled: false, or point "
            "controller.publishService.pathOverride at a Service that exists.",
        )


def snippet_annotations_risk_level(ctx: RuleContext) -> Iterator[RuleFinding]:
    allowed = ctx.get("controller", "allowSnippetAnnotations")
    # The chart reads a quoted "false" as false (ingress-nginx.values.isTrue).
    if not allowed or (isinstance(allowed, str) and allowed.strip().lower() != "true"):
        return
    level = ctx.get("controller", "config", "annotations-risk-level")
    if level != "Critical":
        current = f"is {level!r}" if level is not None else "is not set (the controller's default is High)"
        yield RuleFinding(
            ("controller", "config", "annotations-risk-level"),
            "warning",
            "snippet-annotations-risk-level",
            f"controller.allowSnippetAnnotations is true but controller.config.annotations-risk-level {current}: "
            "snippet annotations are rated Critical, so the controller still rejects every Ingress that uses "
            "them. Set controller.config.annotations-risk-level: Critical (accepting the risk), or set "
            "controller.allowSnippetAnnotations: false.",
        )


_SCHEDULED_COMPONENTS: tuple[tuple[PathPart, ...], ...] = (
    ("controller",),
    ("defaultBackend",),
    ("controller", "admissionWebhooks", "patch"),
)


def deprecated_master_node_role(ctx: RuleContext) -> Iterator[RuleFinding]:
    for component in _SCHEDULED_COMPONENTS:
        tolerations = ctx.get(*component, "tolerations", default=[])
        for index, toleration in enumerate(tolerations if isinstance(tolerations, list) else []):
            if isinstance(toleration, Mapping) and toleration.get("key") == DEPRECATED_MASTER_KEY:
                path = (*component, "tolerations", index, "key")
                yield RuleFinding(
                    path,
                    "warning",
                    "deprecated-master-node-role",
                    f"{dotted(path)} tolerates the {DEPRECATED_MASTER_KEY} taint, which Kubernetes no longer "
                    f"sets since 1.25: the pods will not tolerate control-plane nodes. Use the key "
                    f"{CONTROL_PLANE_KEY}.",
                )
        selector = ctx.get(*component, "nodeSelector", default={})
        if isinstance(selector, Mapping) and DEPRECATED_MASTER_KEY in selector:
            path = (*component, "nodeSelector", DEPRECATED_MASTER_KEY)
            yield RuleFinding(
                path,
                "warning",
                "deprecated-master-node-role",
                f"{dotted(path)} selects nodes by the {DEPRECATED_MASTER_KEY} label, which Kubernetes no longer "
                f"sets since 1.25: the pods stay Pending. Select {CONTROL_PLANE_KEY} instead.",
            )


def _replicas(ctx: RuleContext, component: str) -> int:
    if ctx.get(component, "autoscaling", "enabled"):
        return _as_int(ctx.get(component, "autoscaling", "minReplicas", default=1))
    if component == "controller" and ctx.get(component, "keda", "enabled"):
        return _as_int(ctx.get(component, "keda", "minReplicas", default=1))
    return _as_int(ctx.get(component, "replicaCount", default=1))


def _as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _pods_of(amount: Any, replicas: int, *, round_up: bool) -> int | None:
    """An int-or-percent PDB/rolling-update amount as a pod count."""
    if isinstance(amount, bool):
        return None
    if isinstance(amount, int):
        return amount
    if isinstance(amount, str) and amount.endswith("%"):
        try:
            share = float(amount[:-1]) * replicas / 100
        except ValueError:
            return None
        return math.ceil(share) if round_up else math.floor(share)
    if isinstance(amount, str) and amount.isdigit():
        return int(amount)
    return None


def pdb_blocks_drain(ctx: RuleContext) -> Iterator[RuleFinding]:
    for component in ("controller", "defaultBackend"):
        if component == "controller" and not is_deployment(ctx):
            continue
        if component == "defaultBackend" and not ctx.get("defaultBackend", "enabled"):
            continue
        replicas = _replicas(ctx, component)
        if replicas <= 1:
            continue  # no PodDisruptionBudget is rendered for a single pod
        max_unavailable = ctx.get(component, "maxUnavailable", default="")
        if max_unavailable != "":
            if _pods_of(max_unavailable, replicas, round_up=False) == 0:
                yield RuleFinding(
                    (component, "maxUnavailable"),
                    "warning",
                    "pdb-blocks-drain",
                    f"{component}.maxUnavailable is {max_unavailable!r}: the PodDisruptionBudget allows no "
                    f"pod to be evicted, so every node drain hangs. Set {component}.maxUnavailable: 1.",
                )
            continue
        min_available = ctx.get(component, "minAvailable")
        needed = _pods_of(min_available, replicas, round_up=True)
        if needed is not None and needed >= replicas:
            yield RuleFinding(
                (component, "minAvailable"),
                "warning",
                "pdb-blocks-drain",
                f"{component}.minAvailable is {min_available!r} with {replicas} replicas: the "
                f"PodDisruptionBudget allows no pod to be evicted, so every node drain hangs. Set "
                f"{component}.minAvailable to at most {replicas - 1}, or use {component}.maxUnavailable: 1.",
            )


def host_port_rolling_update(ctx: RuleContext) -> Iterator[RuleFinding]:
    if not is_deployment(ctx) or not uses_host_ports(ctx):
        return
    strategy = ctx.get("controller", "updateStrategy", default={}) or {}
    if strategy.get("type") == "Recreate":
        return
    surge = lookup(strategy, ("rollingUpdate", "maxSurge"), "25%")
    replicas = max(_replicas(ctx, "controller"), 1)
    if _pods_of(surge, replicas, round_up=True) == 0:
        return
    how = "the default rolling update" if not strategy else f"controller.updateStrategy (maxSurge {surge!r})"
    yield RuleFinding(
        ("controller", "updateStrategy"),
        "warning",
        "host-port-rolling-update",
        f"the controller Deployment binds host ports (controller.hostNetwork or controller.hostPort.enabled) "
        f"and {how} starts a new pod before an old one stops: the new pod cannot bind the same ports on a "
        "node that already runs one, so the rollout can hang. Set controller.updateStrategy: "
        "{type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}, or use controller.kind: "
        "DaemonSet.",
    )


_IMAGES: tuple[tuple[tuple[PathPart, ...], str], ...] = (
    (("controller", "image"), "controller"),
    (("controller", "admissionWebhooks", "patch", "image"), "certgen"),
)


def image_override_keeps_digest(ctx: RuleContext) -> Iterator[RuleFinding]:
    for image, _ in _IMAGES:
        if image[-2] == "patch" and not (webhooks_enabled(ctx) and ctx.get(*image[:-1], "enabled")):
            continue
        digest_key = "digestChroot" if image[0] == "controller" and len(image) == 2 and ctx.get(*image, "chroot") else "digest"
        digest = ctx.get(*image, digest_key)
        if not digest or digest != ctx.default(*image, digest_key):
            continue
        moved = [dotted((*image, key)) for key in ("repository", "image", "tag") if ctx.changed(*image, key)]
        if not ctx.get(*image, "repository") and _registry(ctx, image, ctx.get) != _registry(ctx, image, _default_of(ctx)):
            moved.append(dotted((*image, "registry")) if ctx.get(*image, "registry") else "global.image.registry")
        if not moved:
            continue
        path = (*image, digest_key)
        yield RuleFinding(
            path,
            "warning",
            "image-override-keeps-digest",
            f"{', '.join(moved)} changed the image but {dotted(path)} still pins the upstream digest: the "
            "digest wins over the tag, so the pull fails unless the new location holds that exact upstream "
            f"image. Set {dotted(path)}: \"\" to pull by tag, or set it to the digest of the image you mean.",
        )


def _default_of(ctx: RuleContext) -> Callable[..., Any]:
    return lambda *path: ctx.default(*path)


def _registry(ctx: RuleContext, image: tuple[PathPart, ...], read: Callable[..., Any]) -> Any:
    """The registry an image is pulled from: its own, else global.image.registry."""
    return read(*image, "registry") or read("global", "image", "registry")


def monitoring_without_metrics(ctx: RuleContext) -> Iterator[RuleFinding]:
    if ctx.get("controller", "metrics", "enabled"):
        return
    for key, kind in (("serviceMonitor", "ServiceMonitor"), ("prometheusRule", "PrometheusRule")):
        if ctx.get("controller", "metrics", key, "enabled"):
            yield RuleFinding(
                ("controller", "metrics", key, "enabled"),
                "warning",
                "monitoring-without-metrics",
                f"controller.metrics.{key}.enabled is true but controller.metrics.enabled is false: no "
                f"{kind} is rendered and the controller exports no metrics. Set controller.metrics.enabled: "
                "true.",
            )


def webhook_without_certificates(ctx: RuleContext) -> Iterator[RuleFinding]:
    hooks = ("controller", "admissionWebhooks")
    if not webhooks_enabled(ctx):
        return
    if ctx.get(*hooks, "patch", "enabled") or ctx.get(*hooks, "certManager", "enabled"):
        return
    yield RuleFinding(
        (*hooks, "patch", "enabled"),
        "warning",
        "webhook-without-certificates",
        "controller.admissionWebhooks.enabled is true but neither controller.admissionWebhooks.patch.enabled "
        "nor controller.admissionWebhooks.certManager.enabled is: nothing creates the webhook's certificate "
        "Secret, so the controller pod cannot start. Set controller.admissionWebhooks.patch.enabled: true, "
        "or controller.admissionWebhooks.certManager.enabled: true, or disable the webhook (or create that Secret "
        "yourself).",
    )


@dataclass(frozen=True)
class _ChartFlag:
    flag: str
    applies: Callable[[RuleContext], bool]
    instead: str


def _has_entries(key: str) -> Callable[[RuleContext], bool]:
    return lambda ctx: bool(ctx.get(key))


_CHART_FLAGS: tuple[_ChartFlag, ...] = (
    _ChartFlag(
        "publish-service",
        lambda ctx: bool(ctx.get("controller", "publishService", "enabled"))
        and bool(ctx.get("controller", "service", "enabled")),
        "controller.publishService.pathOverride",
    ),
    _ChartFlag("election-id", lambda ctx: True, "controller.electionID"),
    _ChartFlag("controller-class", lambda ctx: True, "controller.ingressClassResource.controllerValue"),
    _ChartFlag("ingress-class", lambda ctx: bool(ctx.get("controller", "ingressClass")), "controller.ingressClass"),
    _ChartFlag("configmap", lambda ctx: True, "controller.config (and controller.configMapNamespace)"),
    _ChartFlag("tcp-services-configmap", _has_entries("tcp"), "tcp (and controller.tcp.configMapNamespace)"),
    _ChartFlag("udp-services-configmap", _has_entries("udp"), "udp (and controller.udp.configMapNamespace)"),
    _ChartFlag(
        "watch-namespace", lambda ctx: bool(ctx.get("controller", "scope", "enabled")), "controller.scope.namespace"
    ),
    _ChartFlag(
        "watch-namespace-selector",
        lambda ctx: not ctx.get("controller", "scope", "enabled")
        and bool(ctx.get("controller", "scope", "namespaceSelector")),
        "controller.scope.namespaceSelector",
    ),
    _ChartFlag(
        "default-backend-service", lambda ctx: bool(ctx.get("defaultBackend", "enabled")), "defaultBackend.*"
    ),
    _ChartFlag(
        "report-node-internal-ip-address",
        lambda ctx: bool(ctx.get("controller", "reportNodeInternalIp")) and bool(ctx.get("controller", "hostNetwork")),
        "controller.reportNodeInternalIp",
    ),
    _ChartFlag("validating-webhook", webhooks_enabled, "controller.admissionWebhooks.port"),
    _ChartFlag("validating-webhook-certificate", webhooks_enabled, "controller.admissionWebhooks.certificate"),
    _ChartFlag("validating-webhook-key", webhooks_enabled, "controller.admissionWebhooks.key"),
    _ChartFlag(
        "enable-metrics", lambda ctx: bool(ctx.get("controller", "metrics", "enabled")), "controller.metrics.enabled"
    ),
    _ChartFlag(
        "maxmind-license-key", lambda ctx: bool(ctx.get("controller", "maxmindLicenseKey")),
        "controller.maxmindLicenseKey",
    ),
    _ChartFlag(
        "healthz-host", lambda ctx: bool(ctx.get("controller", "healthCheckHost")), "controller.healthCheckHost"
    ),
    _ChartFlag(
        "health-check-path",
        lambda ctx: ctx.get("controller", "healthCheckPath", default="/healthz") != "/healthz",
        "controller.healthCheckPath",
    ),
    _ChartFlag(
        "enable-annotation-validation",
        lambda ctx: ctx.get("controller", "enableAnnotationValidations") is False,
        "controller.enableAnnotationValidations",
    ),
    _ChartFlag(
        "ingress-class-by-name", lambda ctx: bool(ctx.get("controller", "ingressClassByName")),
        "controller.ingressClassByName",
    ),
    _ChartFlag(
        "watch-ingress-without-class", lambda ctx: bool(ctx.get("controller", "watchIngressWithoutClass")),
        "controller.watchIngressWithoutClass",
    ),
    _ChartFlag(
        "enable-topology-aware-routing", lambda ctx: bool(ctx.get("controller", "enableTopologyAwareRouting")),
        "controller.enableTopologyAwareRouting",
    ),
    _ChartFlag(
        "disable-leader-election", lambda ctx: bool(ctx.get("controller", "disableLeaderElection")),
        "controller.disableLeaderElection",
    ),
    _ChartFlag("election-ttl", lambda ctx: bool(ctx.get("controller", "electionTTL")), "controller.electionTTL"),
)


def extra_args_duplicate_flag(ctx: RuleContext) -> Iterator[RuleFinding]:
    extra = ctx.get("controller", "extraArgs", default={})
    if not isinstance(extra, Mapping):
        return
    flags = {item.flag: item for item in _CHART_FLAGS}
    for key in extra:
        known = flags.get(str(key).lstrip("-"))
        if known is None or not known.applies(ctx):
            continue
        yield RuleFinding(
            ("controller", "extraArgs", key),
            "warning",
            "extra-args-duplicate-flag",
            f"controller.extraArgs.{key} repeats --{known.flag}, which the chart already passes from its "
            f"values: the controller gets the flag twice and only the last one counts, while the objects the "
            f"chart derives from the value do not follow. Remove it from controller.extraArgs and set "
            f"{known.instead} instead.",
        )


def load_balancer_with_host_network(ctx: RuleContext) -> Iterator[RuleFinding]:
    service = ("controller", "service")
    if not ctx.get("controller", "hostNetwork") or not ctx.get(*service, "enabled"):
        return
    if not ctx.get(*service, "external", "enabled", default=True):
        return
    if ctx.get(*service, "type") != "LoadBalancer":
        return
    yield RuleFinding(
        (*service, "type"),
        "warning",
        "load-balancer-with-host-network",
        "controller.service.type is LoadBalancer while controller.hostNetwork is true: the controller already "
        "listens on ports 80/443 of its nodes, and load balancers that are themselves implemented with host "
        "ports (such as k3s ServiceLB) want the same ports on the same nodes. Set controller.service.enabled: "
        "false (or controller.service.type: ClusterIP), or turn controller.hostNetwork off.",
    )


# Kubernetes' default --service-node-port-range. The schema accepts any port, as
# upstream does, because clusters may widen the range; the linter only warns.
DEFAULT_NODE_PORT_RANGE = range(30000, 32768)


def _fixed_node_ports(ctx: RuleContext) -> Iterator[tuple[tuple[PathPart, ...], Any]]:
    for service in (("controller", "service"), ("controller", "service", "internal")):
        node_ports = ctx.get(*service, "nodePorts", default={})
        if not isinstance(node_ports, Mapping):
            continue
        for name in ("http", "https"):
            yield (*service, "nodePorts", name), node_ports.get(name)
        for protocol in ("tcp", "udp"):
            entries = node_ports.get(protocol)
            if isinstance(entries, Mapping):
                for port, value in entries.items():
                    yield (*service, "nodePorts", protocol, str(port)), value
    yield ("controller", "metrics", "service", "nodePort"), ctx.get("controller", "metrics", "service", "nodePort")


def node_port_outside_default_range(ctx: RuleContext) -> Iterator[RuleFinding]:
    for path, value in _fixed_node_ports(ctx):
        try:
            port = int(str(value))
        except ValueError:
            continue
        if port and port not in DEFAULT_NODE_PORT_RANGE:
            yield RuleFinding(
                path,
                "warning",
                "node-port-outside-default-range",
                f"{dotted(path)} is {port}, outside Kubernetes' default node port range 30000-32767: the API "
                "server refuses the Service unless its --service-node-port-range includes the port. Keep the "
                "port if your cluster widened the range; otherwise pick one from 30000-32767.",
            )


def host_network_exposes_internal_ports(ctx: RuleContext) -> Iterator[RuleFinding]:
    # NetworkPolicies do not apply to host-network pods on most network plugins,
    # so the chart cannot close these ports itself.
    if not ctx.get("controller", "hostNetwork"):
        return
    ports = [f"{ctx.get('controller', 'metrics', 'port', default=10254)} (metrics and health checks)"]
    if webhooks_enabled(ctx):
        ports.append(f"{ctx.get('controller', 'admissionWebhooks', 'port', default=8443)} (the admission webhook)")
    yield RuleFinding(
        ("controller", "hostNetwork"),
        "warning",
        "host-network-exposes-internal-ports",
        f"controller.hostNetwork is true, so ports {' and '.join(ports)} listen on every address of the node, "
        "where NetworkPolicies do not reach: anyone who can reach the nodes can call them. Block those ports "
        "on the nodes' outside interfaces (firewall or security group), or turn controller.hostNetwork off and "
        "use controller.hostPort.enabled, which exposes only the traffic ports.",
    )


Rule = Callable[[RuleContext], Iterator[RuleFinding]]

RULES: tuple[Rule, ...] = (
    host_network_dns_policy,
    publish_service_without_service,
    snippet_annotations_risk_level,
    deprecated_master_node_role,
    pdb_blocks_drain,
    host_port_rolling_update,
    image_override_keeps_digest,
    monitoring_without_metrics,
    webhook_without_certificates,
    extra_args_duplicate_flag,
    load_balancer_with_host_network,
    node_port_outside_default_range,
    host_network_exposes_internal_ports,
)


# --- rules across releases ---------------------------------------------------

@dataclass(frozen=True)
class _Identity:
    path: tuple[PathPart, ...]
    what: str


_IDENTITIES: tuple[_Identity, ...] = (
    _Identity(("controller", "ingressClassResource", "name"), "IngressClass name"),
    _Identity(("controller", "ingressClassResource", "controllerValue"), "controller class"),
    _Identity(("controller", "ingressClass"), "--ingress-class"),
    _Identity(("controller", "electionID"), "leader election ID"),
)


def _identity_value(ctx: RuleContext, identity: _Identity) -> str | None:
    """The value two controllers must not share, or None when it does not apply."""
    if identity.path[-1] == "electionID":
        return election_id(ctx)
    if identity.path[-1] == "name" and not ctx.get("controller", "ingressClassResource", "enabled"):
        return None  # this release does not create the IngressClass, so the name cannot clash
    value = ctx.get(*identity.path)
    return str(value) if value else None


def second_controller_conflict(contexts: Sequence[RuleContext]) -> Iterator[tuple[int, RuleFinding]]:
    """(index of the release, finding) for controllers that would fight over one identity."""
    if len(contexts) == 1:
        yield from ((0, found) for found in _conflicts_with_defaults(contexts[0]))
        return
    for later in range(1, len(contexts)):
        for earlier in range(later):
            for identity in _IDENTITIES:
                mine = _identity_value(contexts[later], identity)
                if mine is None or mine != _identity_value(contexts[earlier], identity):
                    continue
                other = contexts[earlier]
                yield later, RuleFinding(
                    identity.path,
                    "error",
                    "second-controller-conflict",
                    f"release {contexts[later].release!r} and release {other.release!r} share the "
                    f"{identity.what} {mine!r} ({dotted(identity.path)}): two controllers would claim the same "
                    f"Ingresses, objects or leader lease. Give release {contexts[later].release!r} its own "
                    f"{dotted(identity.path)}.",
                )


def _conflicts_with_defaults(ctx: RuleContext) -> Iterator[RuleFinding]:
    # A file that renames one identity of the controller is meant to run beside
    # a default installation; any identity it left at the default is shared.
    # The election ID defaults to the release's own name, so only an explicit
    # one counts: `electionID: ""` (upstream's default values.yaml) is the default.
    checked = [item for item in _IDENTITIES if item.path[-1] != "electionID"]
    renamed = [item for item in checked if ctx.changed(*item.path)]
    own_election_id = ctx.user.is_set(("controller", "electionID")) and bool(ctx.get("controller", "electionID"))
    if not renamed and not own_election_id:
        return
    for identity in checked:
        if identity in renamed or _identity_value(ctx, identity) is None:
            continue
        value = ctx.get(*identity.path)
        yield RuleFinding(
            identity.path,
            "warning",
            "second-controller-conflict",
            f"this file sets up a second controller ({', '.join(dotted(item.path) for item in renamed) or 'controller.electionID'} "
            f"changed) but keeps the default {identity.what} {value!r}: it would claim the Ingresses or objects "
            f"of a default ingress-nginx release. Set {dotted(identity.path)} to a value of its own.",
        )
