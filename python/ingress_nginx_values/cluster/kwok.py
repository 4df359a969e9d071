"""Fake nodes: kwok plays the kubelet, so pods "run" without any container runtime.

kwok only changes objects through the stages given to it. The stages below make a
node Ready, keep it Ready, turn a scheduled pod Running and Ready, let Job pods
succeed (the chart's certgen hooks wait for that) and finish deleting pods.
"""
from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kubernetes import client
from kubernetes.client.exceptions import ApiException

# kwok manages only nodes carrying this annotation, so nodes made by anything
# else (a real kubelet of an `existing` cluster) are never touched.
MANAGED_ANNOTATION = "kwok.x-k8s.io/node"
MANAGED_VALUE = "fake"

CONTROL_PLANE_ROLE = "node-role.kubernetes.io/control-plane"

STAGES = """\
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: node-ready
spec:
  resourceRef: {apiGroup: v1, kind: Node}
  selector:
    matchExpressions:
    - {key: '.status.conditions.[] | select( .type == "Ready" ) | .status', operator: NotIn, values: ["True"]}
  next:
    statusTemplate: |
      {{ $now := Now }}
      conditions:
      {{ range NodeConditions }}
      - type: {{ .type | Quote }}
        status: {{ .status | Quote }}
        reason: {{ .reason | Quote }}
        message: {{ .message | Quote }}
        lastHeartbeatTime: {{ $now | Quote }}
        lastTransitionTime: {{ $now | Quote }}
      {{ end }}
      addresses:
      - {type: InternalIP, address: {{ NodeIP | Quote }}}
      - {type: Hostname, address: {{ .metadata.name | Quote }}}
      capacity: {cpu: "32", memory: 64Gi, pods: "110"}
      allocatable: {cpu: "32", memory: 64Gi, pods: "110"}
      nodeInfo:
        architecture: amd64
        operatingSystem: linux
        kubeletVersion: {{ printf "kwok-%s" Version | Quote }}
        kubeProxyVersion: {{ printf "kwok-%s" Version | Quote }}
        containerRuntimeVersion: {{ printf "kwok-%s" Version | Quote }}
        kernelVersion: ""
        osImage: ""
        machineID: ""
        bootID: ""
        systemUUID: ""
      phase: Running
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: node-heartbeat
spec:
  resourceRef: {apiGroup: v1, kind: Node}
  selector:
    matchExpressions:
    - {key: '.status.conditions.[] | select( .type == "Ready" ) | .status', operator: In, values: ["True"]}
  # The node lease (renewed by kwok) is what the node lifecycle controller
  # watches; refreshing the conditions now and then keeps `kubectl get nodes` honest.
  delay: {durationMilliseconds: 20000, jitterDurationMilliseconds: 25000}
  next:
    statusTemplate: |
      {{ $now := Now }}
      conditions:
      {{ range NodeConditions }}
      - type: {{ .type | Quote }}
        status: {{ .status | Quote }}
        reason: {{ .reason | Quote }}
        message: {{ .message | Quote }}
        lastHeartbeatTime: {{ $now | Quote }}
        lastTransitionTime: {{ $now | Quote }}
      {{ end }}
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-running
spec:
  resourceRef: {apiGroup: v1, kind: Pod}
  selector:
    matchExpressions:
    - {key: .metadata.deletionTimestamp, operator: DoesNotExist}
    - {key: .status.phase, operator: In, values: [Pending]}
  next:
    statusTemplate: |
      {{ $now := Now }}
      phase: Running
      startTime: {{ $now | Quote }}
      conditions:
      - {type: PodReadyToStartContainers, status: "True", lastTransitionTime: {{ $now | Quote }}}
      - {type: Initialized, status: "True", lastTransitionTime: {{ $now | Quote }}}
      - {type: ContainersReady, status: "True", lastTransitionTime: {{ $now | Quote }}}
      - {type: Ready, status: "True", lastTransitionTime: {{ $now | Quote }}}
      {{ range .spec.readinessGates }}
      - {type: {{ .conditionType | Quote }}, status: "True", lastTransitionTime: {{ $now | Quote }}}
      {{ end }}
      initContainerStatuses:
      {{ range .spec.initContainers }}
      - name: {{ .name | Quote }}
        image: {{ .image | Quote }}
        ready: true
        restartCount: 0
        state: {terminated: {exitCode: 0, reason: Completed, startedAt: {{ $now | Quote }}, finishedAt: {{ $now | Quote }}}}
      {{ end }}
      containerStatuses:
      {{ range .spec.containers }}
      - name: {{ .name | Quote }}
        image: {{ .image | Quote }}
        ready: true
        started: true
        restartCount: 0
        state: {running: {startedAt: {{ $now | Quote }}}}
      {{ end }}
      {{ with NodeIPsWith .spec.nodeName }}
      hostIP: {{ index . 0 | Quote }}
      hostIPs:
      {{ range . }}
      - ip: {{ . | Quote }}
      {{ end }}
      {{ end }}
      {{ with PodIPsWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) }}
      podIP: {{ index . 0 | Quote }}
      podIPs:
      {{ range . }}
      - ip: {{ . | Quote }}
      {{ end }}
      {{ end }}
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: job-pod-succeeded
spec:
  resourceRef: {apiGroup: v1, kind: Pod}
  selector:
    matchExpressions:
    - {key: .metadata.deletionTimestamp, operator: DoesNotExist}
    - {key: .status.phase, operator: In, values: [Running]}
    - {key: '.metadata.ownerReferences.[].kind', operator: In, values: [Job]}
  next:
    statusTemplate: |
      {{ $now := Now }}
      phase: Succeeded
      conditions:
      - {type: ContainersReady, status: "False", reason: PodCompleted, lastTransitionTime: {{ $now | Quote }}}
      - {type: Ready, status: "False", reason: PodCompleted, lastTransitionTime: {{ $now | Quote }}}
      containerStatuses:
      {{ range .spec.containers }}
      - name: {{ .name | Quote }}
        image: {{ .image | Quote }}
        ready: false
        started: false
        restartCount: 0
        state: {terminated: {exitCode: 0, reason: Completed, startedAt: {{ $now | Quote }}, finishedAt: {{ $now | Quote }}}}
      {{ end }}
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-gone
spec:
  resourceRef: {apiGroup: v1, kind: Pod}
  selector:
    matchExpressions:
    - {key: .metadata.deletionTimestamp, operator: Exists}
  next:
    delete: true
"""


@dataclass(frozen=True)
class Taint:
    key: str
    effect: str = "NoSchedule"
    value: str = ""


@dataclass(frozen=True)
class NodeSpec:
    name: str
    labels: Mapping[str, str] = field(default_factory=dict)
    taints: tuple[Taint, ...] = ()


def default_nodes() -> tuple[NodeSpec, ...]:
    """A small mixed cluster: a tainted control-plane edge node, one more edge node, two workers."""
    return (
        NodeSpec(
            "control-plane",
            {CONTROL_PLANE_ROLE: "", "ingress-ready": "true"},
            (Taint(CONTROL_PLANE_ROLE),),
        ),
        NodeSpec("edge-1", {"ingress-ready": "true"}),
        NodeSpec("worker-1"),
        NodeSpec("worker-2"),
    )


def _taint(taint: Taint) -> client.V1Taint:
    return client.V1Taint(key=taint.key, effect=taint.effect, value=taint.value or None)


@dataclass
class FakeNodes:
    """Adds, changes and removes kwok nodes through the API server."""

    api: client.CoreV1Api

    def add(self, spec: NodeSpec, *, wait: bool = True) -> None:
        labels = {
            "kubernetes.io/hostname": spec.name,
            "kubernetes.io/os": "linux",
            "kubernetes.io/arch": "amd64",
            "type": "kwok",
            **spec.labels,
        }
        node = client.V1Node(
            metadata=client.V1ObjectMeta(
                name=spec.name, labels=labels, annotations={MANAGED_ANNOTATION: MANAGED_VALUE}
            ),
            spec=client.V1NodeSpec(taints=[_taint(t) for t in spec.taints] or None),
        )
        self.api.create_node(node)
        if wait:
            self.wait_ready([spec.name])

    def add_all(self, specs: Iterable[NodeSpec]) -> None:
        names = []
        for spec in specs:
            self.add(spec, wait=False)
            names.append(spec.name)
        self.wait_ready(names)

    def label(self, name: str, labels: Mapping[str, str | None]) -> None:
        """Sets labels; a value of None removes the label."""
        self.api.patch_node(name, {"metadata": {"labels": dict(labels)}})

    def taint(self, name: str, taint: Taint) -> None:
        node = self.api.read_node(name)
        taints = [t for t in (node.spec.taints or []) if t.key != taint.key]
        self.api.patch_node(name, {"spec": {"taints": [*map(_as_dict, taints), _as_dict(_taint(taint))]}})

    def untaint(self, name: str, key: str) -> None:
        node = self.api.read_node(name)
        taints = [_as_dict(t) for t in (node.spec.taints or []) if t.key != key]
        self.api.patch_node(name, {"spec": {"taints": taints}})

    def remove(self, name: str) -> None:
        try:
            self.api.delete_node(name)
        except ApiException as error:
            if error.status != 404:
                raise

    def names(self) -> list[str]:
        return sorted(n.metadata.name for n in self.api.list_node().items)

    def wait_ready(self, names: Iterable[str], timeout: float = 30.0) -> None:
        pending = set(names)
        deadline = time.monotonic() + timeout
        while pending:
            for node in self.api.list_node().items:
                if node.metadata.name in pending and _is_ready(node):
                    pending.discard(node.metadata.name)
            if not pending:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"kwok did not make these nodes Ready within {timeout:.0f} s: {sorted(pending)}")
            time.sleep(0.2)


def _as_dict(taint: client.V1Taint) -> dict[str, str]:
    result = {"key": taint.key, "effect": taint.effect}
    if taint.value:
        result["value"] = taint.value
    return result


def _is_ready(node: client.V1Node) -> bool:
    conditions = (node.status and node.status.conditions) or []
    return any(c.type == "Ready" and c.status == "True" for c in conditions)
